package kiosk_test

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/session"
	"github.com/digitalebalie/balie/i18n"
)

// Start again with a half-filled form asks once; "no" returns to the form
// as it was, "yes" forgets it. With nothing typed it starts again at once.
func TestStartAgainAsksBeforeLosingAForm(t *testing.T) {
	h := newHarness(t)
	h.tap(languageName(t, "tr"))
	h.tap(h.T("tr", "HomeJoin", nil))
	h.tap(h.T("tr", "NavStartOver", nil)) // nothing typed yet
	h.mustShow(h.T("nl", "WelcomeTitle", nil))

	h.toContact("tr")
	h.fill(0, "Ayşe Yılmaz")
	h.tap(h.T("tr", "NavStartOver", nil))
	h.mustShow(h.T("tr", "StartOverQuestion", nil))
	if h.button(h.T("tr", "StartOverNo", nil)).Importance != widget.HighImportance {
		t.Error("keeping the form is not the highlighted choice")
	}
	h.tap(h.T("tr", "StartOverNo", nil))
	h.mustShow(h.T("tr", "ContactQuestion", nil))
	if got := h.entries()[0].Text; got != "Ayşe Yılmaz" {
		t.Fatalf("the form lost %q", got)
	}
	h.tap(h.T("tr", "NavStartOver", nil))
	h.tap(h.T("tr", "StartOverYes", nil))
	if h.k.Session().HasVisitorData() {
		t.Fatalf("after yes: %+v", *h.k.Session())
	}
}

// The cursor is in the first field on arrival and after "Yes, I am still
// here"; Enter moves to the next field and, in the last, goes on.
func TestContactFormFocusAndEnter(t *testing.T) {
	h := newHarness(t)
	h.toContact("nl")
	entries := h.entries()
	if h.win.Canvas().Focused() != entries[0] {
		t.Fatalf("focused %v, want the name field", h.win.Canvas().Focused())
	}
	test.Type(entries[0], "Jan Peeters")
	entries[0].TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if h.win.Canvas().Focused() != entries[1] {
		t.Fatal("Enter in the name did not move to the e-mail field")
	}
	h.clock.Advance(95 * time.Second)
	h.k.Tick()
	h.tap(h.T("nl", "IdleContinue", nil))
	if h.win.Canvas().Focused() != h.entries()[0] {
		t.Fatal("no cursor in the form after 'still here'")
	}
	h.fill(1, "jan@example.be")
	last := h.entries()[2]
	last.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.mustShow(h.T("nl", "ConfirmQuestion", nil))
}

// Cancelling asks, and the highlighted choice keeps the appointment.
func TestKeepingIsTheHighlightedChoice(t *testing.T) {
	h := newHarness(t)
	appt := h.bookAhead("nl", domain.Contact{Name: "Jan", Phone: "0470 11 22 33"})
	h.lookUp("nl", appt.Code, "2233")
	h.tap(h.T("nl", "JoinCancelAsk", nil))
	if h.button(h.T("nl", "JoinCancelNo", nil)).Importance != widget.HighImportance ||
		h.button(h.T("nl", "JoinCancelYes", nil)).Importance == widget.HighImportance {
		t.Fatal("cancelling, not keeping, is highlighted")
	}
}

// The phone screen has a Done button, and its QR code leaves the screen
// after a minute, so the next person at the PC cannot scan it.
func TestPhoneQRLeavesAfterAMinute(t *testing.T) {
	h := newHarness(t)
	appt := h.bookAhead("fr", domain.Contact{Name: "Amina", Phone: "0470 12 34 56"})
	h.lookUp("fr", appt.Code, "3456")
	h.tap(h.T("fr", "JoinOnPhone", nil))
	if len(h.images()) == 0 {
		t.Fatal("no QR code")
	}
	h.clock.Advance(59 * time.Second)
	h.k.Tick()
	if len(h.images()) == 0 {
		t.Fatal("the QR code left before a minute")
	}
	h.clock.Advance(time.Second)
	h.k.Tick()
	if len(h.images()) != 0 {
		t.Fatal("the QR code is still there after a minute")
	}
	h.mustShow(h.T("fr", "JoinPhoneHidden", nil))
	h.tap(h.T("fr", "JoinPhoneShowAgain", nil))
	if len(h.images()) == 0 {
		t.Fatal("show again did not show it")
	}
	h.tap(h.T("fr", "DoneFinish", nil))
	if h.k.Session().Screen != session.Welcome || h.k.Session().HasVisitorData() {
		t.Fatalf("Done did not end the session: %+v", *h.k.Session())
	}
}

