package kiosk_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/kiosk"
	"github.com/digitalebalie/balie/app/qr"
	"github.com/digitalebalie/balie/app/qr/qrtest"
	"github.com/digitalebalie/balie/app/session"
)

// bookAhead makes an appointment at the first free slot on the store, as a
// visitor would have done earlier.
func (h *harness) bookAhead(lang string, contact domain.Contact) domain.Appointment {
	h.t.Helper()
	slots, err := h.store.Slots(context.Background(), "energie", h.clock.Now(), 5)
	if err != nil || len(slots) == 0 {
		h.t.Fatalf("slots: %v %v", slots, err)
	}
	appt, err := h.store.Book(context.Background(), domain.BookingRequest{
		ServiceID: "energie", Start: slots[0].Start, Language: lang, Contact: contact,
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return appt
}

func TestJoinAVideoAppointment(t *testing.T) {
	for _, lang := range []string{"nl", "fr", "en"} {
		t.Run(lang, func(t *testing.T) {
			// Waiting for the call is activity enough in this test; the idle
			// timeout has its own.
			h := newHarness(t, func(c *kiosk.Config) { c.IdleTimeout = 3 * time.Hour })
			appt := h.bookAhead(lang, domain.Contact{Name: "Amina", Email: "amina@example.be", Phone: "0470 12 34 56"})
			if got := appt.Start.Sub(h.clock.Now()); got != time.Hour {
				t.Fatalf("first slot is %v away, want 1h", got)
			}

			h.tap(languageName(t, lang))
			h.tap(h.T(lang, "HomeJoin", nil))
			h.mustShow(h.T(lang, "JoinQuestion", nil))
			h.mustShow(h.T(lang, "StepOf", map[string]any{"Step": 2, "Total": 3}))
			h.assertTall()

			// A wrong check finds nothing, says so and keeps what was typed.
			sloppy := strings.ToLower(strings.ReplaceAll(appt.Code, "-", " "))
			h.fill(0, sloppy)
			h.fill(1, "someone@example.be")
			h.tap(h.T(lang, "JoinFind", nil))
			h.run.Flush()
			h.mustShow(h.T(lang, "JoinNotFound", nil))
			if es := h.entries(); es[0].Text != sloppy || es[1].Text != "someone@example.be" {
				t.Fatalf("typed text lost: %q %q", es[0].Text, es[1].Text)
			}

			// The last four digits of the mobile number are the check.
			h.fill(1, "3456")
			h.tap(h.T(lang, "JoinFind", nil))
			h.mustShow(h.T(lang, "BusyLoading", nil))
			h.run.Flush()
			h.mustShow(h.T(lang, "JoinStatusQuestion", nil))
			h.mustShow(h.msgs.N(lang, "JoinStartsInHours", 1, nil))
			h.mustShow(h.T(lang, "JoinOpensAt", map[string]any{"Time": h.msgs.Time(lang, appt.Start.Add(-15*time.Minute), domain.Brussels)}))
			join := h.button(h.T(lang, "JoinNow", nil))
			if !join.Disabled() {
				t.Fatal("join is open an hour before the start")
			}
			h.tap(h.T(lang, "JoinNow", nil))
			if len(h.opened) != 0 {
				t.Fatalf("a disabled join opened %v", h.opened)
			}
			h.assertTall()

			// The countdown keeps itself current; 15 minutes before, join opens.
			h.clock.Advance(44 * time.Minute)
			h.k.Tick()
			h.mustShow(h.msgs.N(lang, "JoinStartsInMinutes", 16, nil))
			if !h.button(h.T(lang, "JoinNow", nil)).Disabled() {
				t.Fatal("join opened 16 minutes before the start")
			}
			h.clock.Advance(time.Minute)
			h.k.Tick()
			h.mustShow(h.msgs.N(lang, "JoinStartsInMinutes", 15, nil))
			if h.button(h.T(lang, "JoinNow", nil)).Disabled() {
				t.Fatal("join still closed 15 minutes before the start")
			}
			h.tap(h.T(lang, "JoinNow", nil))
			if len(h.opened) != 1 || h.opened[0] != appt.JoinURL {
				t.Fatalf("opened %v, want %s", h.opened, appt.JoinURL)
			}
			h.mustShow(h.T(lang, "JoinCallOpen", nil))
			if h.langs[0] != lang {
				t.Fatalf("call window in %q, want %q", h.langs[0], lang)
			}

			// Or carry on with the phone.
			h.tap(h.T(lang, "NavBack", nil))
			h.tap(h.T(lang, "JoinOnPhone", nil))
			scanned, err := qrtest.Decode(h.onlyQR())
			if err != nil {
				t.Fatalf("QR does not scan: %v", err)
			}
			if want := qr.PhoneURL(phoneBase, appt.Token); scanned != want {
				t.Fatalf("QR holds %q, want %q", scanned, want)
			}
			h.mustShow(h.T(lang, "JoinPhoneHint", nil))

			// Start over closes the call's browser and forgets the code.
			h.startOver(lang)
			if h.wipes == 0 || h.k.Session().HasVisitorData() {
				t.Fatalf("start over left wipes=%d session=%+v", h.wipes, h.k.Session())
			}
			h.mustNotShow(appt.Code)
		})
	}
}

func TestJoinStatusLines(t *testing.T) {
	tests := []struct {
		name    string
		advance time.Duration // from one hour before the start
		cancel  bool
		wantID  string
		count   int
		canJoin bool
	}{
		// Another day is named, never counted: Saturday evening is not
		// "in 1 day" for Monday morning.
		{"two days ahead", -47 * time.Hour, false, "JoinStartsOn", 0, false},
		{"Saturday evening for Monday", -37 * time.Hour, false, "JoinStartsOn", 0, false},
		{"the same day", -2 * time.Hour, false, "JoinStartsInHours", 3, false},
		{"in progress", 70 * time.Minute, false, "JoinInProgress", 0, true},
		{"over", 2 * time.Hour, false, "JoinOver", 0, false},
		{"cancelled", 0, true, "JoinCancelled", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, func(c *kiosk.Config) { c.IdleTimeout = 100 * time.Hour })
			appt := h.bookAhead("nl", domain.Contact{Name: "Jan", Email: "jan@example.be"})
			if tt.cancel {
				if err := h.store.Cancel(context.Background(), appt.Code, "jan@example.be"); err != nil {
					t.Fatal(err)
				}
			}
			h.clock.Advance(tt.advance)
			h.tap(languageName(t, "nl"))
			h.tap(h.T("nl", "HomeJoin", nil))
			h.fill(0, appt.Code)
			h.fill(1, "jan@example.be")
			h.tap(h.T("nl", "JoinFind", nil))
			h.run.Flush()
			if h.k.Session().Screen != session.JoinStatus {
				t.Fatalf("on %s:\n%s", h.k.Session().Screen, strings.Join(h.texts(), "\n"))
			}
			want := h.T("nl", tt.wantID, nil)
			if tt.count > 0 {
				want = h.msgs.N("nl", tt.wantID, tt.count, nil)
			}
			if tt.wantID == "JoinStartsOn" {
				opens := appt.Start.Add(-domain.JoinOpensBefore)
				want = h.T("nl", tt.wantID, map[string]any{"Day": h.msgs.Date("nl", appt.Start, domain.Brussels), "Time": h.msgs.Time("nl", appt.Start, domain.Brussels)})
				h.mustShow(h.T("nl", "JoinOpensOn", map[string]any{"Day": h.msgs.Date("nl", opens, domain.Brussels), "Time": h.msgs.Time("nl", opens, domain.Brussels)}))
			}
			h.mustShow(want)
			join := h.shows(h.T("nl", "JoinNow", nil)) && !h.button(h.T("nl", "JoinNow", nil)).Disabled()
			if join != tt.canJoin {
				t.Fatalf("can join = %v, want %v", join, tt.canJoin)
			}
		})
	}
}

