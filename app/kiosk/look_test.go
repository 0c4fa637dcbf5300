package kiosk_test

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/digitalebalie/balie/app/kiosk"
)

// The visitor makes text larger in three steps up to 200% and switches to
// high contrast, on any screen; the next visitor gets the normal look back.
func TestTextSizeAndContrast(t *testing.T) {
	h := newHarness(t)
	textSize := func() float32 { return fyne.CurrentApp().Settings().Theme().Size(theme.SizeNameText) }
	background := func() [4]uint32 {
		r, g, b, a := fyne.CurrentApp().Settings().Theme().Color(theme.ColorNameBackground, theme.VariantLight).RGBA()
		return [4]uint32{r, g, b, a}
	}
	normal, white := textSize(), background()

	h.tap(languageName(t, "fr"))
	if !h.disabled(h.T("fr", "LookSmaller", nil)) {
		t.Error("smaller is possible at the normal size")
	}
	for range 3 {
		h.tap(h.T("fr", "LookLarger", nil))
	}
	if got := textSize(); got != 2*normal {
		t.Fatalf("text size after three steps = %v, want %v (200%%)", got, 2*normal)
	}
	if !h.disabled(h.T("fr", "LookLarger", nil)) {
		t.Error("larger is still possible at 200%")
	}
	h.mustShow(h.T("fr", "HomeQuestion", nil)) // still on the same screen
	h.tap(h.T("fr", "LookSmaller", nil))
	if got := textSize(); got != 1.6*normal {
		t.Fatalf("one step back = %v, want %v", got, 1.6*normal)
	}

	h.tap(h.T("fr", "LookContrastOn", nil))
	if background() == white {
		t.Fatal("high contrast did not change the background")
	}
	if c := h.tappable(h.T("fr", "LookContrastOn", nil)).(*kiosk.Choice); c.Icon != theme.CheckButtonCheckedIcon() {
		t.Error("the high-contrast box is not ticked")
	}
	h.tap(h.T("fr", "LookContrastOn", nil))
	if background() != white {
		t.Fatal("a second tap did not end high contrast")
	}

	h.startOver("fr")
	if textSize() != normal || background() != white {
		t.Fatalf("the next visitor gets size %v and background %v", textSize(), background())
	}
}
