package kiosk

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"github.com/digitalebalie/balie/app/domain"
)

// slotDays is how far ahead the day screen looks.
const slotDays = 30

// withServices shows a screen once the city's catalogue is loaded, loading
// it first. The catalogue is the city's, not the visitor's: it stays loaded
// for the next one.
func (k *Kiosk) withServices(questionID string, screen func() (fyne.CanvasObject, fyne.CanvasObject)) (fyne.CanvasObject, fyne.CanvasObject) {
	if k.services != nil {
		return screen()
	}
	if k.sess.Problem != "" {
		return k.failed(questionID)
	}
	fetch(k, "BusyLoading", k.cfg.Backend.Services, func(services []domain.Service, err error) {
		if err == nil {
			k.services = k.offered(services)
		}
		k.sess.Problem = domain.CodeOf(err)
		k.render()
	})
	return k.busyView(), nil
}

// withSlots shows a screen once the free times of the chosen theme are
// loaded for this visitor.
func (k *Kiosk) withSlots(questionID string, screen func() (fyne.CanvasObject, fyne.CanvasObject)) (fyne.CanvasObject, fyne.CanvasObject) {
	if k.sess.Slots != nil {
		return screen()
	}
	if k.sess.Problem != "" && k.sess.Problem != domain.ESlotTaken {
		return k.failed(questionID)
	}
	serviceID, now := k.sess.ServiceID, k.cfg.Now()
	fetch(k, "BusyLoading", func(ctx context.Context) ([]domain.Slot, error) {
		return k.cfg.Backend.Slots(ctx, serviceID, now, slotDays)
	}, func(slots []domain.Slot, err error) {
		if err != nil {
			k.sess.Problem = domain.CodeOf(err)
		} else if serviceID == k.sess.ServiceID { // not a theme left meanwhile
			k.sess.Slots = append([]domain.Slot{}, slots...)
		}
		k.render()
	})
	return k.busyView(), nil
}

// failed is a screen whose data would not load: the question, what went
// wrong and "try again".
func (k *Kiosk) failed(questionID string) (fyne.CanvasObject, fyne.CanvasObject) {
	return container.NewVBox(k.question(questionID, nil), k.problem(k.sess.Problem)), k.retry(func() {
		k.sess.Problem = ""
		k.render()
	})
}

// service is the theme the visitor chose.
func (k *Kiosk) service() domain.Service {
	s, _ := domain.FindService(k.services, k.sess.ServiceID)
	return s
}
