package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/digitalebalie/balie/app/domain"
)

func kinds(ns []domain.Notice) []domain.NoticeKind {
	var out []domain.NoticeKind
	for _, n := range ns {
		out = append(out, n.Kind)
	}
	return out
}

// A booking writes its notices with it, a cancellation drops the pending
// ones and adds its own, and the purge takes them away with the
// appointment. The practice store writes none.
func TestOutboxFollowsTheAppointment(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "gateway.db")
	now := monday
	s, err := Open(Options{Path: path, Services: testServices, Now: func() time.Time { return now }, Notices: true})
	if err != nil {
		t.Fatal(err)
	}
	slots, _ := s.Slots(ctx, "energie", monday, 5)
	req := request(slots[len(slots)-1]) // days ahead: both reminders are still to come
	req.Contact.Phone = "+32470123456"
	appt, err := s.Book(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	pending, _ := s.Notices(domain.NoticePending)
	if got := kinds(pending); len(got) != 3 || got[0] != domain.NoticeConfirmEmail || got[1] != domain.NoticeSMSDayBefore || got[2] != domain.NoticeSMSSoon {
		t.Fatalf("notices of a booking: %v", got)
	}
	if err := s.Cancel(ctx, appt.Code, req.Contact.Email); err != nil {
		t.Fatal(err)
	}
	pending, _ = s.Notices(domain.NoticePending)
	dropped, _ := s.Notices(domain.NoticeDropped)
	if got := kinds(pending); len(got) != 1 || got[0] != domain.NoticeCancelEmail || len(dropped) != 3 {
		t.Fatalf("after cancelling: pending %v, dropped %v", got, kinds(dropped))
	}
	if _, _, err := s.StartAttempt(dropped[1].ID, now.AddDate(0, 1, 0), func(int) time.Duration { return time.Minute }); err != ErrNotPending {
		t.Fatalf("a dropped reminder could be tried: %v", err)
	}
	s.Close()

	now = appt.End.Add(25 * time.Hour)
	s, err = Open(Options{Path: path, Services: testServices, Now: func() time.Time { return now }, Retention: 24 * time.Hour, Notices: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if all, _ := s.Notices(""); len(all) != 0 {
		t.Fatalf("notices kept after the purge: %v", kinds(all))
	}

	practice := openStore(t, filepath.Join(t.TempDir(), "practice.db"))
	defer practice.Close()
	if _, err := practice.Book(ctx, req); err != nil {
		t.Fatal(err)
	}
	if all, _ := practice.Notices(""); len(all) != 0 {
		t.Fatalf("the practice store queued %v", kinds(all))
	}
}

// BenchmarkDueNotices: the worker's scan of an outbox of 10,000 notices,
// about a year of a large city's bookings (the purge keeps far fewer).
func BenchmarkDueNotices(b *testing.B) {
	s, err := Open(Options{Path: filepath.Join(b.TempDir(), "bench.db"), Services: testServices, Now: func() time.Time { return monday }, Notices: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	batch := make([]domain.Notice, 1000)
	for i := range batch {
		batch[i] = domain.Notice{Kind: domain.NoticeSMSSoon, Code: "K7M-4PQ", Due: monday.AddDate(0, 0, 1), State: domain.NoticePending, NextTry: monday.AddDate(0, 0, 1)}
	}
	for range 10 {
		if err := s.db.Update(func(tx *bolt.Tx) error { return enqueue(tx, batch) }); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.DueNotices(monday, 100); err != nil {
			b.Fatal(err)
		}
	}
}
