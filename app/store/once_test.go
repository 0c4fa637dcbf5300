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

func TestBookOnceReturnsTheFirstResultAcrossReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "balie.db")
	s := openStore(t, path)
	slot := firstSlot(t, s)

	first, err := s.BookOnce(ctx, "kiosk-1|key-a", request(slot))
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.BookOnce(ctx, "kiosk-1|key-a", request(slot))
	if err != nil || again.Code != first.Code || again.Token != first.Token {
		t.Fatalf("repeat = %+v, %v; want the first booking %s", again, err, first.Code)
	}
	s.Close()

	s = openStore(t, path)
	defer s.Close()
	afterReopen, err := s.BookOnce(ctx, "kiosk-1|key-a", request(slot))
	if err != nil || afterReopen.Code != first.Code {
		t.Fatalf("after reopen = %+v, %v; want %s", afterReopen, err, first.Code)
	}
	if _, err := s.BookOnce(ctx, "kiosk-1|key-b", request(slot)); domain.CodeOf(err) != domain.ESlotTaken {
		t.Fatalf("a new key for the same slot = %v, want slot_taken", err)
	}
}

func TestBookOnceConcurrentRepeatsBookOnce(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, filepath.Join(t.TempDir(), "balie.db"))
	defer s.Close()
	slot := firstSlot(t, s)

	codes := make([]string, 20)
	var wg sync.WaitGroup
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			appt, err := s.BookOnce(ctx, "same-key", request(slot))
			if err != nil {
				t.Error(err)
			}
			codes[i] = appt.Code
		}()
	}
	wg.Wait()
	for _, c := range codes {
		if c != codes[0] {
			t.Fatalf("repeats got different codes: %v", codes)
		}
	}
}

func TestPhoneURLAndCancelByToken(t *testing.T) {
	ctx := context.Background()
	s, err := Open(Options{
		Path: filepath.Join(t.TempDir(), "balie.db"), Services: testServices,
		Now: func() time.Time { return monday }, PhoneBase: "https://balie.example/",
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	slot := firstSlot(t, s)
	appt, err := s.Book(ctx, request(slot))
	if err != nil {
		t.Fatal(err)
	}
	if want := "https://balie.example/a/" + appt.Token; appt.PhoneURL != want {
		t.Fatalf("PhoneURL = %q, want %q", appt.PhoneURL, want)
	}
	if err := s.CancelByToken(ctx, "no-such-token"); domain.CodeOf(err) != domain.ENotFound {
		t.Fatalf("unknown token: %v", err)
	}
	if err := s.CancelByToken(ctx, appt.Token); err != nil {
		t.Fatal(err)
	}
	got, err := s.FindByToken(ctx, appt.Token)
	if err != nil || !got.Cancelled || got.PhoneURL == "" {
		t.Fatalf("after cancel: %+v, %v", got, err)
	}
	if free := firstSlot(t, s); !free.Start.Equal(slot.Start) {
		t.Fatalf("slot not freed: first free is %v", free.Start)
	}
}

func TestSignalsAreValidatedAndKept(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, filepath.Join(t.TempDir(), "balie.db"))
	defer s.Close()
	for _, tc := range []struct {
		name string
		err  error
		want domain.ErrorCode
	}{
		{"help", s.RequestHelp(ctx, domain.HelpRequest{Device: "k1", Language: "ar", Screen: "contact"}), ""},
		{"help without language", s.RequestHelp(ctx, domain.HelpRequest{Screen: "contact"}), domain.EInvalid},
		{"help with long screen", s.RequestHelp(ctx, domain.HelpRequest{Language: "nl", Screen: strings.Repeat("x", 33)}), domain.EInvalid},
		{"feedback", s.SendFeedback(ctx, domain.Feedback{Language: "tr", Rating: 5}), ""},
		{"feedback rating 0", s.SendFeedback(ctx, domain.Feedback{Language: "tr", Rating: 0}), domain.EInvalid},
		{"feedback rating 6", s.SendFeedback(ctx, domain.Feedback{Language: "tr", Rating: 6}), domain.EInvalid},
	} {
		if got := domain.CodeOf(tc.err); got != tc.want {
			t.Errorf("%s: %v, want %q", tc.name, tc.err, tc.want)
		}
	}
	help, _ := s.HelpRequests(ctx)
	fb, _ := s.FeedbackList(ctx)
	if len(help) != 1 || help[0].Language != "ar" || help[0].At.IsZero() || len(fb) != 1 || fb[0].Rating != 5 {
		t.Fatalf("kept help %+v, feedback %+v", help, fb)
	}
}
