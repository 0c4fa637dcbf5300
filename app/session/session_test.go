package session

import (
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/domain"
)

func TestStepsAndBack(t *testing.T) {
	s := New("nl")
	s.Go(Home)
	if step, total := s.Step(); step != 1 || total != 0 {
		t.Fatalf("home: step %d of %d", step, total)
	}
	s.Go(Theme)
	s.Go(Fit)
	if step, total := s.Step(); step != 3 || total != 8 {
		t.Fatalf("fit: step %d of %d", step, total)
	}
	s.Back()
	if s.Screen != Theme {
		t.Fatalf("back from fit went to %v", s.Screen)
	}
	s.Back()
	if s.Screen != Home || s.Flow != NoFlow {
		t.Fatalf("back to home: %v flow %v", s.Screen, s.Flow)
	}
	s.Go(JoinFind)
	if step, total := s.Step(); step != 2 || total != 3 {
		t.Fatalf("join: step %d of %d", step, total)
	}
}

func TestNoWayBackFromDone(t *testing.T) {
	s := New("nl")
	for _, sc := range []Screen{Home, Theme, Fit, Day, Time, Contact, Confirm, Done} {
		s.Go(sc)
	}
	if s.CanGoBack() {
		t.Fatal("back is possible from the done screen")
	}
	s.Back()
	if s.Screen != Done {
		t.Fatal("back left the done screen")
	}
}

func TestWipeForgetsEverything(t *testing.T) {
	s := New("fr")
	s.Go(Home)
	s.ServiceID = "energie"
	s.Contact = domain.Contact{Name: "An", Email: "an@example.be", Phone: "+32470123456"}
	s.JoinCode, s.JoinCheck = "K7M-4PQ", "3456"
	s.Booked = &domain.Appointment{Code: "K7M-4PQ"}
	s.Wipe("nl")
	if s.HasVisitorData() || s.Lang != "nl" || s.Screen != Welcome || s.CanGoBack() {
		t.Fatalf("after wipe: %+v", s)
	}
}

func TestIdleWarnsThenExpires(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	i := NewIdle(90*time.Second, 30*time.Second, clock)
	tests := []struct {
		after time.Duration
		state IdleState
		left  time.Duration
	}{
		{89 * time.Second, Active, 0},
		{90 * time.Second, Warning, 30 * time.Second},
		{110 * time.Second, Warning, 10 * time.Second},
		{120 * time.Second, Expired, 0},
	}
	start := now
	for _, tt := range tests {
		now = start.Add(tt.after)
		state, left := i.State()
		if state != tt.state || left != tt.left {
			t.Errorf("after %v: %v with %v left, want %v with %v", tt.after, state, left, tt.state, tt.left)
		}
	}
	i.Touch()
	if state, _ := i.State(); state != Active {
		t.Fatal("touch does not reset the timer")
	}
}
