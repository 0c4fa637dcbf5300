package kiosk

import (
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/session"
)

// Tour walks the real window through the booking screens in each language
// and saves a PNG of each: welcome, theme, time, contact and done. It runs
// on its own goroutine against a practice backend, for CI's smoke test and
// for people to look at.
func (k *Kiosk) Tour(dir string, langs []string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var files []string
	shot := func(name string) error {
		k.waitIdle()
		time.Sleep(300 * time.Millisecond) // let the window paint the new content
		var err error
		fyne.DoAndWait(func() {
			img := k.win.Canvas().Capture()
			path := filepath.Join(dir, name+".png")
			var f *os.File
			if f, err = os.Create(path); err != nil {
				return
			}
			defer f.Close()
			err = png.Encode(f, img)
			files = append(files, path)
		})
		return err
	}
	step := func(f func()) { fyne.DoAndWait(f); k.waitIdle() }

	for _, lang := range langs {
		step(k.StartOver)
		if err := shot(lang + "-welcome"); err != nil {
			return files, err
		}
		step(func() { k.sess.Lang = lang; k.goTo(session.Home) })
		step(func() { k.goTo(session.Theme) })
		if err := shot(lang + "-theme"); err != nil {
			return files, err
		}
		var ok bool
		step(func() {
			for _, s := range k.services {
				if s.ByVideo {
					k.sess.ServiceID = s.ID
					ok = true
					break
				}
			}
			k.goTo(session.Fit)
		})
		if !ok {
			return files, fmt.Errorf("no service to book by video")
		}
		step(func() { k.goTo(session.Day) })
		step(func() {
			if len(k.slots) > 0 {
				k.sess.Day = domain.GroupByDay(k.slots, domain.Brussels)[0].Date
			}
			k.goTo(session.Time)
		})
		if err := shot(lang + "-time"); err != nil {
			return files, err
		}
		step(func() {
			slots := k.daySlots()
			if len(slots) > 0 {
				k.sess.Slot = slots[0]
			}
			k.sess.Contact = domain.Contact{Name: "Oefen Persoon", Email: "oefen@voorbeeld.be", Phone: "0470 12 34 56"}
			k.goTo(session.Contact)
		})
		if err := shot(lang + "-contact"); err != nil {
			return files, err
		}
		step(func() {
			c, err := domain.ValidateContact(k.sess.Contact)
			if err == nil {
				k.sess.Contact = c
			}
			k.goTo(session.Confirm)
		})
		step(k.book)
		if k.sess.Screen != session.Done {
			return files, fmt.Errorf("%s: booking did not reach the done screen (problem %q)", lang, k.sess.Problem)
		}
		if err := shot(lang + "-done"); err != nil {
			return files, err
		}
	}
	step(k.StartOver)
	return files, nil
}

// waitIdle waits until no backend call is in flight.
func (k *Kiosk) waitIdle() {
	for i := 0; i < 200; i++ {
		var busy bool
		fyne.DoAndWait(func() { busy = k.busy != "" })
		if !busy {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}
