package kiosk_test

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/digitalebalie/balie/app/kiosk"
)

// Tab moves a visible focus ring over the cards and buttons, and Enter
// presses the one in focus: the kiosk works without touch or mouse.
func TestKeyboardOnly(t *testing.T) {
	h := newHarness(t)
	c := h.win.Canvas()
	press := func() {
		t.Helper()
		b, ok := c.Focused().(*kiosk.Button)
		if !ok {
			t.Fatalf("focus is on %T, want a button or card", c.Focused())
		}
		objs := test.WidgetRenderer(b).Objects()
		if ring := objs[len(objs)-1]; !ring.Visible() {
			t.Fatal("the focused button shows no focus ring")
		}
		b.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	}

	c.FocusNext() // the first language: Nederlands
	c.FocusNext() // the second: Français
	press()
	h.mustShow(h.T("fr", "HomeQuestion", nil))

	// The screen's own choices come first in the Tab order, then the
	// header and the text-size bar.
	c.FocusNext()
	press() // the first card: book
	h.run.Flush()
	h.mustShow(h.T("fr", "ThemeQuestion", nil))

	// Shift-Tab goes back; the ring leaves the button it left.
	c.FocusNext()
	first := c.Focused().(*kiosk.Button)
	c.FocusNext()
	c.FocusPrevious()
	if c.Focused() != first {
		t.Fatal("Shift-Tab did not go back")
	}
}
