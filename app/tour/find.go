// Package tour walks a running kiosk the way a visitor does: it reads the
// screen and taps what is labelled, on the real window. The screenshot tour
// (balie -tour, CI's screens) and the memory simulation (balie -simulate)
// are built on it, and the kiosk's tests find and read widgets with it.
package tour

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/digitalebalie/balie/app/kiosk"
)

// Walk visits every visible object under o. Text widgets, buttons, fields
// and choice cards are leaves; a scroll and the kiosk's own wrappers are
// opened through their content. (Fyne's renderers are reached only through
// its test package, which would start a test app in the kiosk.)
func Walk(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	if o == nil || !o.Visible() {
		return
	}
	visit(o)
	switch o := o.(type) {
	case *fyne.Container:
		for _, c := range o.Objects {
			Walk(c, visit)
		}
	case *container.Scroll:
		Walk(o.Content, visit)
	case interface{ Content() fyne.CanvasObject }:
		Walk(o.Content(), visit)
	}
}

// TextOf is what an object says on screen.
func TextOf(o fyne.CanvasObject) string {
	switch o := o.(type) {
	case *widget.Label:
		return o.Text
	case *widget.RichText:
		return o.String()
	case *canvas.Text:
		return o.Text
	case *widget.Button:
		return o.Text
	case *kiosk.Button:
		return o.Text
	case *kiosk.TextField:
		return o.Text
	case *widget.Check:
		return o.Text
	case *kiosk.Choice:
		if o.Hint == "" {
			return o.Title
		}
		return o.Title + "\n" + o.Hint
	case *kiosk.FlowText:
		return o.Text
	}
	return ""
}

// Texts is everything readable under o, in order.
func Texts(o fyne.CanvasObject) []string {
	var out []string
	Walk(o, func(c fyne.CanvasObject) {
		if s := TextOf(c); s != "" {
			out = append(out, s)
		}
	})
	return out
}

// Tappable finds the visible button, choice card or check box labelled
// label under o; nil when there is none.
func Tappable(o fyne.CanvasObject, label string) fyne.Tappable {
	var found fyne.Tappable
	Walk(o, func(c fyne.CanvasObject) {
		if found != nil {
			return
		}
		switch c := c.(type) {
		case *kiosk.Button:
			if c.Text == label {
				found = c
			}
		case *kiosk.Choice:
			if c.Title == label {
				found = c
			}
		case *widget.Check:
			if c.Text == label {
				found = c
			}
		}
	})
	return found
}

// All lists the visible objects of type T under o, in order.
func All[T fyne.CanvasObject](o fyne.CanvasObject) []T {
	var out []T
	Walk(o, func(c fyne.CanvasObject) {
		if t, ok := c.(T); ok {
			out = append(out, t)
		}
	})
	return out
}
