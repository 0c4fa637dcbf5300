package calendar

import (
	"strings"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/domain"
)

func date(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, domain.Brussels)
}

func TestOpenDays(t *testing.T) {
	c := New()
	tests := []struct {
		name string
		day  time.Time
		open bool
	}{
		{"ordinary Monday", date(2026, 11, 23, 0, 0), true},
		{"Saturday", date(2026, 11, 28, 0, 0), false},
		{"Sunday", date(2026, 11, 29, 0, 0), false},
		{"Christmas", date(2026, 12, 25, 0, 0), false},
		{"New Year", date(2027, 1, 1, 0, 0), false},
		{"Easter Monday 2027", date(2027, 3, 29, 0, 0), false},
		{"Labour Day 2026", date(2026, 5, 1, 0, 0), false},
		{"Ascension 2027", date(2027, 5, 6, 0, 0), false},
		{"Whit Monday 2027", date(2027, 5, 17, 0, 0), false},
		{"National Day 2027", date(2027, 7, 21, 0, 0), false},
		{"Armistice 2026", date(2026, 11, 11, 0, 0), false},
		{"day after Armistice", date(2026, 11, 12, 0, 0), true},
	}
	for _, tt := range tests {
		if got := c.Open(Default(30*time.Minute), tt.day); got != tt.open {
			t.Errorf("%s (%s): Open = %v, want %v", tt.name, tt.day.Format("2006-01-02"), got, tt.open)
		}
	}
}

func TestSlotsRespectHoursLunchAndLeadTime(t *testing.T) {
	c := New()
	now := date(2026, 11, 23, 10, 10) // a Monday
	slots := c.Slots(Default(30*time.Minute), "energie", now, now, 1)
	// Lead time one hour: first slot 11:30. Morning ends 12:00; lunch until 13:00.
	var got []string
	for _, s := range slots {
		got = append(got, s.Start.In(domain.Brussels).Format("15:04"))
	}
	want := []string{"11:30", "13:00", "13:30", "14:00", "14:30", "15:00", "15:30", "16:00"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}

func TestSlotsNeverCrossClosing(t *testing.T) {
	c := New()
	now := date(2026, 11, 22, 8, 0)
	for _, s := range c.Slots(Default(time.Hour), "oog", now, now, 14) {
		start := s.Start.In(domain.Brussels)
		off := time.Duration(start.Hour())*time.Hour + time.Duration(start.Minute())*time.Minute
		inside := false
		for _, p := range CityHours[start.Weekday()] {
			if off >= p.From && off+time.Hour <= p.To {
				inside = true
			}
		}
		if !inside {
			t.Errorf("slot %v is outside opening hours", start)
		}
	}
}

func TestSlotsKeepWallClockAcrossDSTChange(t *testing.T) {
	c := New()
	// Summer time ends on Sunday 25 October 2026; Monday opens at 09:00 local.
	now := date(2026, 10, 23, 8, 0)
	slots := c.Slots(Default(30*time.Minute), "energie", now, now, 4)
	for _, s := range slots {
		if s.Start.In(domain.Brussels).Day() == 26 {
			if got := s.Start.In(domain.Brussels).Format("15:04"); got != "09:00" {
				t.Fatalf("first Monday slot at %s, want 09:00", got)
			}
			return
		}
	}
	t.Fatal("no slot on Monday 26 October")
}

// What a lead sets shapes the slots: a closed day and a blocked period
// have none, the horizon ends the list, no counters close the theme, and
// a capacity with a break or periods out of order is refused in Dutch.
func TestCapacityShapesSlots(t *testing.T) {
	c := New()
	now := date(2026, 11, 23, 8, 0) // Monday
	base := Default(30 * time.Minute)
	day := func(slots []domain.Slot, d int) int {
		n := 0
		for _, s := range slots {
			if s.Start.In(domain.Brussels).Day() == d {
				n++
			}
		}
		return n
	}
	closed := base
	closed.Closed = []string{"2026-11-24"}
	if n := day(c.Slots(closed, "x", now, now, 3), 24); n != 0 {
		t.Errorf("closed Tuesday has %d slots", n)
	}
	blocked := base
	blocked.Blocked = []Span{{From: date(2026, 11, 23, 9, 15), To: date(2026, 11, 23, 10, 0)}}
	for _, s := range c.Slots(blocked, "x", now, now, 1) {
		if s.Start.Before(date(2026, 11, 23, 10, 0)) && s.End.After(date(2026, 11, 23, 9, 15)) {
			t.Errorf("slot %v touches the blocked period", s.Start)
		}
	}
	short := base
	short.Horizon = 2
	if n := day(c.Slots(short, "x", now, now, 10), 25); n != 0 {
		t.Errorf("a 2-day horizon still offers Wednesday: %d slots", n)
	}
	none := base
	none.Counters = 0
	if got := c.Slots(none, "x", now, now, 10); len(got) != 0 {
		t.Errorf("no counters, %d slots", len(got))
	}
	bad := base
	bad.Hours = Hours{time.Monday: {{hm(13, 0), hm(16, 0)}, {hm(9, 0), hm(12, 0)}}}
	bad.Slot = 5 * time.Minute
	err := bad.Validate()
	if err == nil || !strings.Contains(err.Error(), "maandag") || !strings.Contains(err.Error(), "duur") {
		t.Errorf("Validate = %v, want the periods and the slot length named", err)
	}
	if err := base.Validate(); err != nil {
		t.Errorf("the default is refused: %v", err)
	}
}
