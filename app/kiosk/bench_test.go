package kiosk_test

import (
	"context"
	"strings"
	"testing"
)

// BenchmarkBookingSession is one whole booking session through the kiosk's
// screens on the headless test driver: welcome → … → done → finish, in nl,
// fr and en by turn. Each booking is cancelled after so its time frees up.
// Resident memory over 1,000 sessions is measured on the real window by
// .ci/bench instead: Fyne's test driver never frees old renderers, so its
// memory only grows.
func BenchmarkBookingSession(b *testing.B) {
	h := newHarness(b)
	langs := []string{"nl", "fr", "en"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		h.bookSession(langs[i%len(langs)])
		i++
	}
}

// bookSession is one visitor booking the first free time and finishing.
func (h *harness) bookSession(lang string) {
	h.t.Helper()
	h.toContact(lang)
	h.fill(0, "Amina El Idrissi")
	h.fill(1, "amina@example.be")
	h.fill(2, "0470 12 34 56")
	h.tap(h.T(lang, "ContactContinue", nil))
	h.tap(h.T(lang, "ConfirmBook", nil))
	h.run.Flush()
	booked := h.k.Session().Booked
	if booked == nil {
		h.t.Fatalf("not booked:\n%s", strings.Join(h.texts(), "\n"))
	}
	code := booked.Code
	h.tap(h.T(lang, "DoneFinish", nil))
	if err := h.store.Cancel(context.Background(), code, "amina@example.be"); err != nil {
		h.t.Fatal(err)
	}
}
