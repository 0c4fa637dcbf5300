package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/digitalebalie/balie/app/domain"
)

// clock is a settable clock for the store.
type clock struct{ now atomic.Pointer[time.Time] }

func newClock(t time.Time) *clock { c := &clock{}; c.set(t); return c }
func (c *clock) set(t time.Time)  { c.now.Store(&t) }
func (c *clock) Now() time.Time   { return *c.now.Load() }

func openWith(t *testing.T, opts Options) *Store {
	t.Helper()
	if opts.Path == "" {
		opts.Path = filepath.Join(t.TempDir(), "balie.db")
	}
	if opts.Services == nil {
		opts.Services = testServices
	}
	if opts.Now == nil {
		opts.Now = func() time.Time { return monday }
	}
	s, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func freeSlots(t *testing.T, s *Store, n int) []domain.Slot {
	t.Helper()
	slots, err := s.Slots(context.Background(), "energie", monday, domain.MaxSlotDays)
	if err != nil || len(slots) < n {
		t.Fatalf("want %d slots, have %d: %v", n, len(slots), err)
	}
	return slots[:n]
}

func TestContactQuota(t *testing.T) {
	ctx := context.Background()
	clk := newClock(monday)
	s := openWith(t, Options{Now: clk.Now})
	slots := freeSlots(t, s, 10)
	book := func(i int, c domain.Contact) (domain.Appointment, error) {
		req := request(slots[i])
		req.Contact = c
		return s.Book(ctx, req)
	}
	amina := domain.Contact{Name: "Amina", Email: "amina@example.be"}
	var booked []domain.Appointment
	for i := range domain.MaxFutureAppointments {
		a, err := book(i, amina)
		if err != nil {
			t.Fatalf("booking %d: %v", i+1, err)
		}
		booked = append(booked, a)
	}
	// The same address in other letters, with a phone number beside it.
	if _, err := book(3, domain.Contact{Name: "A.", Email: "AMINA@Example.BE", Phone: "0470 99 88 77"}); domain.CodeOf(err) != domain.EContactQuota {
		t.Fatalf("a fourth appointment for one address: %v, want contact_quota", err)
	}
	// Another visitor is not held up by Amina's quota.
	if _, err := book(4, domain.Contact{Name: "Bram", Phone: "0470 99 88 77"}); err != nil {
		t.Fatal(err)
	}
	// Cancelling one frees a place.
	if err := s.Cancel(ctx, booked[0].Code, amina.Email); err != nil {
		t.Fatal(err)
	}
	if _, err := book(5, amina); err != nil {
		t.Fatalf("after cancelling one: %v", err)
	}
	// By mobile number, however it is written.
	for i, phone := range []string{"0470 11 22 33", "+32 470 11 22 33", "0032470112233"} {
		if _, err := book(6+i, domain.Contact{Name: "C", Phone: phone}); err != nil {
			t.Fatalf("phone booking %d: %v", i, err)
		}
	}
	if _, err := book(9, domain.Contact{Name: "C", Phone: "0470112233"}); domain.CodeOf(err) != domain.EContactQuota {
		t.Fatalf("a fourth appointment for one number: %v, want contact_quota", err)
	}
	// Appointments that have started no longer count.
	clk.set(booked[2].End)
	later, err := s.Slots(ctx, "energie", clk.Now(), 10)
	if err != nil || len(later) == 0 {
		t.Fatal(err)
	}
	req := request(later[0])
	req.Contact = amina
	if _, err := s.Book(ctx, req); err != nil {
		t.Fatalf("once earlier appointments are past: %v", err)
	}
}

// The quota counts by a keyed hash: the address is nowhere in the file
// except in the appointments themselves.
func TestContactQuotaKeepsNoPlainCopy(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "balie.db")
	s := openWith(t, Options{Path: path})
	a, err := s.Book(ctx, request(firstSlot(t, s)))
	if err != nil {
		t.Fatal(err)
	}
	err = s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketContacts).ForEach(func(k, v []byte) error {
			for _, plain := range []string{"amina", "470123456", "+32470123456"} {
				if bytes.Contains(bytes.ToLower(k), []byte(plain)) || bytes.Contains(v, []byte(plain)) {
					t.Errorf("contacts bucket holds %q", plain)
				}
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	// Cancelled and purged appointments leave no hash behind.
	if err := s.Cancel(ctx, a.Code, a.Contact.Email); err != nil {
		t.Fatal(err)
	}
	if n := keysIn(s, bucketContacts); n != 0 {
		t.Errorf("%d contact hashes after cancelling", n)
	}
}

// keysIn counts the keys of one of the store's buckets.
func keysIn(s *Store, bucket []byte) (n int) {
	s.db.View(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucket).Stats().KeyN
		return nil
	})
	return n
}

