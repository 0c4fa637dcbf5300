package staffmode

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// touchHeight is the least height of anything staff tap: Fyne's default
// button is about 36 px, too small for a finger on a kiosk screen.
const touchHeight = 56

// atLeast gives its only object at least min, whatever the theme.
type atLeast struct{ min fyne.Size }

func (a atLeast) MinSize(objects []fyne.CanvasObject) fyne.Size {
	return objects[0].MinSize().Max(a.min)
}

func (a atLeast) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	objects[0].Move(fyne.NewPos(0, 0))
	objects[0].Resize(size)
}

func sized(o fyne.CanvasObject, w, h float32) *fyne.Container {
	return container.New(atLeast{fyne.NewSize(w, h)}, o)
}

// tall makes o at least touchHeight high.
func tall(o fyne.CanvasObject) *fyne.Container { return sized(o, 0, touchHeight) }

// newButton is a touch-sized button; the second value is what to place.
func newButton(text string, icon fyne.Resource, tapped func()) (*widget.Button, *fyne.Container) {
	b := widget.NewButtonWithIcon(text, icon, tapped)
	return b, tall(b)
}

// message is a label for a result or a problem, wrapped so a long error
// text never widens the screen.
func message() *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	return l
}

// say shows text in l: as a problem (danger colour, but the words say it
// too) or not. Empty text hides l, so it takes no room.
func say(l *widget.Label, text string, problem bool) {
	l.Importance = widget.MediumImportance
	if problem {
		l.Importance = widget.DangerImportance
	}
	l.SetText(text)
	l.Hidden = text == ""
	l.Refresh()
}

func heading(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.SizeName = theme.SizeNameHeadingText
	l.TextStyle.Bold = true
	return l
}

// checkRow is a check in a touchHeight row that toggles wherever the row
// is tapped: a Check stretched taller only reacts in its middle band, and
// only on its own width.
type checkRow struct {
	widget.BaseWidget
	check *widget.Check
}

func newCheckRow(check *widget.Check) *checkRow {
	r := &checkRow{check: check}
	r.ExtendBaseWidget(r)
	return r
}

func (r *checkRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.New(middleLeft{}, r.check))
}

func (r *checkRow) Tapped(*fyne.PointEvent) {
	if !r.check.Disabled() {
		r.check.SetChecked(!r.check.Checked)
	}
}

// middle gives its only object the full width and its own height, in the
// middle of the row: a label beside a button reads on the button's line.
type middle struct{}

func (middle) MinSize(objects []fyne.CanvasObject) fyne.Size { return objects[0].MinSize() }

func (middle) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	objects[0].Resize(fyne.NewSize(size.Width, objects[0].MinSize().Height))
	objects[0].Resize(fyne.NewSize(size.Width, objects[0].MinSize().Height)) // a wrapped label's height follows its width
	objects[0].Move(fyne.NewPos(0, max(0, (size.Height-objects[0].Size().Height)/2)))
}

// beside places a button with its result next to it, on one line.
func beside(button, result fyne.CanvasObject) fyne.CanvasObject {
	return container.NewBorder(nil, nil, button, nil, container.New(middle{}, result))
}

// middleLeft keeps its only object at its own size, on the left and in
// the middle of a row at least touchHeight high.
type middleLeft struct{}

func (middleLeft) MinSize(objects []fyne.CanvasObject) fyne.Size {
	return objects[0].MinSize().Max(fyne.NewSize(0, touchHeight))
}

func (middleLeft) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	min := objects[0].MinSize()
	objects[0].Resize(min)
	objects[0].Move(fyne.NewPos(0, (size.Height-min.Height)/2))
}
