package kiosk_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/digitalebalie/balie/app/city"
	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/qr"
	"github.com/digitalebalie/balie/app/qr/qrtest"
	"github.com/digitalebalie/balie/app/session"
	"github.com/digitalebalie/balie/i18n"
)

var codeOnScreen = regexp.MustCompile(`^[` + domain.CodeAlphabet + `]{3}-[` + domain.CodeAlphabet + `]{3}$`)

// languageName is the welcome screen's card for lang.
func languageName(t testing.TB, lang string) string {
	for _, l := range i18n.Offered {
		if l.Tag == lang {
			return l.Name
		}
	}
	t.Fatalf("language %s is not offered", lang)
	return ""
}

// serviceName is the theme's name in lang, as the theme screen shows it.
func (h *harness) serviceName(lang, id string) string {
	for _, s := range city.MustLoad("gent").Services() {
		if s.ID == id {
			return s.Name.In(lang)
		}
	}
	h.t.Fatalf("no service %s", id)
	return ""
}

// toContact drives a visitor from the welcome screen to the contact form for
// the Energiecentrale, on the first free day and time.
func (h *harness) toContact(lang string) {
	h.t.Helper()
	h.mustShow(h.T(i18n.Reference, "WelcomeTitle", nil))
	h.tap(languageName(h.t, lang))
	h.mustShow(h.T(lang, "HomeQuestion", nil))
	h.tap(h.T(lang, "HomeBook", nil))

	if len(h.run.queue) > 0 { // the themes load once, behind a spinner
		h.mustShow(h.T(lang, "BusyLoading", nil))
		h.run.Flush()
	}
	h.mustShow(h.T(lang, "ThemeQuestion", nil))
	h.mustShow(h.T(lang, "StepOf", map[string]any{"Step": 2, "Total": 8}))
	h.assertTall()
	h.tap(h.serviceName(lang, "energie"))

	h.mustShow(h.T(lang, "FitYes", nil))
	h.mustShow(h.msgs.N(lang, "FitDuration", 45, nil))
	h.assertTall()
	h.tap(h.T(lang, "FitContinue", nil))

	h.run.Flush()
	slots, err := h.store.Slots(context.Background(), "energie", h.clock.Now(), 30)
	if err != nil || len(slots) == 0 {
		h.t.Fatalf("slots: %v %v", len(slots), err)
	}
	days := domain.GroupByDay(slots, domain.Brussels)
	h.mustShow(h.T(lang, "DayQuestion", nil))
	h.assertTall()
	h.tap(h.msgs.Date(lang, days[0].Date, domain.Brussels))

	first := days[0].Slots[0]
	h.mustShow(h.T(lang, "TimeQuestion", map[string]any{"Day": h.msgs.Date(lang, days[0].Date, domain.Brussels)}))
	h.assertTall()
	h.tap(h.T(lang, "TimeRange", map[string]any{
		"Start": h.msgs.Time(lang, first.Start, domain.Brussels),
		"End":   h.msgs.Time(lang, first.End, domain.Brussels),
	}))
	h.mustShow(h.T(lang, "ContactQuestion", nil))
	h.assertTall()
}

