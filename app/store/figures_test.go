package store

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/domain"
)

func visit(device, id string, start time.Time, outcome domain.VisitOutcome) domain.Visit {
	return domain.Visit{ID: id, Device: device, Location: "Stadskantoor", Start: start, Duration: 3 * time.Minute,
		Language: "nl", Theme: "energie", Outcome: outcome, LastScreen: "done"}
}

func TestVisitsCountOnceAcrossResendsAndRestarts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "balie.db")
	s := openWith(t, Options{Path: path})
	batch := []domain.Visit{
		visit("kiosk-1", "a1", monday, domain.VisitBooked),
		visit("kiosk-1", "a2", monday.Add(time.Hour), domain.VisitAbandoned),
		visit("kiosk-2", "a1", monday.Add(2*time.Hour), domain.VisitHelp), // same id, other kiosk: another visit
	}
	recorded, dup, err := s.RecordVisitsCounted(batch)
	if err != nil || recorded != 3 || dup != 0 {
		t.Fatalf("first send: %d new, %d again, %v", recorded, dup, err)
	}
	s.Close()
	s = openWith(t, Options{Path: path}) // the gateway restarted; the kiosk sends the whole batch again
	recorded, dup, err = s.RecordVisitsCounted(append(batch, visit("kiosk-1", "a3", monday.Add(3*time.Hour), domain.VisitJoined)))
	if err != nil || recorded != 1 || dup != 3 {
		t.Fatalf("resend: %d new, %d again, %v", recorded, dup, err)
	}
	all, err := s.Visits(monday.Add(-time.Hour), monday.Add(24*time.Hour))
	if err != nil || len(all) != 4 {
		t.Fatalf("visits: %d, %v", len(all), err)
	}
	for i := 1; i < len(all); i++ {
		if all[i].Start.Before(all[i-1].Start) {
			t.Errorf("visits not oldest first: %v before %v", all[i-1].Start, all[i].Start)
		}
	}
	// [from, to): a visit at to is not in it, one at from is.
	some, _ := s.Visits(monday.Add(time.Hour), monday.Add(3*time.Hour))
	if len(some) != 2 || some[0].ID != "a2" || some[1].Device != "kiosk-2" {
		t.Errorf("range [1h, 3h): %+v", some)
	}
}

func TestRecordVisitsRefusesAnInvalidBatch(t *testing.T) {
	s := openWith(t, Options{})
	bad := visit("kiosk-1", "x/../y", monday, domain.VisitBooked)
	if _, _, err := s.RecordVisitsCounted([]domain.Visit{visit("kiosk-1", "ok", monday, domain.VisitBooked), bad}); domain.CodeOf(err) != domain.EInvalid {
		t.Fatalf("want invalid, got %v", err)
	}
	if all, _ := s.Visits(monday.Add(-time.Hour), monday.Add(time.Hour)); len(all) != 0 {
		t.Errorf("a refused batch stored %d visits", len(all))
	}
}

// Kiosks that resend the same visits at the same moment still count each
// once: the check and the write are one transaction.
func TestConcurrentResendsCountOnce(t *testing.T) {
	s := openWith(t, Options{})
	var batch []domain.Visit
	for i := range 20 {
		batch = append(batch, visit("kiosk-1", fmt.Sprintf("v%d", i), monday.Add(time.Duration(i)*time.Minute), domain.VisitBooked))
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, _, err := s.RecordVisitsCounted(batch); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if all, _ := s.Visits(monday.Add(-time.Hour), monday.Add(time.Hour)); len(all) != 20 {
		t.Errorf("8 concurrent sends of 20 visits stored %d", len(all))
	}
}

func TestHelpRequestResentIsOneAndOnlyItsKioskFollowsIt(t *testing.T) {
	s := openWith(t, Options{})
	ctx := context.Background()
	req := domain.HelpRequest{Ref: "h-1", Device: "kiosk-1", Location: "Zuid", Language: "ar", Screen: "contact"}
	for range 3 {
		if err := s.RequestHelp(ctx, req); err != nil {
			t.Fatal(err)
		}
	}
	other := req
	other.Device = "kiosk-2"
	if err := s.RequestHelp(ctx, other); err != nil {
		t.Fatal(err)
	}
	queue, _ := s.HelpQueue()
	if len(queue) != 2 {
		t.Fatalf("queue holds %d requests, want 2 (one per kiosk)", len(queue))
	}
	if queue[0].ID == queue[1].ID {
		t.Fatalf("two kiosks' requests share the id staff act on: %s", queue[0].ID)
	}
	if err := s.SetHelpState(queue[0].ID, domain.HelpOnTheWay, "support:An"); err != nil {
		t.Fatal(err)
	}
	h, err := s.HelpState("kiosk-1", "h-1")
	if err != nil || h.State != domain.HelpOnTheWay || h.TakenBy != "support:An" {
		t.Errorf("kiosk-1 sees %+v, %v", h, err)
	}
	if _, err := s.HelpState("kiosk-3", "h-1"); domain.CodeOf(err) != domain.ENotFound {
		t.Errorf("another kiosk may follow the request: %v", err)
	}
}

func TestResearchContactsKeptApartAndPurgedAfterTheirRetention(t *testing.T) {
	clock := newClock(monday)
	s := openWith(t, Options{Now: clock.Now, ResearchRetention: 90 * 24 * time.Hour, Retention: 30 * 24 * time.Hour})
	ctx := context.Background()
	slots := freeSlots(t, s, 2)
	agreed := domain.BookingRequest{ServiceID: "energie", Start: slots[0].Start, Language: "tr", ConsentResearch: true,
		Contact: domain.Contact{Name: " Ayşe  Yılmaz ", Phone: "0470 12 34 56"}}
	appt, err := s.Book(ctx, agreed)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Book(ctx, domain.BookingRequest{ServiceID: "energie", Start: slots[1].Start, Language: "nl",
		Contact: domain.Contact{Name: "Jan", Email: "jan@example.be"}}); err != nil {
		t.Fatal(err)
	}
	list, _ := s.ResearchContacts()
	if len(list) != 1 || list[0].Contact.Phone != "+32470123456" || list[0].Contact.Name != "Ayşe Yılmaz" ||
		list[0].ServiceID != "energie" || !list[0].Until.Equal(monday.Add(90*24*time.Hour)) {
		t.Fatalf("research contacts: %+v", list)
	}
	// Cancelling the appointment, and its purge, leave the research
	// contact: it has its own retention.
	if err := s.Cancel(ctx, appt.Code, "3456"); err != nil {
		t.Fatal(err)
	}
	clock.set(monday.Add(60 * 24 * time.Hour))
	if _, err := s.Purge(); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.CountAppointments(); n != 0 {
		t.Fatalf("after 60 days %d appointments are kept", n)
	}
	if list, _ := s.ResearchContacts(); len(list) != 1 {
		t.Errorf("the booking's purge took the research contact: %d left", len(list))
	}
	clock.set(monday.Add(91 * 24 * time.Hour))
	if _, err := s.Purge(); err != nil {
		t.Fatal(err)
	}
	if list, _ := listOf[domain.ResearchContact](s, bucketResearch); len(list) != 0 {
		t.Errorf("after 91 days the store still holds %d research contacts", len(list))
	}
}
