package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/digitalebalie/balie/app/calendar"
	"github.com/digitalebalie/balie/app/domain"
)

// withCounters sets the energie theme to n counters.
func withCounters(t *testing.T, s *Store, n int) {
	t.Helper()
	c, err := s.Capacity("energie")
	if err != nil {
		t.Fatal(err)
	}
	c.Counters = n
	if _, err := s.SetCapacity("energie", c, "lead:test"); err != nil {
		t.Fatal(err)
	}
}

// A slot holds as many appointments as the theme has counters, however many
// book it at once: 200 visitors race for one slot with 2 counters and
// exactly 2 get it. Then two cancels race two new bookings: the slot ends
// full again, never over.
func TestCountersHoldUnderARace(t *testing.T) {
	ctx := context.Background()
	s := openWith(t, Options{})
	withCounters(t, s, 2)
	slot := firstSlot(t, s)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var made []domain.Appointment
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := request(slot)
			req.Contact = domain.Contact{Name: "Racer", Email: fmt.Sprintf("racer-%d@example.be", i)}
			a, err := s.Book(ctx, req)
			switch domain.CodeOf(err) {
			case "":
				mu.Lock()
				made = append(made, a)
				mu.Unlock()
			case domain.ESlotTaken:
			default:
				t.Errorf("booking %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	if len(made) != 2 {
		t.Fatalf("%d bookings on a slot with 2 counters, want 2", len(made))
	}
	if free, _ := s.Slots(ctx, "energie", monday, 5); len(free) > 0 && free[0].Start.Equal(slot.Start) {
		t.Fatal("a full slot is still offered")
	}

	// Both cancel while four others try: two get in.
	var got sync.WaitGroup
	rebooked := make(chan domain.Appointment, 4)
	for _, a := range made {
		got.Add(1)
		go func() { defer got.Done(); s.Cancel(ctx, a.Code, a.Contact.Email) }()
	}
	for i := range 4 {
		got.Add(1)
		go func() {
			defer got.Done()
			req := request(slot)
			req.Contact = domain.Contact{Name: "Late", Email: fmt.Sprintf("late-%d@example.be", i)}
			for range 200 {
				if a, err := s.Book(ctx, req); err == nil {
					rebooked <- a
					return
				}
			}
		}()
	}
	got.Wait()
	close(rebooked)
	if n := len(rebooked); n != 2 {
		t.Fatalf("after two cancels %d re-bookings, want 2", n)
	}
	if _, err := s.Book(ctx, request(slot)); domain.CodeOf(err) != domain.ESlotTaken {
		t.Fatalf("a third booking: %v, want slot_taken", err)
	}
}

// A lead's change reaches the slots at once and cancels nothing: lowering
// the counters or closing a morning lists the appointments that no longer
// fit, and they stay booked.
func TestLoweringCapacityListsWhatNoLongerFits(t *testing.T) {
	ctx := context.Background()
	s := openWith(t, Options{})
	withCounters(t, s, 2)
	slot := firstSlot(t, s)
	first, err := s.Book(ctx, request(slot))
	if err != nil {
		t.Fatal(err)
	}
	second := request(slot)
	second.Contact = domain.Contact{Name: "Bram", Email: "bram@example.be"}
	later, err := s.Book(ctx, second)
	if err != nil {
		t.Fatal(err)
	}

	c, _ := s.Capacity("energie")
	c.Counters = 1
	misfits, err := s.SetCapacity("energie", c, "lead:test")
	if err != nil {
		t.Fatal(err)
	}
	if len(misfits) != 1 || misfits[0].Code != later.Code {
		t.Fatalf("misfits %v, want only the later booking %s", codes(misfits), later.Code)
	}
	for _, a := range []domain.Appointment{first, later} {
		if got, err := s.Find(ctx, a.Code, a.Contact.Email); err != nil || got.Cancelled {
			t.Fatalf("%s after lowering: %v cancelled=%v", a.Code, err, got.Cancelled)
		}
	}

	// Close Monday morning: both are outside the hours now.
	c.Hours = calendar.Hours{}
	for d, p := range calendar.CityHours {
		c.Hours[d] = p
	}
	c.Hours[time.Monday] = c.Hours[time.Monday][1:]
	misfits, _ = s.SetCapacity("energie", c, "lead:test")
	if len(misfits) != 2 {
		t.Fatalf("after closing the morning %d misfits, want 2", len(misfits))
	}
	free, _ := s.Slots(ctx, "energie", monday, 1)
	for _, sl := range free {
		if sl.Start.In(domain.Brussels).Hour() < 12 {
			t.Fatalf("a morning slot %v is still offered", sl.Start)
		}
	}
	if _, err := s.Book(ctx, request(slot)); domain.CodeOf(err) != domain.EInvalid {
		t.Fatalf("booking the closed morning: %v, want invalid", err)
	}

	c.Slot = 7 * time.Minute
	if _, err := s.SetCapacity("energie", c, "lead:test"); domain.CodeOf(err) != domain.EInvalid {
		t.Fatalf("a 7-minute slot: %v, want invalid", err)
	}
}

// A data file from before counters keeps its bookings: each holds counter
// 0 of its slot, and cancelling frees it.
func TestOldSlotKeysAreMigrated(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir() + "/old.db"
	s := openWith(t, Options{Path: path})
	slot := firstSlot(t, s)
	a, err := s.Book(ctx, request(slot))
	if err != nil {
		t.Fatal(err)
	}
	// Write the key the way the old store did.
	err = s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSlots)
		if err := b.Delete(counterKey(a.ServiceID, a.Start, 0)); err != nil {
			return err
		}
		return b.Put([]byte(a.ServiceID+"|"+a.Start.UTC().Format(time.RFC3339)), []byte(a.Code))
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = openWith(t, Options{Path: path})
	if _, err := s.Book(ctx, request(slot)); domain.CodeOf(err) != domain.ESlotTaken {
		t.Fatalf("the migrated slot is free: %v", err)
	}
	if err := s.Cancel(ctx, a.Code, a.Contact.Email); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Book(ctx, request(slot)); err != nil {
		t.Fatalf("after cancelling, booking again: %v", err)
	}
}