func TestJoinNeedsCodeAndCheck(t *testing.T) {
	h := newHarness(t)
	h.tap(languageName(t, "fr"))
	h.tap(h.T("fr", "HomeJoin", nil))
	h.fill(0, "0O1-I")
	h.tap(h.T("fr", "JoinFind", nil))
	h.mustShow(h.T("fr", "JoinBadCode", nil))
	h.mustShow(h.T("fr", "FieldRequired", nil))
	if len(h.run.queue) != 0 {
		t.Fatal("an incomplete form was sent to the backend")
	}
}

// Cancelling asks first; "no" keeps the appointment, and a failed cancel
// says why and keeps it too.
// lookUp goes from the welcome screen to the answer of a lookup.
func (h *harness) lookUp(lang, code, check string) {
	h.t.Helper()
	h.tap(languageName(h.t, lang))
	h.tap(h.T(lang, "HomeJoin", nil))
	h.fill(0, code)
	h.fill(1, check)
	h.tap(h.T(lang, "JoinFind", nil))
	h.run.Flush()
}

func TestCancelAsksFirst(t *testing.T) {
	h := newHarness(t)
	appt := h.bookAhead("nl", domain.Contact{Name: "Jan", Phone: "0470 11 22 33"})
	h.lookUp("nl", appt.Code, "2233")

	h.tap(h.T("nl", "JoinCancelAsk", nil))
	h.mustShow(h.T("nl", "JoinCancelHint", nil))
	h.tap(h.T("nl", "JoinCancelNo", nil))
	h.mustShow(h.T("nl", "JoinStatusQuestion", nil))

	h.backend.err = domain.Errorf(domain.EOffline, "no route")
	h.backend.failCancel = 1
	h.tap(h.T("nl", "JoinCancelAsk", nil))
	h.tap(h.T("nl", "JoinCancelYes", nil))
	h.run.Flush()
	h.mustShow(h.T("nl", "ErrorOffline", nil))
	h.mustShow(h.T("nl", "JoinCancelQuestion", nil))
	if got, _ := h.store.Find(t.Context(), appt.Code, "2233"); got.Cancelled {
		t.Fatal("cancelled although the visitor said no or the call failed")
	}

	h.tap(h.T("nl", "JoinCancelYes", nil))
	h.run.Flush()
	h.mustShow(h.T("nl", "JoinCancelled", nil))
	if got, _ := h.store.Find(t.Context(), appt.Code, "2233"); !got.Cancelled {
		t.Fatal("not cancelled")
	}
}
