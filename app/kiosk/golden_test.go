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

	"github.com/digitalebalie/balie/app/kiosk"
	"github.com/digitalebalie/balie/app/speech/speechtest"
	"github.com/digitalebalie/balie/i18n"
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
// Turkish and Pashto, and in Dutch, Arabic and Turkish at the largest text
// size in high contrast, drawn by Fyne's software painter at 1280×720 with a
// fixed clock and a fixed booking code. At the normal text size every
// screen but the done screen fits the window without scrolling (the done
// screen says what happens next, below the fold, under "more below"); at
// 200% the screens reflow into one column and scroll down, never sideways
// (WCAG 1.4.10), and how far is logged. The main button stays in sight in
// its action bar (TestMainButtonAlwaysInSight checks every screen).
// Run with -update to rewrite them, then look at every one.
func TestGoldenScreens(t *testing.T) {
	if testing.Short() {
		t.Skip("layout only, no background calls: the race run (-short) leaves it to the full run")
	}
	type run struct {
		lang     string
		steps    int // text size steps: 3 is 200%
		contrast bool
	}
	runs := []run{{"nl", 0, false}, {"ar", 0, false}, {"bg", 0, false}, {"tr", 0, false}, {"ps", 0, false},
		{"nl", 3, true}, {"ar", 3, true}, {"tr", 3, true}}
	for _, r := range runs {
		t.Run(fmt.Sprintf("%s-%d-%v", r.lang, r.steps, r.contrast), func(t *testing.T) {
			h := newHarness(t, withSpeech)
			h.resize(window)
			h.walkKeyScreens(r.lang, r.steps, r.contrast, func(screen string) {
				t.Helper()
				h.checkFits(screen, r.steps == 0 && screen != "done")
				h.logHeight(screen)
				suffix := ""
				if r.contrast {
					suffix = "-hc"
				}
				name := fmt.Sprintf("%s-%s-%d%%%s.png", r.lang, screen, []int{100, 130, 160, 200}[r.steps], suffix)
				golden(t, name, h.win.Canvas().Capture())
			})
		})
	}
}

// withSpeech gives the kiosk a voice, so its bar has every button a real
// kiosk shows.
func withSpeech(c *kiosk.Config) { c.Speech = speechtest.New(speechtest.Debian12...) }

// walkKeyScreens books as a visitor in lang at a text size step, calling
// shot on the welcome (Dutch only), theme, time, contact and done screens.
func (h *harness) walkKeyScreens(lang string, steps int, contrast bool, shot func(screen string)) {
	h.t.Helper()
	if steps == 0 && lang == "nl" {
		shot("welcome")
	}
	h.tap(languageName(h.t, lang))
	for range steps {
		h.tap(h.T(lang, "LookLarger", nil))
	}
	if contrast {
		h.tap(h.T(lang, "LookContrastOn", nil))
	}
	h.tap(h.T(lang, "HomeBook", nil))
	h.run.Flush()
	shot("theme")
	h.tap(h.serviceName(lang, "energie"))
	h.tap(h.T(lang, "FitContinue", nil))
	h.run.Flush()
	h.tap(h.choices()[0].Title)
	shot("time")
	h.tap(h.choices()[0].Title)
	h.fill(0, "Amina El Idrissi")
	h.fill(1, "amina@example.be")
	shot("contact")
	h.tap(h.T(lang, "ContactContinue", nil))
	h.tap(h.T(lang, "ConfirmBook", nil))
	h.run.Flush()
	booked := h.k.Session().Booked
	booked.Code, booked.Token, booked.PhoneURL = "K7M-4PQ", "golden-token", ""
	h.k.Redraw()
	shot("done")
}

// On the Full HD screens of the city's offices, every key screen fits
// without scrolling at the normal text size, in every language.
func TestKeyScreensFitFullHD(t *testing.T) {
	if testing.Short() {
		t.Skip("layout only, no background calls: the race run (-short) leaves it to the full run")
	}
	for _, l := range i18n.Offered {
		t.Run(l.Tag, func(t *testing.T) {
			h := newHarness(t, withSpeech)
			h.resize(fyne.NewSize(1920, 1080))
			h.walkKeyScreens(l.Tag, 0, false, func(screen string) { h.checkFits(screen, true) })
		})
	}
}

// logHeight reports how much a screen must scroll in the current window.
func (h *harness) logHeight(screen string) {
	for _, s := range visible[*container.Scroll](h) {
		if need, have := s.Content.MinSize().Height, s.Size().Height; need > have {
			h.t.Logf("%s: needs %.0f px of height, %.0f shown: the visitor must scroll", screen, need, have)
		}
	}
}

// checkFits fails when the screen needs more width than the window (text or
// buttons would be cut off) and, with fit, when it needs more height (the
// visitor would have to scroll).
func (h *harness) checkFits(screen string, fit bool) {
	h.t.Helper()
	win := h.windowSize()
	if w := h.win.Content().MinSize().Width; w > win.Width {
		h.t.Errorf("%s: needs %.0f px of width, the window has %.0f", screen, w, win.Width)
	}
	if !fit {
		return
	}
	for _, s := range visible[*container.Scroll](h) {
		if need, have := s.Content.MinSize().Height, s.Size().Height; need > have {
			h.t.Errorf("%s: needs %.0f px of height, %.0f shown: the visitor must scroll", screen, need, have)
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
