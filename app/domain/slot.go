package domain

import (
	"time"
	_ "time/tzdata" // the city's zone must load on a PC without zoneinfo
)

// Slot is a free period at one service's counter.
type Slot struct {
	ServiceID string
	Start     time.Time
	End       time.Time
}

// Day is one calendar day in the city's time zone, with its free slots in
// order.
type Day struct {
	Date  time.Time // midnight, Europe/Brussels
	Slots []Slot
}

// GroupByDay groups slots (in any order of days but ordered within) into days
// in loc, keeping the order in which days first appear.
func GroupByDay(slots []Slot, loc *time.Location) []Day {
	var days []Day
	for _, s := range slots {
		local := s.Start.In(loc)
		date := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc)
		if n := len(days); n > 0 && days[n-1].Date.Equal(date) {
			days[n-1].Slots = append(days[n-1].Slots, s)
			continue
		}
		days = append(days, Day{Date: date, Slots: []Slot{s}})
	}
	return days
}

// Brussels is the city's time zone. Every date and time a visitor sees is
// in it, whatever the PC's own setting.
var Brussels = mustLoad("Europe/Brussels")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // time/tzdata is linked in by the programs, so this cannot happen
	}
	return loc
}
