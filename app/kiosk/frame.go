package kiosk

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/digitalebalie/balie/app/session"
)

// The frame around every screen: the practice banner and the header on
// top, the screen's content in a scrolling page, and under it, never
// scrolling, the screen's main action and the bar for text size, contrast
// and reading aloud.

// render draws the current screen.
func (k *Kiosk) render() { k.safely("draw", k.draw) }

func (k *Kiosk) draw() {
	if k.paused {
		return
	}
	k.warning = false
	k.win.SetTitle(k.t("AppTitle", nil))
	scale := k.look.scale
	k.followLook()
	k.noteVisit()
	sc := k.screen()
	var content, action fyne.CanvasObject
	if k.busy != "" {
		content = k.busyView()
	} else {
		content, action = sc.show()
	}
	// Banner and header without gaps of their own: every pixel of a 720p
	// screen goes to the question.
	top := container.New(layout.NewCustomPaddedVBoxLayout(0))
	if k.cfg.Practice {
		top.Add(banner(k.t("PracticeBanner", nil), current().practice))
	}
	if o, ok := k.cfg.Backend.(interface{ Offline() bool }); ok && o.Offline() {
		// Calm, and in the visitor's language: what still works, what not.
		top.Add(banner(k.t("OfflineBanner", nil), current().practice))
	}
	if k.sess.Assisted {
		top.Add(banner(k.t("AssistedBanner", nil), current().confirm))
	}
	if k.sess.Screen != session.Welcome {
		top.Add(k.header())
	}
	switch {
	case k.sess.NoSound:
		content = container.NewVBox(banner(k.t("LookNoSound", nil), current().practice), content)
	case k.sess.NoVoice:
		content = container.NewVBox(banner(k.t("LookNoVoice", nil), current().practice), content)
	}
	// What is read aloud is the whole screen, its action too.
	spoken := container.NewVBox(content)
	p := theme.Padding()
	bottom := container.New(layout.NewCustomPaddedVBoxLayout(0))
	if action != nil {
		spoken.Add(action)
		bottom.Add(container.New(layout.NewCustomPaddedLayout(p/2, p/2, p, p), action))
	}
	bottom.Add(container.New(layout.NewCustomPaddedLayout(p/2, p, p, p), k.lookBar(spoken)))

	old := k.scroller
	k.scroller = newPageScroll(container.New(layout.NewCustomPaddedLayout(p/2, p, p, p), content), k.t("MoreBelow", nil))
	k.win.SetContent(container.NewBorder(top, bottom, nil, nil, k.scroller))
	// Wrapped text knows its height only once it has its width: a second
	// pass lays the screen out with the heights of the first, so cards are
	// not left shorter than their text.
	k.win.Content().Refresh()
	if old != nil && old.of == sc && k.busy == "" && !old.busy {
		// A tick in a box or another text size keeps the visitor's place.
		k.scroller.keepPlace(old, scale/k.look.scale)
	}
	k.scroller.of, k.scroller.busy = sc, k.busy != ""
	k.scroller.showMore()
	fieldsScroll(content, k.scroller)
	if k.focus != nil { // the screen asked for the cursor somewhere
		k.win.Canvas().Focus(k.focus)
		k.focus = nil
	}
	k.readNewScreen(spoken)
}

// fieldsScroll lets a finger drag or the wheel over the text fields in o
// scroll the page, as over anything else.
func fieldsScroll(o fyne.CanvasObject, page *pageScroll) {
	switch o := o.(type) {
	case *TextField:
		o.page = page
	case *fyne.Container:
		for _, c := range o.Objects {
			fieldsScroll(c, page)
		}
	}
}

// pageScroll is the screen's scrolling area. A finger dragged anywhere on
// it scrolls it, as on a phone (on a touch screen Fyne gets a drag, not a
// wheel); and while more is hidden below, a "more below" button says so
// over its bottom edge, and scrolls down when tapped.
type pageScroll struct {
	widget.BaseWidget
	scroll *container.Scroll
	more   *Button
	stack  *fyne.Container
	of     screen // the screen it shows
	busy   bool   // the spinner, not the screen
}

func newPageScroll(content fyne.CanvasObject, moreLabel string) *pageScroll {
	p := &pageScroll{scroll: container.NewVScroll(content)}
	p.more = NewButton(moreLabel, theme.MoveDownIcon(), p.pageDown)
	p.more.Hide()
	p.scroll.OnScrolled = func(fyne.Position) { p.showMore() }
	p.stack = container.NewStack(p.scroll, container.New(bottomCentre{}, p.more))
	p.ExtendBaseWidget(p)
	return p
}

func (p *pageScroll) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(p.stack) }

// Content is what the page holds, for tools that read the screen.
func (p *pageScroll) Content() fyne.CanvasObject { return p.stack }

// Dragged scrolls with the finger.
func (p *pageScroll) Dragged(ev *fyne.DragEvent) {
	p.scroll.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.NewDelta(0, ev.Dragged.DY)})
}

// DragEnd implements fyne.Draggable.
func (p *pageScroll) DragEnd() {}

// bottomCentre lays its one object out at its smallest size, centred on
// the bottom edge.
type bottomCentre struct{}

func (bottomCentre) MinSize(objs []fyne.CanvasObject) fyne.Size { return objs[0].MinSize() }

func (bottomCentre) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	m := objs[0].MinSize()
	objs[0].Resize(m)
	objs[0].Move(fyne.NewPos((size.Width-m.Width)/2, size.Height-m.Height))
}

// below is how much of the content is hidden under the bottom edge.
func (p *pageScroll) below() float32 {
	return p.scroll.Content.MinSize().Height - p.scroll.Size().Height - p.scroll.Offset.Y
}

