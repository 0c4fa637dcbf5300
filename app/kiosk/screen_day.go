package kiosk

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/session"
)

// dayScreen asks which day, among the days with free times.
type dayScreen struct{ *Kiosk }

func (s dayScreen) show() (fyne.CanvasObject, fyne.CanvasObject) {
	return s.withSlots("DayQuestion", func() (fyne.CanvasObject, fyne.CanvasObject) {
		days := domain.GroupByDay(s.sess.Slots, domain.Brussels)
		box := container.NewVBox(s.question("DayQuestion", nil))
		if len(days) == 0 {
			box.Add(strong(s.t("DayNone", nil)))
			return box, nil
		}
		cols := s.columns()
		if s.wide() {
			cols = 3 // six days in two rows
		}
		from, to, nav := s.page(len(days), perPage, "DayLater", "DayEarlier")
		grid := s.grid(cols)
		for _, d := range days[from:to] {
			grid.Add(NewChoice(s.date(d.Date), s.n("DayFreeSlots", len(d.Slots), nil), theme.CalendarIcon(), s.act(func() {
				s.sess.Day = d.Date
				s.goTo(session.Time)
			})))
		}
		box.Add(grid)
		return box, nav
	})
}
