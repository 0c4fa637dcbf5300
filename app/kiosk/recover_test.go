package kiosk_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/session"
)

// A screen that panics (here: a session whose page number went wrong)
// sends the visitor back to the welcome screen with everything wiped,
// and the log says where, with the stack, but not what they typed.
func TestPanicInAScreenStartsOver(t *testing.T) {
	h := newHarness(t)
	h.toContact("fr")
	h.fill(0, "Amina Secretname")
	h.k.Session().Screen = session.Time
	h.k.Session().Page = -1 // a list page before the first: slicing it panics
	h.k.Redraw()
	h.mustShow(h.T("nl", "WelcomeTitle", nil))
	if s := h.k.Session(); s.Contact.Name != "" || s.Lang != "nl" || s.Screen != session.Welcome {
		t.Errorf("the session after the panic: %+v", s)
	}
	log := h.log.String()
	if !strings.Contains(log, "the kiosk failed; the visitor starts over") || !strings.Contains(log, "screen_time.go") || !strings.Contains(log, "screen=time") {
		t.Errorf("the log does not say where it failed:\n%s", log)
	}
	if strings.Contains(log, "Secretname") {
		t.Errorf("the log holds what the visitor typed")
	}
	// The kiosk goes on: the next visitor books.
	h.toContact("nl")
}

// panickyBackend panics in its slot listing.
type panickyBackend struct{ *flakyBackend }

func (p panickyBackend) Slots(context.Context, string, time.Time, int) ([]domain.Slot, error) {
	panic("slot listing broke")
}

// A backend call that panics in the background does not take the process
// down: the screen says something went wrong, with "try again".
func TestPanicInABackgroundCallIsAnError(t *testing.T) {
	h := newHarness(t)
	h.k.SetBackend(panickyBackend{h.backend})
	h.tap(languageName(t, "nl"))
	h.tap(h.T("nl", "HomeBook", nil))
	h.run.Flush()
	h.tap(h.serviceName("nl", "energie"))
	h.tap(h.T("nl", "FitContinue", nil))
	h.run.Flush()
	h.mustShow(h.T("nl", "ErrorInternal", nil))
	h.mustShow(h.T("nl", "ErrorRetry", nil))
	if !strings.Contains(h.log.String(), "a background call failed") {
		t.Errorf("the log does not say a call failed")
	}
}
