package kiosk_test

import (
	"context"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/kiosk"
	"github.com/digitalebalie/balie/app/session"
)

// asyncRunner runs each call's work on a goroutine of its own, as GoRunner
// does, and queues what follows for the test, which plays the UI thread. So
// a result can come back after the visitor who asked has gone, and the race
// detector sees any work that touches the kiosk.
type asyncRunner struct{ next chan func() }

func (r *asyncRunner) Run(work, done func()) {
	go func() {
		work()
		r.next <- done
	}()
}

// deliver runs the next finished call's continuation on the test goroutine.
func (r *asyncRunner) deliver(t *testing.T) {
	t.Helper()
	select {
	case done := <-r.next:
		done()
	case <-time.After(10 * time.Second):
		t.Fatal("no call finished")
	}
}

// heldBackend holds every call until the test releases it.
type heldBackend struct {
	domain.Backend
	signals domain.Signals
	calls   chan heldCall
}

type heldCall struct {
	name    string
	release chan struct{}
}

var (
	_ domain.Backend = (*heldBackend)(nil)
	_ domain.Signals = (*heldBackend)(nil)
)

func (b *heldBackend) hold(ctx context.Context, name string) error {
	c := heldCall{name, make(chan struct{})}
	b.calls <- c
	select {
	case <-c.release:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// held waits for the next call, which must be name.
func (b *heldBackend) held(t *testing.T, name string) heldCall {
	t.Helper()
	select {
	case c := <-b.calls:
		if c.name != name {
			t.Fatalf("call %s, want %s", c.name, name)
		}
		return c
	case <-time.After(10 * time.Second):
		t.Fatalf("no %s call", name)
	}
	return heldCall{}
}

func (b *heldBackend) Services(ctx context.Context) ([]domain.Service, error) {
	if err := b.hold(ctx, "services"); err != nil {
		return nil, err
	}
	return b.Backend.Services(ctx)
}

func (b *heldBackend) Slots(ctx context.Context, id string, from time.Time, days int) ([]domain.Slot, error) {
	if err := b.hold(ctx, "slots "+id); err != nil {
		return nil, err
	}
	return b.Backend.Slots(ctx, id, from, days)
}

func (b *heldBackend) Book(ctx context.Context, req domain.BookingRequest) (domain.Appointment, error) {
	if err := b.hold(ctx, "book"); err != nil {
		return domain.Appointment{}, err
	}
	return b.Backend.Book(ctx, req)
}

func (b *heldBackend) Find(ctx context.Context, code, check string) (domain.Appointment, error) {
	if err := b.hold(ctx, "find"); err != nil {
		return domain.Appointment{}, err
	}
	return b.Backend.Find(ctx, code, check)
}

func (b *heldBackend) Cancel(ctx context.Context, code, check string) error {
	if err := b.hold(ctx, "cancel"); err != nil {
		return err
	}
	return b.Backend.Cancel(ctx, code, check)
}

func (b *heldBackend) RequestHelp(ctx context.Context, req domain.HelpRequest) error {
	if err := b.hold(ctx, "help"); err != nil {
		return err
	}
	return b.signals.RequestHelp(ctx, req)
}

func (b *heldBackend) SendFeedback(ctx context.Context, fb domain.Feedback) error {
	return b.signals.SendFeedback(ctx, fb)
}

// heldHarness is a kiosk whose backend calls run on real goroutines and
// wait for the test.
func heldHarness(t *testing.T) (*harness, *heldBackend, *asyncRunner) {
	var held *heldBackend
	run := &asyncRunner{next: make(chan func(), 8)}
	h := newHarness(t, func(c *kiosk.Config) {
		held = &heldBackend{Backend: c.Backend, signals: c.Backend.(domain.Signals), calls: make(chan heldCall, 8)}
		c.Backend, c.Runner = held, run
	})
	return h, held, run
}

// bookHeld goes from the welcome screen to the chosen theme's slots call,
// releasing the catalogue's call on the way when the kiosk makes one, and
// returns the slots call, still held.
func bookHeld(t *testing.T, h *harness, held *heldBackend, run *asyncRunner, service string, catalogue bool) heldCall {
	t.Helper()
	h.tap(languageName(t, "nl"))
	h.tap(h.T("nl", "HomeBook", nil))
	if catalogue {
		close(held.held(t, "services").release)
		run.deliver(t)
	}
	h.tap(h.serviceName("nl", service))
	h.tap(h.T("nl", "FitContinue", nil))
	return held.held(t, "slots "+service)
}

// The bug a review found: visitor A picks the Energiecentrale and starts
// again while its 45-minute slots load; visitor B picks OOG, whose slots
// are an hour. A's late answer must never be what B is offered.
func TestLateSlotsNeverReachTheNextVisitor(t *testing.T) {
	h, held, run := heldHarness(t)
	slotsA := bookHeld(t, h, held, run, "energie", true)
	h.mustShow(h.T("nl", "BusyLoading", nil))
	h.startOver("nl")

	slotsB := bookHeld(t, h, held, run, "oog", false) // the catalogue is kept
	close(slotsB.release)
	run.deliver(t)
	h.mustShow(h.T("nl", "DayQuestion", nil))
	close(slotsA.release) // A's answer comes last
	run.deliver(t)

	h.tap(h.choices()[0].Title)
	oog, _ := h.store.Slots(t.Context(), "oog", h.clock.Now(), 30)
	energie, _ := h.store.Slots(t.Context(), "energie", h.clock.Now(), 30)
	shown := func(s domain.Slot) string {
		return h.T("nl", "TimeRange", map[string]any{"Start": h.msgs.Time("nl", s.Start, domain.Brussels), "End": h.msgs.Time("nl", s.End, domain.Brussels)})
	}
	h.mustShow(shown(oog[0]))
	h.mustNotShow(shown(energie[0]))
}

// Every background call, held while the visitor starts again or the idle
// timeout wipes the session, leaves nothing of its result on the next
// visitor's screen or session.
func TestLateResultsAreDropped(t *testing.T) {
	contact := func(h *harness) {
		h.fill(0, "Jan Peeters")
		h.fill(1, "jan@example.be")
		h.tap(h.T("nl", "ContactContinue", nil))
	}
	toBook := func(h *harness, held *heldBackend, run *asyncRunner) {
		close(bookHeld(t, h, held, run, "energie", true).release)
		run.deliver(t)
		h.tap(h.choices()[0].Title)
		h.tap(h.choices()[0].Title)
		contact(h)
	}
	lookUp := func(h *harness) {
		appt := h.bookAhead("nl", domain.Contact{Name: "Jan", Phone: "0470 11 22 33"})
		h.tap(languageName(t, "nl"))
		h.tap(h.T("nl", "HomeJoin", nil))
		h.fill(0, appt.Code)
		h.fill(1, "2233")
		h.tap(h.T("nl", "JoinFind", nil))
	}
	for _, tc := range []struct {
		name  string
		reach func(h *harness, held *heldBackend, run *asyncRunner) // up to the call, which it leaves running
		call  string
	}{
		{"services", func(h *harness, _ *heldBackend, _ *asyncRunner) {
			h.tap(languageName(t, "nl"))
			h.tap(h.T("nl", "HomeBook", nil))
		}, "services"},
		{"slots", func(h *harness, held *heldBackend, run *asyncRunner) {
			h.tap(languageName(t, "nl"))
			h.tap(h.T("nl", "HomeBook", nil))
			close(held.held(t, "services").release)
			run.deliver(t)
			h.tap(h.serviceName("nl", "energie"))
			h.tap(h.T("nl", "FitContinue", nil))
		}, "slots energie"},
		{"book", func(h *harness, held *heldBackend, run *asyncRunner) {
			toBook(h, held, run)
			h.tap(h.T("nl", "ConfirmBook", nil))
		}, "book"},
		{"look-up", func(h *harness, held *heldBackend, run *asyncRunner) {
			lookUp(h)
			close(held.held(t, "services").release) // the status screen names the theme
		}, "find"},
		{"cancel", func(h *harness, held *heldBackend, run *asyncRunner) {
			lookUp(h)
			close(held.held(t, "services").release)
			close(held.held(t, "find").release)
			run.deliver(t)
			h.tap(h.T("nl", "JoinCancelAsk", nil))
			h.tap(h.T("nl", "JoinCancelYes", nil))
		}, "cancel"},
		{"help", func(h *harness, _ *heldBackend, _ *asyncRunner) {
			h.tap(languageName(t, "nl"))
			h.tap(h.T("nl", "HomeHelp", nil))
			h.tap(h.T("nl", "HelpCallStaff", nil))
		}, "help"},
	} {
		for _, wipe := range []string{"start again", "idle timeout"} {
			t.Run(tc.name+" after "+wipe, func(t *testing.T) {
				h, held, run := heldHarness(t)
				tc.reach(h, held, run)
				call := held.held(t, tc.call)
				switch wipe {
				case "start again":
					h.startOver("nl")
				case "idle timeout":
					h.clock.Advance(10 * time.Minute)
					h.k.Tick()
				}
				h.mustShow(h.T("nl", "WelcomeTitle", nil))
				before := *h.k.Session()
				close(call.release)
				run.deliver(t)

				s := h.k.Session()
				if s.Screen != session.Welcome || s.Booked != nil || s.Found != nil || s.StaffCalled || s.Problem != "" || s.ServiceID != before.ServiceID {
					t.Fatalf("the late %s result reached the next visitor: %+v", tc.call, *s)
				}
				h.mustShow(h.T("nl", "WelcomeTitle", nil))
				h.mustNotShow(h.T("nl", "BusyLoading", nil))
				// And the next visitor's own calls are made afresh.
				h.tap(languageName(t, "nl"))
				h.tap(h.T("nl", "HomeBook", nil))
				if tc.call == "services" || tc.call == "find" || tc.call == "help" { // no catalogue kept yet
					close(held.held(t, "services").release)
					run.deliver(t)
				}
				h.mustShow(h.T("nl", "ThemeQuestion", nil))
			})
		}
	}
}
