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

// Calendar tells which days are working days and generates slots on them.
type Calendar struct {
	Hours    Hours
	Location *time.Location
	// LeadTime is the least time between now and a bookable slot, so the
	// counter can prepare.
	LeadTime time.Duration
	holidays *cal.Calendar
}

// New returns the city calendar: CityHours, Belgian public holidays,
// Europe/Brussels, and one hour of lead time.
func New() *Calendar {
	c := &cal.Calendar{}
	c.AddHoliday(be.Holidays...)
	return &Calendar{Hours: CityHours, Location: domain.Brussels, LeadTime: time.Hour, holidays: c}
}

// IsHoliday tells whether the date of t (in the calendar's zone) is a
// Belgian public holiday.
func (c *Calendar) IsHoliday(t time.Time) bool {
	actual, _, _ := c.holidays.IsHoliday(t.In(c.Location))
	return actual
}

// Open tells whether the counter opens at all on the date of t.
func (c *Calendar) Open(t time.Time) bool {
	t = t.In(c.Location)
	return len(c.Hours[t.Weekday()]) > 0 && !c.IsHoliday(t)
}

// Slots lists every slot of length d on the days from the date of from for
// the given number of days, that starts at least LeadTime after now. Slots
// never cross the lunch break or closing time.
func (c *Calendar) Slots(serviceID string, d time.Duration, now, from time.Time, days int) []domain.Slot {
	var out []domain.Slot
	from = from.In(c.Location)
	earliest := now.Add(c.LeadTime)
	for i := 0; i < days; i++ {
		day := time.Date(from.Year(), from.Month(), from.Day()+i, 0, 0, 0, 0, c.Location)
		if !c.Open(day) {
			continue
		}
		for _, p := range c.Hours[day.Weekday()] {
			for off := p.From; off+d <= p.To; off += d {
				// Built from the wall clock, so a day with a DST change
				// still opens at 09:00.
				start := time.Date(day.Year(), day.Month(), day.Day(), int(off/time.Hour), int(off%time.Hour/time.Minute), 0, 0, c.Location)
				if start.Before(earliest) {
					continue
				}
				out = append(out, domain.Slot{ServiceID: serviceID, Start: start, End: start.Add(d)})
			}
		}
	}
	return out
}