func codes(as []domain.Appointment) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Code)
	}
	return out
}

// Moving an appointment takes the new slot and frees the old one in one
// transaction, sends the visitor the new time with new reminders (the old
// ones dropped), counts the move, and writes it to the audit log. A slot
// that is full, or not a slot, is refused and nothing moves.
func TestMoveForTheVisitor(t *testing.T) {
	ctx := context.Background()
	s := openWith(t, Options{Notices: true})
	slots := freeSlots(t, s, 3)
	a, err := s.Book(ctx, request(slots[0]))
	if err != nil {
		t.Fatal(err)
	}
	other := request(slots[2])
	other.Contact = domain.Contact{Name: "Bram", Email: "bram@example.be"}
	if _, err := s.Book(ctx, other); err != nil {
		t.Fatal(err)
	}
	moved, err := s.Move(a.Code, slots[1].Start, "phone:gentinfo-1")
	if err != nil {
		t.Fatal(err)
	}
	if !moved.Start.Equal(slots[1].Start) || moved.Sequence != 1 {
		t.Fatalf("moved to %v seq %d", moved.Start, moved.Sequence)
	}
	if _, err := s.Book(ctx, request(slots[1])); domain.CodeOf(err) != domain.ESlotTaken {
		t.Errorf("the new slot is still free: %v", err)
	}
	again := request(slots[0])
	again.Contact = domain.Contact{Name: "Chris", Email: "chris@example.be"}
	if _, err := s.Book(ctx, again); err != nil {
		t.Errorf("the old slot was not freed: %v", err)
	}
	if _, err := s.Move(a.Code, slots[2].Start, "phone:gentinfo-1"); domain.CodeOf(err) != domain.ESlotTaken {
		t.Errorf("moving onto a full slot: %v, want slot_taken", err)
	}
	if _, err := s.Move(a.Code, slots[1].Start.Add(7*time.Minute), "phone:gentinfo-1"); domain.CodeOf(err) != domain.EInvalid {
		t.Errorf("moving to a time that is no slot: %v, want invalid", err)
	}
	pending, _ := s.Notices(domain.NoticePending)
	kinds := map[domain.NoticeKind]int{}
	for _, n := range pending {
		if n.Code == a.Code {
			kinds[n.Kind]++
			if n.Kind == domain.NoticeSMSSoon && !n.Due.Equal(slots[1].Start.Add(-domain.SMSSoonBefore)) {
				t.Errorf("a reminder for the old time is still due at %v", n.Due)
			}
		}
	}
	if kinds[domain.NoticeMovedEmail] != 1 || kinds[domain.NoticeSMSSoon] != 1 {
		t.Errorf("pending notices after the move: %v", kinds)
	}
	entries, _ := s.Audit(monday.AddDate(0, 0, -1))
	logged := map[string]string{}
	for _, e := range entries {
		if e.Code == a.Code {
			logged[e.Action] = e.Who
		}
	}
	if logged[AuditMove] != "phone:gentinfo-1" || logged[AuditBook] != "kiosk:practice" {
		t.Errorf("the booking and the move are not in the audit log: %+v", entries)
	}
}