func TestBookAVideoAppointment(t *testing.T) {
	for _, lang := range []string{"nl", "fr", "en"} {
		t.Run(lang, func(t *testing.T) {
			h := newHarness(t)
			h.toContact(lang)
			if lang != i18n.Reference {
				h.mustShow(h.T(i18n.Reference, "ContactQuestion", nil)) // the Dutch line under the question
			}

			// A mistyped address and a landline are refused in the
			// visitor's language, and nothing typed is lost.
			h.fill(0, "Amina El Idrissi")
			h.fill(1, "amina@")
			h.fill(2, "09 234 56 78")
			h.tap(h.T(lang, "ContactContinue", nil))
			// Three fields side by side: each reason under the row, named
			// by its field.
			h.mustShow(h.T(lang, "ContactEmail", nil) + ": " + h.T(lang, "FieldInvalidEmail", nil))
			h.mustShow(h.T(lang, "ContactPhone", nil) + ": " + h.T(lang, "FieldNotMobile", nil))
			if got := h.entries(); got[0].Text != "Amina El Idrissi" || got[1].Text != "amina@" || got[2].Text != "09 234 56 78" {
				t.Fatalf("typed text lost: %q %q %q", got[0].Text, got[1].Text, got[2].Text)
			}

			h.fill(1, "amina@example.be")
			h.fill(2, "0470 12 34 56")
			h.tap(h.T(lang, "ContactContinue", nil))
			h.mustShow(h.T(lang, "ConfirmQuestion", nil))
			h.mustShow("Amina El Idrissi")
			h.mustShow("amina@example.be")
			h.mustShow("0470 12 34 56")
			h.assertTall()
			h.tap(h.T(lang, "ConfirmInterpreter", nil))
			h.tap(h.T(lang, "ConfirmBook", nil))
			h.mustShow(h.T(lang, "BusyBooking", nil))
			h.run.Flush()

			h.mustShow(h.T(lang, "DoneTitle", nil))
			h.mustShow(h.T(lang, "StepOf", map[string]any{"Step": 8, "Total": 8}))
			h.mustNotShow(h.T(lang, "NavBack", nil)) // a booking cannot be made twice
			h.mustShow(h.T(lang, "PracticeBanner", nil))
			var code string
			for _, s := range h.texts() {
				if codeOnScreen.MatchString(s) {
					code = s
				}
			}
			if code == "" {
				t.Fatalf("no booking code on the done screen:\n%s", strings.Join(h.texts(), "\n"))
			}
			appt, err := h.store.Find(context.Background(), code, "AMINA@example.be")
			if err != nil {
				t.Fatalf("the code on screen finds nothing: %v", err)
			}
			if appt.Language != lang || !appt.Interpreter || appt.Contact.Phone != "+32470123456" || appt.ServiceID != "energie" {
				t.Fatalf("stored %+v", appt)
			}

			// The QR scans to the phone page of this appointment, and carries
			// nothing personal.
			scanned, err := qrtest.Decode(h.onlyQR())
			if err != nil {
				t.Fatalf("QR does not scan: %v", err)
			}
			if want := qr.PhoneURL(phoneBase, appt.Token); scanned != want {
				t.Fatalf("QR holds %q, want %q", scanned, want)
			}
			for _, personal := range []string{"Amina", "amina", "470", code} {
				if strings.Contains(scanned, personal) {
					t.Fatalf("QR %q contains %q", scanned, personal)
				}
			}
			h.assertTall()

			// Finishing wipes the session and the screen.
			h.tap(h.T(lang, "DoneFinish", nil))
			if h.k.Session().HasVisitorData() || h.k.Session().Screen != session.Welcome {
				t.Fatalf("session not wiped: %+v", h.k.Session())
			}
			for _, personal := range []string{"Amina", "amina@example.be", "0470", code} {
				h.mustNotShow(personal)
				if strings.Contains(h.log.String(), personal) {
					t.Fatalf("the log holds %q:\n%s", personal, h.log.String())
				}
			}
			if h.wipes == 0 {
				t.Fatal("finishing did not close the browser")
			}
			if missing := h.msgs.Missing(); len(missing) > 0 {
				t.Fatalf("messages missing: %v", missing)
			}
		})
	}
}

func TestBurgerzakenIsNotByVideo(t *testing.T) {
	h := newHarness(t)
	h.tap(languageName(t, "fr"))
	h.tap(h.T("fr", "HomeBook", nil))
	h.run.Flush()
	name := h.serviceName("fr", "burgerzaken")
	h.tap(name) // a shortcut on the first page; its card is on the second
	h.mustShow(h.T("fr", "FitNo", nil))
	h.tap(h.T("fr", "FitOtherTheme", nil))
	h.tap(h.T("fr", "ThemeMore", nil))
	h.tap(name)
	h.mustShow(h.T("fr", "FitNo", nil))
	h.mustShow(gentService(t, "burgerzaken").InPerson["fr"])
	h.mustNotShow(h.T("fr", "FitContinue", nil))
	h.tap(h.T("fr", "FitOtherTheme", nil))
	h.mustShow(h.T("fr", "ThemeQuestion", nil))
}

