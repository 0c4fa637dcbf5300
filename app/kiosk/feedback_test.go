package kiosk_test

import (
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/kiosk"
	"github.com/digitalebalie/balie/app/scrub"
)

// figuresHarness is a kiosk that asks for feedback and keeps each visit's
// record, as cmd/balie does.
func figuresHarness(t *testing.T) (*harness, *[]domain.Visit) {
	var visits []domain.Visit
	h := newHarness(t, func(c *kiosk.Config) {
		c.Feedback = true
		c.Location = "Digipunt Muide"
		c.RecordVisit = func(v domain.Visit) { visits = append(visits, v) }
	})
	return h, &visits
}

func (h *harness) bookAs(lang, name, email string) {
	h.t.Helper()
	h.toContact(lang)
	h.fill(0, name)
	h.fill(1, email)
	h.tap(h.T(lang, "ContactContinue", nil))
	h.tap(h.T(lang, "ConfirmBook", nil))
	h.run.Flush()
	h.mustShow(h.T(lang, "DoneTitle", nil))
}

// After a booking the visitor is asked how it went: five faces with their
// words, an optional suggestion, and one tap to skip. What looks like an
// e-mail address, a phone number or a booking code never leaves the
// kiosk; the score goes into the visit's anonymous record.
func TestFeedbackAfterABooking(t *testing.T) {
	h, visits := figuresHarness(t)
	start := h.clock.Now()
	h.bookAs("pl", "Jan Kowalski", "jan@example.pl")
	code := h.k.Session().Booked.Code
	h.clock.Advance(2 * time.Minute)
	h.tap(h.T("pl", "DoneFinish", nil))
	h.mustShow(h.T("pl", "FeedbackQuestion", nil))
	for i := 1; i <= 5; i++ {
		h.mustShow(h.T("pl", "FeedbackFace"+string(rune('0'+i)), nil))
	}
	h.mustShow(h.T("pl", "FeedbackSkip", nil))
	h.tap(h.T("pl", "FeedbackFace4", nil))
	h.mustShow(h.T("pl", "FeedbackChosen", nil))
	h.mustNotShow(h.T("pl", "FeedbackSkip", nil))
	h.fill(0, "Więcej czasu. Mój mail: jan@example.pl, tel 0470 12 34 56, kod "+code)
	h.tap(h.T("pl", "FeedbackSend", nil))
	h.run.Flush()
	h.mustShow(h.T("nl", "WelcomeTitle", nil))

	got, _ := h.store.FeedbackList(t.Context())
	if len(got) != 1 || got[0].Rating != 4 || got[0].Language != "pl" {
		t.Fatalf("feedback stored: %+v", got)
	}
	if f := scrub.Findings(got[0].Suggestion); len(f) > 0 || got[0].Suggestion == "" {
		t.Errorf("the suggestion was stored as %q: %v", got[0].Suggestion, f)
	}
	if len(*visits) != 1 {
		t.Fatalf("%d visit records, want 1", len(*visits))
	}
	v := (*visits)[0]
	if v.Outcome != domain.VisitBooked || v.Score != 4 || v.Language != "pl" || v.Theme != "energie" || v.Location != "Digipunt Muide" ||
		v.LastScreen != "feedback" || !v.Start.Equal(start) || v.ToBook <= 0 || v.ToBook > v.Duration || v.Duration < 2*time.Minute {
		t.Errorf("visit record %+v", v)
	}
	if err := domain.ValidateVisit(v); err != nil {
		t.Errorf("the record does not validate: %v", err)
	}
}

// Skipping is one tap, and sends nothing.
func TestFeedbackSkippedInOneTap(t *testing.T) {
	h, visits := figuresHarness(t)
	h.bookAs("nl", "Joris Peeters", "joris@example.be")
	h.tap(h.T("nl", "DoneFinish", nil))
	taps := h.taps
	h.tap(h.T("nl", "FeedbackSkip", nil))
	h.run.Flush()
	if h.taps-taps != 1 {
		t.Errorf("skipping took %d taps", h.taps-taps)
	}
	h.mustShow(h.T("nl", "WelcomeTitle", nil))
	if got, _ := h.store.FeedbackList(t.Context()); len(got) != 0 {
		t.Errorf("a skipped question sent %+v", got)
	}
	if len(*visits) != 1 || (*visits)[0].Score != 0 {
		t.Errorf("visits %+v", *visits)
	}
}

// Each way a visit ends is its outcome, with the screen it ended on and
// the aids the visitor used; a session that never left the welcome screen
// is no visit.
func TestVisitRecords(t *testing.T) {
	h, visits := figuresHarness(t)
	h.k.StartOver() // nothing happened yet: no record

	// Stopped at the contact screen, with larger text and high contrast.
	h.toContact("ar")
	h.tap(h.T("ar", "LookLarger", nil))
	h.tap(h.T("ar", "LookContrastOn", nil))
	h.tap(h.T("ar", "LookSmaller", nil)) // back to normal: still used
	h.startOver("ar")

	// Walked away on the day screen: timed out.
	h.tap(languageName(t, "tr"))
	h.tap(h.T("tr", "HomeBook", nil))
	h.clock.Advance(3 * time.Minute)
	h.k.Tick()
	h.clock.Advance(time.Minute)
	h.k.Tick()

	// Called staff (practice: it goes to nobody, but the visitor asked).
	h.tap(languageName(t, "ro"))
	h.tap(h.T("ro", "HomeHelp", nil))
	h.tap(h.T("ro", "HelpCallStaff", nil))
	h.run.Flush()
	h.startOver("ro")

	want := []struct {
		outcome          domain.VisitOutcome
		lang, screen     string
		larger, contrast bool
	}{
		{domain.VisitAbandoned, "ar", "contact", true, true},
		{domain.VisitTimedOut, "tr", "theme", false, false},
		{domain.VisitHelp, "ro", "help", false, false},
	}
	if len(*visits) != len(want) {
		t.Fatalf("%d records, want %d: %+v", len(*visits), len(want), *visits)
	}
	ids := map[string]bool{}
	for i, w := range want {
		v := (*visits)[i]
		if v.Outcome != w.outcome || v.Language != w.lang || v.LastScreen != w.screen || v.LargerText != w.larger || v.Contrast != w.contrast || v.ToBook != 0 {
			t.Errorf("record %d: %+v, want %+v", i, v, w)
		}
		if err := domain.ValidateVisit(v); err != nil {
			t.Errorf("record %d does not validate: %v", i, err)
		}
		ids[v.ID] = true
	}
	if len(ids) != len(want) {
		t.Errorf("records share ids: %v", ids)
	}
}
