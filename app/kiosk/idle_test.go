package kiosk_test

import (
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/session"
)

func TestIdleTimeoutWarnsThenWipes(t *testing.T) {
	h := newHarness(t) // 90 s quiet, then a 30 s warning
	h.toContact("fr")
	h.fill(0, "Marie Dubois")

	h.clock.Advance(89 * time.Second)
	h.k.Tick()
	h.mustShow(h.T("fr", "ContactQuestion", nil))

	h.clock.Advance(2 * time.Second)
	h.k.Tick()
	h.mustShow(h.T("fr", "IdleQuestion", nil))
	h.mustShow(h.msgs.N("fr", "IdleCountdown", 29, nil))
	h.assertTall()
	h.clock.Advance(10 * time.Second)
	h.k.Tick()
	h.mustShow(h.msgs.N("fr", "IdleCountdown", 19, nil))

	// "Yes, I am still here" returns to the form as it was.
	h.tap(h.T("fr", "IdleContinue", nil))
	h.mustShow(h.T("fr", "ContactQuestion", nil))
	if got := h.entries()[0].Text; got != "Marie Dubois" {
		t.Fatalf("name after continuing = %q", got)
	}

	// Typing counts as presence.
	h.clock.Advance(80 * time.Second)
	h.fill(1, "marie@example.be")
	h.clock.Advance(80 * time.Second)
	h.k.Tick()
	h.mustShow(h.T("fr", "ContactQuestion", nil))

	// Nobody answers: everything is wiped.
	h.clock.Advance(11 * time.Second)
	h.k.Tick()
	h.mustShow(h.T("fr", "IdleQuestion", nil))
	h.clock.Advance(30 * time.Second)
	h.k.Tick()
	if s := h.k.Session(); s.Screen != session.Welcome || s.HasVisitorData() || s.Lang != "nl" {
		t.Fatalf("after the timeout the session is %+v", s)
	}
	h.mustShow(h.T("nl", "WelcomeTitle", nil))
	h.mustNotShow("Marie")
	h.mustNotShow("marie@example.be")
	if h.wipes == 0 {
		t.Fatal("the timeout did not close the browser")
	}
}

func TestIdleWelcomeScreenStaysPut(t *testing.T) {
	h := newHarness(t)
	h.clock.Advance(time.Hour)
	h.k.Tick()
	h.mustShow(h.T("nl", "WelcomeTitle", nil))
	h.mustNotShow(h.T("nl", "IdleQuestion", nil))
	if h.wipes != 0 {
		t.Fatalf("an empty kiosk was wiped %d times", h.wipes)
	}
}

func TestIdleWarningCanStartOver(t *testing.T) {
	h := newHarness(t)
	h.tap(languageName(t, "en"))
	h.clock.Advance(91 * time.Second)
	h.k.Tick()
	h.mustShow(h.T("en", "IdleQuestion", nil))
	h.startOver("en")
	h.mustShow(h.T("nl", "WelcomeTitle", nil))
}