func TestSlotTakenMeanwhile(t *testing.T) {
	h := newHarness(t)
	h.toContact("nl")
	h.fill(0, "Jan Peeters")
	h.fill(1, "jan@example.be")
	h.tap(h.T("nl", "ContactContinue", nil))
	h.mustShow(h.T("nl", "ConfirmQuestion", nil))

	// Someone else books the same time first.
	chosen := h.k.Session().Slot
	if _, err := h.store.Book(context.Background(), domain.BookingRequest{
		ServiceID: chosen.ServiceID, Start: chosen.Start, Language: "nl",
		Contact: domain.Contact{Name: "Ander", Email: "ander@example.be"},
	}); err != nil {
		t.Fatal(err)
	}
	h.tap(h.T("nl", "ConfirmBook", nil))
	h.run.Flush()

	h.mustShow(h.T("nl", "ErrorSlotTaken", nil))
	h.mustShow(h.T("nl", "TimeQuestion", map[string]any{"Day": h.msgs.Date("nl", chosen.Start, domain.Brussels)}))
	taken := h.T("nl", "TimeRange", map[string]any{
		"Start": h.msgs.Time("nl", chosen.Start, domain.Brussels),
		"End":   h.msgs.Time("nl", chosen.End, domain.Brussels),
	})
	h.mustNotShow(taken)
	if c := h.k.Session().Contact; c.Name != "Jan Peeters" || c.Email != "jan@example.be" {
		t.Fatalf("contact lost: %+v", c)
	}
}

func TestBackendUnavailable(t *testing.T) {
	h := newHarness(t)
	h.backend.err = domain.Errorf(domain.EUnavailable, "connection refused")

	// Loading the days fails: a clear sentence and a retry, nothing lost.
	h.backend.failSlots = 1
	h.tap(languageName(t, "fr"))
	h.tap(h.T("fr", "HomeBook", nil))
	h.run.Flush()
	h.tap(h.serviceName("fr", "energie"))
	h.tap(h.T("fr", "FitContinue", nil))
	h.run.Flush()
	h.mustShow(h.T("fr", "ErrorUnavailable", nil))
	h.assertTall()
	h.tap(h.T("fr", "ErrorRetry", nil))
	h.run.Flush()
	h.mustShow(h.T("fr", "DayQuestion", nil))
	if len(h.choices()) == 0 {
		t.Fatal("no days after retrying")
	}

	// Booking fails once: the visitor stays on the summary and can try again.
	h.tap(h.choices()[0].Title)
	h.tap(h.choices()[0].Title)
	h.fill(0, "Marie Dubois")
	h.fill(1, "marie@example.be")
	h.tap(h.T("fr", "ContactContinue", nil))
	h.backend.failBook = 1
	h.tap(h.T("fr", "ConfirmBook", nil))
	h.run.Flush()
	h.mustShow(h.T("fr", "ErrorUnavailable", nil))
	h.mustShow("Marie Dubois")
	h.tap(h.T("fr", "ConfirmBook", nil))
	h.run.Flush()
	h.mustShow(h.T("fr", "DoneTitle", nil))
	if strings.Contains(h.log.String(), "Marie") || strings.Contains(h.log.String(), "marie@") {
		t.Fatalf("the log holds personal data:\n%s", h.log.String())
	}
}

func TestStartOverDuringASlowCall(t *testing.T) {
	h := newHarness(t)
	h.tap(languageName(t, "nl"))
	h.tap(h.T("nl", "HomeBook", nil))
	h.mustShow(h.T("nl", "BusyLoading", nil))
	// The screen still answers while the call runs.
	h.startOver("nl")
	h.mustShow(h.T("nl", "WelcomeTitle", nil))
	// The late answer does not pull the visitor back into the old session.
	h.run.Flush()
	if s := h.k.Session().Screen; s != session.Welcome {
		t.Fatalf("late result moved the kiosk to %s", s)
	}
}
