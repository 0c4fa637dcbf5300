package store

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/digitalebalie/balie/app/domain"
)

// cancelRaceRounds is how often the cancel race is run; the kiosk's client
// retries cancels, and the kiosk and the phone page can cancel at once.
const cancelRaceRounds = 300

// TestConcurrentCancelsNeverFreeAnotherBooking books a slot, then cancels it
// twice at once (by code and by token) while someone re-books the slot. The
// second cancel must not free the re-booking's slot: one more booking must
// get slot_taken, every round.
func TestConcurrentCancelsNeverFreeAnotherBooking(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, filepath.Join(t.TempDir(), "balie.db"))
	defer s.Close()
	slot := firstSlot(t, s)
	who := func(round int, name string) domain.BookingRequest {
		req := request(slot)
		req.Contact = domain.Contact{Name: name, Email: fmt.Sprintf("%s-%d@example.be", name, round)}
		return req
	}

	doubles := 0
	for round := range cancelRaceRounds {
		first, err := s.Book(ctx, who(round, "first"))
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		var wg sync.WaitGroup
		cancelErrs := make([]error, 2)
		var rebooked domain.Appointment
		wg.Add(3)
		go func() { defer wg.Done(); cancelErrs[0] = s.Cancel(ctx, first.Code, first.Contact.Email) }()
		go func() { defer wg.Done(); cancelErrs[1] = s.CancelByToken(ctx, first.Token) }()
		go func() {
			defer wg.Done()
			for { // the slot frees up as soon as one cancel is through
				a, err := s.Book(ctx, who(round, "second"))
				if err == nil {
					rebooked = a
					return
				}
				if domain.CodeOf(err) != domain.ESlotTaken {
					t.Errorf("round %d: re-booking: %v", round, err)
					return
				}
			}
		}()
		wg.Wait()
		for _, err := range cancelErrs {
			if err != nil {
				t.Fatalf("round %d: a second cancel must answer like the first: %v", round, err)
			}
		}
		third, err := s.Book(ctx, who(round, "third"))
		switch domain.CodeOf(err) {
		case domain.ESlotTaken:
		case "":
			doubles++
			s.Cancel(ctx, third.Code, third.Contact.Email)
		default:
			t.Fatalf("round %d: third booking: %v", round, err)
		}
		if err := s.Cancel(ctx, rebooked.Code, rebooked.Contact.Email); err != nil {
			t.Fatalf("round %d: cancel the re-booking: %v", round, err)
		}
	}
	t.Logf("cancel race: %d rounds, %d double bookings", cancelRaceRounds, doubles)
	if doubles > 0 {
		t.Fatalf("%d of %d rounds booked one slot twice", doubles, cancelRaceRounds)
	}
}