func (p *pageScroll) showMore() {
	if show := p.below() > 1; show != p.more.Visible() {
		p.more.Hidden = !show
		p.more.Refresh()             // a hidden button leaves its icon out of its size
		p.stack.Objects[1].Refresh() // then lay it out again at its size now
	}
}

// pageDown scrolls most of a window's height down, keeping a line of what
// was read in sight.
func (p *pageScroll) pageDown() {
	p.scroll.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.NewDelta(0, -0.8*p.scroll.Size().Height)})
}

// keepPlace scrolls to where old was, its offset grown by grow when the
// text size changed.
func (p *pageScroll) keepPlace(old *pageScroll, grow float32) {
	y := old.scroll.Offset.Y
	if grow > 0 && grow != 1 {
		y /= grow
	}
	p.scroll.Offset.Y = max(0, min(y, p.scroll.Content.MinSize().Height-p.scroll.Size().Height))
	p.scroll.Refresh()
}

// header holds back, the step indicator, help and start over.
func (k *Kiosk) header() fyne.CanvasObject {
	back := NewButton(k.t("NavBack", nil), k.backIcon(), k.act(k.back))
	if !k.sess.CanGoBack() {
		back.Hide() // after booking there is nothing to go back to
	}
	if k.busy != "" {
		back.Disable()
	}
	restart := NewButton(k.t("NavStartOver", nil), theme.HomeIcon(), k.act(k.askStartOver))
	step, total := k.sess.Step()
	text := k.t("StepStart", nil)
	if total > 0 {
		text = k.t("StepOf", map[string]any{"Step": step, "Total": total})
	}
	var steps fyne.CanvasObject = wrappedText(text, widget.RichTextStyle{Alignment: fyne.TextAlignCenter})
	switch {
	case total == 0:
	case k.look.scale < 1.5:
		// "Step 2 of 8" beside its dots: the header is no taller than
		// its buttons, which leaves a 720p screen room for the question.
		row := container.NewHBox(label(text, widget.RichTextStyle{}), container.NewCenter(stepDots(step, total, k.rtl())))
		if k.rtl() {
			slices.Reverse(row.Objects)
		}
		steps = container.NewCenter(row)
	case k.short():
		// Large text on a small screen: the words say it, and the dots
		// would take a line of the screen.
	default:
		steps = container.NewVBox(steps, container.NewCenter(stepDots(step, total, k.rtl())))
	}
	// Help on every screen: Back returns to where the visitor was.
	end := fyne.CanvasObject(restart)
	if k.sess.Screen != session.Help && k.sess.Screen != session.Home {
		help := NewButton(k.t("NavHelp", nil), theme.HelpIcon(), k.act(func() { k.goTo(session.Help) }))
		row := container.NewHBox(help, restart)
		if k.rtl() {
			slices.Reverse(row.Objects)
		}
		end = row
	}
	if k.rtl() {
		return headerPadding(container.NewBorder(nil, nil, end, back, steps))
	}
	return headerPadding(container.NewBorder(nil, nil, back, end, steps))
}

// headerPadding keeps the header's buttons clear of the window's edge and
// the banner, and their focus rings visible.
func headerPadding(o fyne.CanvasObject) fyne.CanvasObject {
	p := theme.Padding()
	return container.New(layout.NewCustomPaddedLayout(p, p/2, p, p), o)
}

// barTextStep is the text size of the look bar, as a step of TextSteps:
// the bar keeps this size whatever the visitor chose, so its buttons stay
// where the finger found them.
const barTextStep = 0

// lookBar is on every screen: larger and smaller text, high contrast, and
// reading the screen aloud, always in one row of the same size.
func (k *Kiosk) lookBar(spoken fyne.CanvasObject) fyne.CanvasObject {
	size := baseTextSize * k.cfg.Scale * TextSteps[barTextStep]
	button := func(id string, icon fyne.Resource, tapped func()) *Choice {
		c := NewChoice(k.t(id, nil), "", icon, k.act(tapped))
		c.TextSize = size
		return c
	}
	smaller := button("LookSmaller", theme.ZoomOutIcon(), func() { k.sess.TextStep--; k.render() })
	larger := button("LookLarger", theme.ZoomInIcon(), func() { k.sess.TextStep++; k.render() })
	if k.sess.TextStep >= len(TextSteps)-1 {
		larger.Disable()
	}
	if k.sess.TextStep <= 0 {
		smaller.Disable()
	}
	// High contrast is a box that is ticked or not, under one label: a
	// label that changed ("normal colours") would change the bar's width.
	contrastIcon := theme.CheckButtonIcon()
	if k.sess.HighContrast {
		contrastIcon = theme.CheckButtonCheckedIcon()
	}
	buttons := []fyne.CanvasObject{smaller, larger, button("LookContrastOn", contrastIcon, func() {
		k.sess.HighContrast = !k.sess.HighContrast
		k.render()
	})}
	if k.cfg.Speech != nil {
		buttons = append(buttons, button("LookRead", theme.VolumeUpIcon(), func() { k.readAloud(spoken) }))
	}
	bar := container.NewVBox(k.grid(len(buttons), buttons...))
	if personal := k.readPersonalRow(spoken, size); personal != nil {
		bar.Objects = append([]fyne.CanvasObject{personal}, bar.Objects...)
	}
	return bar
}

func (k *Kiosk) busyView() fyne.CanvasObject {
	spinner := widget.NewActivity()
	spinner.Start()
	return container.NewCenter(container.NewVBox(
		container.NewCenter(container.NewGridWrap(fyne.NewSquareSize(64), spinner)),
		wrappedText(k.t(k.busy, nil), widget.RichTextStyle{Alignment: fyne.TextAlignCenter, TextStyle: fyne.TextStyle{Bold: true}}),
	))
}
