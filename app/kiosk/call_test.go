package kiosk_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/session"
)

// inCall finds an appointment that starts in ten minutes and joins it.
func (h *harness) inCall(lang string) domain.Appointment {
	h.t.Helper()
	appt := h.bookAhead(lang, domain.Contact{Name: "Amina", Phone: "0470 12 34 56"})
	h.clock.Advance(appt.Start.Sub(h.clock.Now()) - 10*time.Minute)
	h.lookUp(lang, appt.Code, "3456")
	h.tap(h.T(lang, "JoinNow", nil))
	h.mustShow(h.T(lang, "JoinCallOpen", nil))
	return appt
}

// A conversation runs in the call window, where the kiosk sees no taps:
// the idle timer waits for as long as it is open, and when it closes the
// kiosk asks whether the conversation is over.
func TestTheCallIsNeverCutOff(t *testing.T) {
	h := newHarness(t)
	appt := h.inCall("tr")
	for range 40 { // forty minutes of talking, ticked every 30 s
		h.clock.Advance(30 * time.Second)
		h.k.Tick()
	}
	h.mustShow(h.T("tr", "JoinCallOpen", nil))
	h.mustNotShow(h.T("tr", "IdleQuestion", nil))
	if h.wipes != 0 {
		t.Fatal("the call was closed while it ran")
	}

	h.calls[0].end(nil)
	h.run.Flush()
	h.mustShow(h.T("tr", "JoinCallOverQuestion", nil))
	h.assertTall()

	// Closed by mistake: back into the same call, in the same language.
	h.tap(h.T("tr", "JoinCallOverBack", nil))
	if len(h.opened) != 2 || h.opened[1] != appt.JoinURL || h.langs[1] != "tr" {
		t.Fatalf("opened %v in %v", h.opened, h.langs)
	}
	h.calls[1].end(nil)
	h.run.Flush()

	// Over: the session ends and everything is wiped.
	h.tap(h.T("tr", "JoinCallOverYes", nil))
	if h.k.Session().Screen != session.Welcome || h.k.Session().HasVisitorData() {
		t.Fatalf("after the call: %+v", *h.k.Session())
	}
}

// Once the call window has closed, the ordinary idle timeout applies again.
func TestIdleTimeoutAfterTheCall(t *testing.T) {
	h := newHarness(t)
	h.inCall("nl")
	h.calls[0].end(nil)
	h.run.Flush()
	h.mustShow(h.T("nl", "JoinCallOverQuestion", nil))
	for range 5 {
		h.clock.Advance(30 * time.Second)
		h.k.Tick()
	}
	if h.k.Session().HasVisitorData() || h.wipes == 0 {
		t.Fatalf("no timeout after the call: %+v", *h.k.Session())
	}
}

// A call window still open after CallLimit (90 minutes) was forgotten: it is
// closed and the session wiped.
func TestAForgottenCallEnds(t *testing.T) {
	h := newHarness(t)
	h.inCall("nl")
	h.clock.Advance(89 * time.Minute)
	h.k.Tick()
	h.mustShow(h.T("nl", "JoinCallOpen", nil))
	h.clock.Advance(time.Minute)
	h.k.Tick()
	if h.k.Session().Screen != session.Welcome || h.k.Session().HasVisitorData() || h.wipes == 0 {
		t.Fatalf("a call open for 90 minutes: %+v, wipes %d", *h.k.Session(), h.wipes)
	}
}

// When no browser starts, or it quits at once, the visitor reads that the
// call could not open here and gets the QR code for the phone; the log
// says why without the link.
func TestTheCallWindowFails(t *testing.T) {
	for _, tc := range []struct {
		name string
		fail func(h *harness)
	}{
		{"no browser", func(h *harness) {
			h.openErr = errors.New("no browser found")
		}},
		{"the browser quits at once", func(h *harness) {
			h.openErr = nil
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			appt := h.bookAhead("ar", domain.Contact{Name: "Amina", Phone: "0470 12 34 56"})
			h.clock.Advance(appt.Start.Sub(h.clock.Now()) - 10*time.Minute)
			h.lookUp("ar", appt.Code, "3456")
			tc.fail(h)
			h.tap(h.T("ar", "JoinNow", nil))
			if tc.name == "the browser quits at once" {
				h.calls[0].end(errors.New("the browser exited right after it started: exit status 1"))
				h.run.Flush()
			}
			h.mustShow(h.T("ar", "JoinCallFailed", nil))
			if len(h.images()) == 0 {
				t.Fatal("no QR code for the phone")
			}
			h.assertTall()
			if strings.Contains(h.log.String(), appt.JoinURL) || !strings.Contains(h.log.String(), "video call window failed") {
				t.Fatalf("log:\n%s", h.log.String())
			}
			// Back leads to the status, where joining can be tried again.
			h.tap(h.T("ar", "NavBack", nil))
			h.mustShow(h.T("ar", "JoinStatusQuestion", nil))
		})
	}
}