// Forty bookings at once from one kiosk with a quota of 20: exactly 20 are
// made, the others wait until the oldest is an hour old.
func TestDeviceQuotaUnderConcurrency(t *testing.T) {
	ctx := context.Background()
	clk := newClock(monday)
	s := openWith(t, Options{Now: clk.Now, DeviceBookingsPerHour: 20})
	slots := freeSlots(t, s, 41)
	var ok, refused atomic.Int32
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := request(slots[i])
			req.Device = "stadskantoor-1"
			req.Contact = domain.Contact{Name: "V", Email: fmt.Sprintf("v%d@example.be", i)}
			_, err := s.Book(ctx, req)
			switch domain.CodeOf(err) {
			case "":
				ok.Add(1)
			case domain.EDeviceQuota:
				var de *domain.Error
				if !errors.As(err, &de) || de.RetryAfter <= 0 || de.RetryAfter > time.Hour {
					t.Errorf("retry after %v", de.RetryAfter)
				}
				refused.Add(1)
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if ok.Load() != 20 || refused.Load() != 20 {
		t.Fatalf("%d booked, %d refused; want 20 and 20", ok.Load(), refused.Load())
	}
	// Another kiosk is not held up.
	req := request(slots[40])
	req.Device, req.Contact = "digipunt-muide", domain.Contact{Name: "W", Email: "w@example.be"}
	if _, err := s.Book(ctx, req); err != nil {
		t.Fatal(err)
	}
	// An hour later the first kiosk may book again; the hourly purge
	// forgets what no longer counts.
	clk.set(monday.Add(time.Hour + time.Second))
	if _, err := s.Purge(); err != nil {
		t.Fatal(err)
	}
	later, _ := s.Slots(ctx, "energie", clk.Now(), 5)
	req = request(later[0])
	req.Device, req.Contact = "stadskantoor-1", domain.Contact{Name: "X", Email: "x@example.be"}
	if _, err := s.Book(ctx, req); err != nil {
		t.Fatalf("an hour later: %v", err)
	}
	if n := keysIn(s, bucketDeviceBooks); n != 1 {
		t.Errorf("%d device bookings kept, want only the last one", n)
	}
}

// A stranger who knows a code cannot lock its owner out: after five wrong
// checks only the last four digits stop working, also when the wrong
// checks come from many kiosks at once; the count survives a restart.
func TestWrongChecksLockOnlyTheShortCheck(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "balie.db")
	s := openWith(t, Options{Path: path})
	a, err := s.Book(ctx, request(firstSlot(t, s)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Find(ctx, a.Code, "3456"); err != nil {
		t.Fatalf("the last four digits open it at first: %v", err)
	}
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.Find(ctx, a.Code, fmt.Sprintf("%04d", 1000+i)); domain.CodeOf(err) != domain.ENotFound {
				t.Errorf("wrong check: %v", err)
			}
		}()
	}
	wg.Wait()
	s.Close()
	s = openWith(t, Options{Path: path})
	if _, err := s.Find(ctx, a.Code, "3456"); domain.CodeOf(err) != domain.ENotFound {
		t.Fatalf("the right last four digits after 20 wrong checks: %v, want not_found", err)
	}
	if err := s.Cancel(ctx, a.Code, "3456"); domain.CodeOf(err) != domain.ENotFound {
		t.Fatalf("cancel with four digits after 20 wrong checks: %v", err)
	}
	for _, full := range []string{"0470 12 34 56", "amina@example.be"} {
		if _, err := s.Find(ctx, a.Code, full); err != nil {
			t.Fatalf("the full %q must still work: %v", full, err)
		}
	}
	if _, err := s.FindByToken(ctx, a.Token); err != nil {
		t.Fatalf("the phone page's token must still work: %v", err)
	}
}

// A wrong check is counted only against an existing code; an unknown code
// writes nothing.
func TestWrongCheckOnUnknownCodeWritesNothing(t *testing.T) {
	s := openWith(t, Options{})
	if _, err := s.Find(context.Background(), "AAA-AAA", "1234"); domain.CodeOf(err) != domain.ENotFound {
		t.Fatal(err)
	}
	if n, _ := s.CountAppointments(); n != 0 {
		t.Fatalf("%d appointments", n)
	}
}

func TestLanguageMustBeOffered(t *testing.T) {
	s := openWith(t, Options{Languages: []string{"nl", "fr"}})
	req := request(firstSlot(t, s))
	req.Language = `"><svg onload=1>`
	if _, err := s.Book(context.Background(), req); domain.FieldsOf(err)["language"] != domain.ReasonNotOffered {
		t.Fatalf("got %v", err)
	}
}

func TestInstallationIDIsKeptAndUnique(t *testing.T) {
	dir := t.TempDir()
	a := openWith(t, Options{Path: filepath.Join(dir, "a.db")})
	b := openWith(t, Options{Path: filepath.Join(dir, "b.db")})
	if a.InstallationID() == "" || a.InstallationID() == b.InstallationID() {
		t.Fatalf("ids %q and %q", a.InstallationID(), b.InstallationID())
	}
	id := a.InstallationID()
	a.Close()
	again := openWith(t, Options{Path: filepath.Join(dir, "a.db")})
	if again.InstallationID() != id {
		t.Fatalf("id changed on reopen: %q, then %q", id, again.InstallationID())
	}
}

// The purge runs on a timer, not only when the store opens: a gateway that
// runs for months deletes appointments once they are past the retention.
func TestKeepPurgingDeletesOnEveryTick(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clk := newClock(monday)
	s := openWith(t, Options{Now: clk.Now, Retention: 24 * time.Hour, Notices: true})
	a, err := s.Book(ctx, request(firstSlot(t, s)))
	if err != nil {
		t.Fatal(err)
	}
	ticks := make(chan time.Time)
	done := make(chan struct{})
	go func() { defer close(done); s.KeepPurging(ctx, ticks, func(err error) { t.Error(err) }) }()

	clk.set(a.End.Add(23 * time.Hour))
	ticks <- clk.Now()
	ticks <- clk.Now() // the second send waits for the first purge to end
	if _, err := s.FindByToken(ctx, a.Token); err != nil {
		t.Fatalf("purged before the retention was over: %v", err)
	}
	clk.set(a.End.Add(25 * time.Hour))
	ticks <- clk.Now()
	ticks <- clk.Now()
	if _, err := s.FindByToken(ctx, a.Token); domain.CodeOf(err) != domain.ENotFound {
		t.Fatalf("kept 25 h after it ended: %v", err)
	}
	if ns, _ := s.Notices(""); len(ns) != 0 {
		t.Fatalf("%d notices of a purged appointment", len(ns))
	}
	cancel()
	<-done
}
