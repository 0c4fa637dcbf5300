package kiosk_test

import (
	"strings"
	"testing"

	"github.com/digitalebalie/balie/app/kiosk"
)

// A booking takes eight taps from the welcome screen, the language
// included, besides typing a name and an address: language, book, theme,
// go on, day, time, go on, book.
func TestBookingTakesEightTaps(t *testing.T) {
	h := newHarness(t)
	h.resize(window)
	h.toContact("nl")
	h.fill(0, "Amina El Idrissi")
	h.fill(1, "amina@example.be")
	h.tap(h.T("nl", "ContactContinue", nil))
	h.tap(h.T("nl", "ConfirmBook", nil))
	h.run.Flush()
	h.mustShow(h.T("nl", "DoneTitle", nil))
	if h.taps != 8 {
		t.Errorf("a booking took %d taps, want 8", h.taps)
	}
}

// The longest name the kiosk takes, 100 characters, stays inside its field
// and inside the window on the contact and confirm screens, at the normal
// and at the largest text.
func TestLongNameStaysInside(t *testing.T) {
	long := strings.Repeat("Wolfeschlegelsteinhausen ", 4)[:100]
	for _, steps := range []int{0, len(kiosk.TextSteps) - 1} {
		h := newHarness(t)
		h.resize(window)
		h.toContact("nl")
		for range steps {
			h.tap(h.T("nl", "LookLarger", nil))
		}
		h.fill(0, long)
		h.fill(1, "amina@example.be")
		field := h.entries()[0]
		if field.Text != long {
			t.Fatalf("the field holds %q", field.Text)
		}
		h.checkFits("contact", false)
		if w, win := field.Size().Width, h.windowSize().Width; w > win {
			t.Errorf("at step %d the name field is %.0f px wide in a %.0f px window", steps, w, win)
		}
		h.tap(h.T("nl", "ContactContinue", nil))
		h.mustShow(h.T("nl", "ConfirmQuestion", nil))
		h.checkFits("confirm", false)
	}
}
