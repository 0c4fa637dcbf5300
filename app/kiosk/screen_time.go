package kiosk

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/session"
)

// timeScreen asks which time on the chosen day.
type timeScreen struct{ *Kiosk }

func (s timeScreen) show() (fyne.CanvasObject, fyne.CanvasObject) {
	return s.withSlots("DayQuestion", func() (fyne.CanvasObject, fyne.CanvasObject) {
		box := container.NewVBox(s.question("TimeQuestion", map[string]any{"Day": s.sess.Day}))
		if s.sess.Problem == domain.ESlotTaken {
			box.Add(errorText(s.t("ErrorSlotTaken", nil)))
		}
		slots := s.daySlots()
		if len(slots) == 0 {
			box.Add(strong(s.t("DayNone", nil)))
			return box, nil
		}
		from, to, nav := s.page(len(slots), perPage, "TimeLater", "TimeEarlier")
		grid := s.grid(s.columns())
		for _, sl := range slots[from:to] {
			grid.Add(NewChoice(s.slotText(sl.Start, sl.End), "", nil, s.act(func() {
				s.sess.Slot = sl
				s.goTo(session.Contact)
			})))
		}
		box.Add(grid)
		return box, nav
	})
}

// daySlots returns the free slots on the chosen day.
func (s timeScreen) daySlots() []domain.Slot {
	for _, d := range domain.GroupByDay(s.sess.Slots, domain.Brussels) {
		if d.Date.Equal(s.sess.Day) {
			return d.Slots
		}
	}
	return nil
}
