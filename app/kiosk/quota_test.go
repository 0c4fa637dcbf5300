package kiosk_test

import (
	"context"
	"testing"

	"github.com/digitalebalie/balie/app/domain"
)

// A booking over a quota is refused in the visitor's language, with what to
// do next, and nothing typed is lost.
func TestQuotaRefusalsInTheVisitorsLanguage(t *testing.T) {
	for _, tc := range []struct {
		name, lang, id string
		count          int
		setup          func(h *harness)
	}{
		{"three appointments to come", "tr", "ErrorContactQuota", domain.MaxFutureAppointments, func(h *harness) {
			slots, err := h.store.Slots(context.Background(), "woonwijzer", h.clock.Now(), 10)
			if err != nil || len(slots) < domain.MaxFutureAppointments {
				h.t.Fatalf("slots: %v %v", len(slots), err)
			}
			for _, sl := range slots[:domain.MaxFutureAppointments] {
				if _, err := h.store.Book(context.Background(), domain.BookingRequest{ServiceID: sl.ServiceID, Start: sl.Start,
					Language: "tr", Contact: domain.Contact{Name: "Ayşe", Email: "ayse@example.be"}}); err != nil {
					h.t.Fatal(err)
				}
			}
		}},
		{"a kiosk over its hourly bookings", "ar", "ErrorDeviceQuota", 0, func(h *harness) {
			h.backend.failBook, h.backend.err = 1, &domain.Error{Code: domain.EDeviceQuota}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			tc.setup(h)
			h.toContact(tc.lang)
			h.fill(0, "Ayşe Yılmaz")
			h.fill(1, "ayse@example.be")
			h.tap(h.T(tc.lang, "ContactContinue", nil))
			h.tap(h.T(tc.lang, "ConfirmBook", nil))
			h.run.Flush()
			want := h.T(tc.lang, tc.id, nil)
			if tc.count > 0 {
				want = h.msgs.N(tc.lang, tc.id, tc.count, nil)
			}
			h.mustShow(want)
			h.mustShow(h.T(tc.lang, "ConfirmQuestion", nil))
			// The message and the way forward fit a 720p screen.
			h.resize(window)
			h.checkFits("confirm with "+tc.id, true)
			if c := h.k.Session().Contact; c.Name != "Ayşe Yılmaz" || c.Email != "ayse@example.be" {
				t.Fatalf("contact lost: %+v", c)
			}
		})
	}
}

// A code whose short check was locked by wrong guesses: the visitor is told
// that the full address or number always works, and it does.
func TestJoinSaysTheFullCheckAlwaysWorks(t *testing.T) {
	h := newHarness(t)
	appt := h.bookAhead("fr", domain.Contact{Name: "Amina", Phone: "0470 12 34 56"})
	for range domain.ShortCheckTries {
		h.store.Find(context.Background(), appt.Code, "0000")
	}
	h.lookUp("fr", appt.Code, "3456")
	h.mustShow(h.T("fr", "JoinNotFound", nil))
	h.mustShow(h.T("fr", "JoinUseFullCheck", nil))
	h.fill(1, "0470 12 34 56")
	h.tap(h.T("fr", "JoinFind", nil))
	h.run.Flush()
	h.mustShow(h.T("fr", "JoinStatusQuestion", nil))
}
