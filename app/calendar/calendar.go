// Package calendar knows when a city counter is open: working days, opening
// hours with a lunch break, and Belgian public holidays, in Europe/Brussels
// time. It turns that into the slots a service could offer. It imports the
// domain and Belgian holiday rules (rickar/cal), never Fyne or HTTP.
package calendar

import (
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/be"

	"github.com/digitalebalie/balie/app/domain"
)

// Period is a span of the day, as offsets from midnight.
type Period struct{ From, To time.Duration }

// Hours are a counter's opening hours per weekday. A weekday without
// periods is closed.
type Hours map[time.Weekday][]Period

func hm(h, m int) time.Duration { return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute }

// CityHours are the Stadskantoor's video-counter hours: mornings and
// afternoons with a lunch break, Thursday until seven, closed at weekends.
var CityHours = Hours{
	time.Monday:    {{hm(9, 0), hm(12, 0)}, {hm(13, 0), hm(16, 30)}},
	time.Tuesday:   {{hm(9, 0), hm(12, 0)}, {hm(13, 0), hm(16, 30)}},
	time.Wednesday: {{hm(9, 0), hm(12, 0)}, {hm(13, 0), hm(16, 30)}},
	time.Thursday:  {{hm(9, 0), hm(12, 0)}, {hm(13, 0), hm(19, 0)}},
	time.Friday:    {{hm(9, 0), hm(12, 0)}},
}

// Calendar knows the public holidays and the time zone, and turns a
// theme's Capacity into slots.
type Calendar struct {
	Location *time.Location
	holidays *cal.Calendar
}

// New returns the city calendar: Belgian public holidays in
// Europe/Brussels.
func New() *Calendar {
	c := &cal.Calendar{}
	c.AddHoliday(be.Holidays...)
	return &Calendar{Location: domain.Brussels, holidays: c}
}

// IsHoliday tells whether the date of t (in the calendar's zone) is a
// Belgian public holiday.
func (c *Calendar) IsHoliday(t time.Time) bool {
	actual, _, _ := c.holidays.IsHoliday(t.In(c.Location))
	return actual
}

// Open tells whether the counter opens at all on the date of t.
func (c *Calendar) Open(capacity Capacity, t time.Time) bool {
	t = t.In(c.Location)
	return len(capacity.Hours[t.Weekday()]) > 0 && !c.IsHoliday(t) && !capacity.closedOn(t)
}

// Slots lists every slot of the capacity's length on the days from the
// date of from for the given number of days, that starts at least the lead
// time after now, no further ahead than the horizon, and touches no
// blocked period. Slots never cross a break or closing time. A capacity of
// no counters has no slots.
func (c *Calendar) Slots(capacity Capacity, serviceID string, now, from time.Time, days int) []domain.Slot {
	var out []domain.Slot
	if capacity.Counters < 1 || capacity.Slot <= 0 {
		return nil
	}
	d := capacity.Slot
	from = from.In(c.Location)
	earliest := now.Add(capacity.LeadTime)
	today := now.In(c.Location)
	last := time.Date(today.Year(), today.Month(), today.Day()+capacity.Horizon, 0, 0, 0, 0, c.Location)
	for i := 0; i < days; i++ {
		day := time.Date(from.Year(), from.Month(), from.Day()+i, 0, 0, 0, 0, c.Location)
		if !day.Before(last) {
			break
		}
		if !c.Open(capacity, day) {
			continue
		}
		for _, p := range capacity.Hours[day.Weekday()] {
			for off := p.From; off+d <= p.To; off += d {
				// Built from the wall clock, so a day with a DST change
				// still opens at 09:00.
				start := time.Date(day.Year(), day.Month(), day.Day(), int(off/time.Hour), int(off%time.Hour/time.Minute), 0, 0, c.Location)
				if start.Before(earliest) || capacity.blocked(start, start.Add(d)) {
					continue
				}
				out = append(out, domain.Slot{ServiceID: serviceID, Start: start, End: start.Add(d)})
			}
		}
	}
	return out
}