// In practice mode the help screen says plainly that nobody will come.
func TestPracticeHelpSaysNobodyComes(t *testing.T) {
	h := newHarness(t)
	h.tap(languageName(t, "ar"))
	h.tap(h.T("ar", "HomeHelp", nil))
	h.mustShow(h.T("ar", "HelpPractice", nil))
}

// Burgerzaken, which cannot be done by video, is one tap from the first
// page of themes, and says where to go instead.
func TestBurgerzakenFromTheFirstPage(t *testing.T) {
	h := newHarness(t)
	h.resize(window)
	h.tap(languageName(t, "nl"))
	h.tap(h.T("nl", "HomeBook", nil))
	h.run.Flush()
	h.checkFits("theme", true)
	h.tap(h.serviceName("nl", "burgerzaken"))
	h.mustShow(h.T("nl", "FitNo", nil))
}

// "Help" is on every screen; staff learn which screen the visitor was on,
// and Back returns to the form as it was.
func TestHelpFromEveryScreen(t *testing.T) {
	h := newHarness(t)
	h.toContact("pl")
	h.fill(0, "Jan Kowalski")
	h.tap(h.T("pl", "NavHelp", nil))
	h.mustShow(h.T("pl", "HelpStaff", nil))
	h.mustNotShow(h.T("pl", "NavHelp", nil)) // not on the help screen itself
	h.tap(h.T("pl", "HelpCallStaff", nil))
	h.run.Flush()
	got, _ := h.store.HelpRequests(t.Context())
	if len(got) != 1 || got[0].Screen != "contact" || got[0].Language != "pl" {
		t.Fatalf("help requests %+v, want one from contact in pl", got)
	}
	h.tap(h.T("pl", "NavBack", nil))
	h.mustShow(h.T("pl", "ContactQuestion", nil))
	if name := h.entries()[0].Text; name != "Jan Kowalski" {
		t.Fatalf("the form lost the name: %q", name)
	}
}

// The welcome screen asks "choose your language" in every language, each
// under its language's name, and fits a 720p screen.
func TestWelcomeAsksInEveryLanguage(t *testing.T) {
	h := newHarness(t)
	h.resize(window)
	for _, l := range i18n.Offered {
		h.mustShow(h.T(l.Tag, "WelcomeQuestion", nil))
	}
	h.checkFits("welcome", true)
}

// An interpreter speaks the visitor's own language unless they choose
// another: the confirm screen names it in the visitor's language, the
// choice lists the kiosk's languages and the others the city has
// interpreters for, and the booking carries it.
func TestInterpreterLanguage(t *testing.T) {
	h := newHarness(t)
	h.resize(window)
	h.toContact("ar")
	h.fill(0, "Amina El Idrissi")
	h.fill(1, "amina@example.be")
	h.tap(h.T("ar", "ContactContinue", nil))
	h.mustNotShow(h.T("ar", "InterpreterChange", nil))
	h.tap(h.T("ar", "ConfirmInterpreter", nil))
	h.mustShow(h.T("ar", "InterpreterLanguage", map[string]any{"Language": "العربية"}))
	h.tap(h.T("ar", "InterpreterLanguage", map[string]any{"Language": "العربية"}))
	h.mustShow(h.T("ar", "InterpreterQuestion", nil))
	h.mustShow("Soomaali")
	h.tap("Tigrinya")
	h.mustShow(h.T("ar", "InterpreterLanguage", map[string]any{"Language": "التغرينية"}))
	h.tap(h.T("ar", "ConfirmBook", nil))
	h.run.Flush()
	if got := h.k.Session().Booked; got == nil || !got.Interpreter || got.InterpreterLanguage != "ti" {
		t.Fatalf("booked %+v, want an interpreter in Tigrinya", got)
	}
}
