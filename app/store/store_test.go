package store

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/domain"
)

var testServices = []domain.Service{
	{ID: "energie", Duration: 30 * time.Minute, ByVideo: true},
	{ID: "burgerzaken", ByVideo: false},
}

// monday is a working day; the store's clock stands still on it.
var monday = time.Date(2026, 11, 23, 8, 0, 0, 0, domain.Brussels)

func openStore(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(Options{
		Path: path, Services: testServices, Now: func() time.Time { return monday },
		JoinTemplate: "https://video.example/{room}?c={code}",
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func firstSlot(t *testing.T, s *Store) domain.Slot {
	t.Helper()
	slots, err := s.Slots(context.Background(), "energie", monday, 5)
	if err != nil || len(slots) == 0 {
		t.Fatalf("slots: %v, %v", slots, err)
	}
	return slots[0]
}

func request(slot domain.Slot) domain.BookingRequest {
	return domain.BookingRequest{
		ServiceID: slot.ServiceID, Start: slot.Start, Language: "fr",
		Contact: domain.Contact{Name: "Amina", Email: "amina@example.be", Phone: "0470 12 34 56"},
	}
}

func TestBookFindCancel(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, filepath.Join(t.TempDir(), "balie.db"))
	defer s.Close()
	slot := firstSlot(t, s)

	appt, err := s.Book(ctx, request(slot))
	if err != nil {
		t.Fatal(err)
	}
	if appt.Contact.Phone != "+32470123456" || appt.Language != "fr" || !appt.End.Equal(slot.End) {
		t.Fatalf("booked %+v", appt)
	}
	if !strings.HasPrefix(appt.JoinURL, "https://video.example/") || !strings.HasSuffix(appt.JoinURL, "?c="+strings.ReplaceAll(appt.Code, "-", "")) {
		t.Fatalf("join url %q does not follow the template", appt.JoinURL)
	}

	slots, _ := s.Slots(ctx, "energie", monday, 5)
	for _, sl := range slots {
		if sl.Start.Equal(slot.Start) {
			t.Fatal("a booked slot is still listed as free")
		}
	}

	tests := []struct {
		name, code, check string
		want              domain.ErrorCode
	}{
		{"email", appt.Code, "AMINA@example.be", ""},
		{"last digits", strings.ToLower(appt.Code), "3456", ""},
		{"wrong check", appt.Code, "9999", domain.ENotFound},
		{"wrong code", "XXX-XXX", "3456", domain.ENotFound},
		{"garbage code", "hello", "3456", domain.ENotFound},
	}
	for _, tt := range tests {
		got, err := s.Find(ctx, tt.code, tt.check)
		if domain.CodeOf(err) != tt.want {
			t.Errorf("%s: err %v, want %q", tt.name, err, tt.want)
		}
		if err == nil && got.Code != appt.Code {
			t.Errorf("%s: found %s", tt.name, got.Code)
		}
	}
	byToken, err := s.FindByToken(ctx, appt.Token)
	if err != nil || byToken.Code != appt.Code {
		t.Fatalf("by token: %v %v", byToken, err)
	}

	if err := s.Cancel(ctx, appt.Code, "0000"); domain.CodeOf(err) != domain.ENotFound {
		t.Fatalf("cancel with a wrong check: %v", err)
	}
	if err := s.Cancel(ctx, appt.Code, "3456"); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Find(ctx, appt.Code, "3456")
	if !got.Cancelled {
		t.Fatal("not cancelled")
	}
	if _, err := s.Book(ctx, request(slot)); err != nil {
		t.Fatalf("a cancelled slot cannot be booked again: %v", err)
	}
}

func TestBookRefusesBadRequests(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, filepath.Join(t.TempDir(), "balie.db"))
	defer s.Close()
	slot := firstSlot(t, s)
	tests := []struct {
		name  string
		req   domain.BookingRequest
		field string
	}{
		{"not a slot start", domain.BookingRequest{ServiceID: "energie", Start: slot.Start.Add(7 * time.Minute), Contact: request(slot).Contact}, "start"},
		{"physical-only theme", domain.BookingRequest{ServiceID: "burgerzaken", Start: slot.Start, Contact: request(slot).Contact}, "serviceId"},
		{"no contact", domain.BookingRequest{ServiceID: "energie", Start: slot.Start, Contact: domain.Contact{Name: "A"}}, "email"},
	}
	for _, tt := range tests {
		_, err := s.Book(ctx, tt.req)
		if domain.CodeOf(err) != domain.EInvalid || domain.FieldsOf(err)[tt.field] == "" {
			t.Errorf("%s: err %v, want invalid %s", tt.name, err, tt.field)
		}
	}
}

func TestBookingsSurviveReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "balie.db")
	s := openStore(t, path)
	appt, err := s.Book(ctx, request(firstSlot(t, s)))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openStore(t, path)
	defer s.Close()
	got, err := s.Find(ctx, appt.Code, "amina@example.be")
	if err != nil {
		t.Fatal(err)
	}
	if got.Token != appt.Token || got.JoinURL != appt.JoinURL || !got.Start.Equal(appt.Start) || got.Contact != appt.Contact {
		t.Fatalf("after reopen %+v, want %+v", got, appt)
	}
	if _, err := s.Book(ctx, request(firstSlot(t, s))); err != nil {
		t.Fatalf("the next free slot after reopen: %v", err)
	}
	if _, err := s.Book(ctx, request(domain.Slot{ServiceID: "energie", Start: appt.Start})); domain.CodeOf(err) != domain.ESlotTaken {
		t.Fatalf("rebooking the stored slot after reopen: %v", err)
	}
}

