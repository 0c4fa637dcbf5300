package calendar

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/digitalebalie/balie/app/domain"
)

// Capacity is what a team lead sets for one theme: when its video counter
// is open, how long a slot is, how many appointments run at once, and how
// soon and how far ahead visitors can book. Belgian public holidays are
// closed without being listed.
type Capacity struct {
	Hours Hours `json:"hours"`
	// Slot is the length of one appointment.
	Slot time.Duration `json:"slot"`
	// Counters is how many appointments can run in the same slot: the
	// staff members taking video calls side by side.
	Counters int `json:"counters"`
	// LeadTime is the least time between booking and the appointment, so
	// the counter can prepare.
	LeadTime time.Duration `json:"leadTime"`
	// Horizon is how many days ahead visitors can book.
	Horizon int `json:"horizon"`
	// Closed are whole days the counter is closed, beyond public holidays
	// (a team day, a strike), as "2006-01-02" dates.
	Closed []string `json:"closed,omitempty"`
	// Blocked are periods no appointment may touch (a training, an outage).
	Blocked []Span `json:"blocked,omitempty"`
}

// Span is a blocked period.
type Span struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// Default is a theme's capacity until a lead sets one: the city's opening
// hours, one counter, an hour of lead time and as far ahead as a booking
// may be.
func Default(slot time.Duration) Capacity {
	return Capacity{Hours: CityHours, Slot: slot, Counters: 1, LeadTime: time.Hour, Horizon: MaxHorizon}
}

// Limits a lead cannot go beyond: they keep the slot list a visitor pages
// through, and the counters a store checks, small.
const (
	MinSlot     = 10 * time.Minute
	MaxSlot     = 4 * time.Hour
	MaxCounters = 20
	MaxHorizon  = domain.MaxSlotDays
	MaxLeadTime = 14 * 24 * time.Hour
)

// Validate says in Dutch what is wrong with a capacity, every problem at
// once, for the back office to show a lead.
func (c Capacity) Validate() error {
	var problems []string
	if c.Slot < MinSlot || c.Slot > MaxSlot || c.Slot%time.Minute != 0 {
		problems = append(problems, fmt.Sprintf("de duur van een afspraak moet tussen %d en %d minuten liggen", MinSlot/time.Minute, MaxSlot/time.Minute))
	}
	if c.Counters < 0 || c.Counters > MaxCounters {
		problems = append(problems, fmt.Sprintf("het aantal loketten moet tussen 0 en %d liggen", MaxCounters))
	}
	if c.LeadTime < 0 || c.LeadTime > MaxLeadTime {
		problems = append(problems, "de minimale tijd voor een afspraak moet tussen 0 en 14 dagen liggen")
	}
	if c.Horizon < 1 || c.Horizon > MaxHorizon {
		problems = append(problems, fmt.Sprintf("men moet 1 tot %d dagen vooruit kunnen boeken", MaxHorizon))
	}
	for day, periods := range c.Hours {
		for i, p := range periods {
			if p.From < 0 || p.To > 24*time.Hour || p.To <= p.From {
				problems = append(problems, fmt.Sprintf("%s: een periode moet eindigen na haar begin, binnen de dag", dutchDay(day)))
			}
			if i > 0 && p.From < periods[i-1].To {
				problems = append(problems, fmt.Sprintf("%s: de periodes overlappen of staan niet in volgorde", dutchDay(day)))
			}
		}
	}
	for _, d := range c.Closed {
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			problems = append(problems, fmt.Sprintf("gesloten dag %q is geen datum (jjjj-mm-dd)", d))
		}
	}
	for _, b := range c.Blocked {
		if !b.To.After(b.From) {
			problems = append(problems, "een geblokkeerde periode moet eindigen na haar begin")
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

var dutchDays = [...]string{"zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"}

func dutchDay(d time.Weekday) string { return dutchDays[d] }

// closedOn tells whether the lead closed the date of day.
func (c Capacity) closedOn(day time.Time) bool {
	return slices.Contains(c.Closed, day.Format(time.DateOnly))
}

// blocked tells whether [start, end) touches a blocked period.
func (c Capacity) blocked(start, end time.Time) bool {
	for _, b := range c.Blocked {
		if start.Before(b.To) && b.From.Before(end) {
			return true
		}
	}
	return false
}