func TestManyVisitorsOneSlotExactlyOneWins(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, filepath.Join(t.TempDir(), "balie.db"))
	defer s.Close()
	slot := firstSlot(t, s)

	const visitors = 64
	var wg sync.WaitGroup
	results := make(chan error, visitors)
	start := make(chan struct{})
	for i := 0; i < visitors; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := s.Book(ctx, request(slot))
			results <- err
		}()
	}
	close(start)
	wg.Wait()
	close(results)
	won, taken := 0, 0
	for err := range results {
		switch domain.CodeOf(err) {
		case "":
			won++
		case domain.ESlotTaken:
			taken++
		default:
			t.Errorf("unexpected error %v", err)
		}
	}
	if won != 1 || taken != visitors-1 {
		t.Fatalf("%d won, %d got slot_taken; want 1 and %d", won, taken, visitors-1)
	}
}

func TestTakenShareMakesARealisticCalendar(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	full := openStore(t, filepath.Join(dir, "a.db"))
	defer full.Close()
	busy, err := Open(Options{Path: filepath.Join(dir, "b.db"), Services: testServices, Now: func() time.Time { return monday }, TakenShare: 30})
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()

	all, _ := full.Slots(ctx, "energie", monday, 20)
	free, _ := busy.Slots(ctx, "energie", monday, 20)
	share := 100 * (len(all) - len(free)) / len(all)
	if share < 15 || share > 45 {
		t.Fatalf("%d%% of %d slots taken, want about 30%%", share, len(all))
	}
	again, _ := busy.Slots(ctx, "energie", monday, 20)
	if len(again) != len(free) {
		t.Fatal("taken slots change between calls")
	}
}

func TestRetentionPurgesOldAppointments(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "balie.db")
	s := openStore(t, path)
	appt, err := s.Book(ctx, request(firstSlot(t, s)))
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	later := appt.End.Add(25 * time.Hour)
	s, err = Open(Options{Path: path, Services: testServices, Now: func() time.Time { return later }, Retention: 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.FindByToken(ctx, appt.Token); domain.CodeOf(err) != domain.ENotFound {
		t.Fatalf("an appointment that ended 25 h ago is still kept: %v", err)
	}
}

// A video service that takes the visitor's language gets it from the link:
// {lang} in the template.
func TestJoinLinkCarriesTheLanguage(t *testing.T) {
	s := openWith(t, Options{JoinTemplate: `https://meet.example/{room}#config.defaultLanguage={lang}`})
	req := request(firstSlot(t, s))
	req.Language = "fa-AF"
	a, err := s.Book(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(a.JoinURL, "#config.defaultLanguage=fa-AF") {
		t.Fatalf("join link %s", a.JoinURL)
	}
}
