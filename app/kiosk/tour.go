package kiosk

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/session"
)

// Tour walks the real window through every screen in each language and
// saves a PNG of each, named like "fr-05-time.png". It books one practice
// appointment per language and then looks it up on the join screens. It runs
// on its own goroutine, for CI's smoke test and for people to look at.
//
// capture saves what the screen shows to a PNG file. Under Xvfb the GL
// read-back of Fyne's Canvas.Capture comes out black, so the program passes
// a capture of the X window instead.
func (k *Kiosk) Tour(dir string, langs []string, capture func(path string) error) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var files, tooTall []string
	for _, lang := range langs {
		err := k.tourOnce(lang, func(i int, name string) error {
			time.Sleep(300 * time.Millisecond) // let the window paint the new content
			path := filepath.Join(dir, fmt.Sprintf("%s-%02d-%s.png", lang, i+1, name))
			if err := capture(path); err != nil {
				return fmt.Errorf("capture %s: %w", path, err)
			}
			files = append(files, path)
			var over float32
			fyne.DoAndWait(func() {
				if k.look.scale < 1.5 {
					over = k.overflow()
				}
			})
			if over > 0 {
				tooTall = append(tooTall, fmt.Sprintf("%s (%.0f px)", filepath.Base(path), over))
			}
			return nil
		})
		if err != nil {
			return files, fmt.Errorf("%s: %w", lang, err)
		}
	}
	if len(tooTall) > 0 {
		return files, fmt.Errorf("at the normal text size these screens must scroll in a %v window: %v",
			k.win.Canvas().Size(), tooTall)
	}
	return files, nil
}

// overflow is how far the current screen is taller than the room it has:
// what the visitor would have to scroll.
func (k *Kiosk) overflow() float32 {
	var over float32
	var find func(o fyne.CanvasObject)
	find = func(o fyne.CanvasObject) {
		switch o := o.(type) {
		case *container.Scroll:
			over = max(over, o.Content.MinSize().Height-o.Size().Height)
		case *fyne.Container:
			for _, c := range o.Objects {
				find(c)
			}
		}
	}
	find(k.win.Content())
	return over
}

// Simulate plays n whole visitor sessions on the real window, one after the
// other, in langs by turn: book, look the booking up, ask for help. Each
// screen stays up for pace so that it is painted. after is called after
// every session, off the UI thread. It is for the memory benchmark.
func (k *Kiosk) Simulate(n int, langs []string, pace time.Duration, after func(session int)) error {
	for i := range n {
		lang := langs[i%len(langs)]
		err := k.tourOnce(lang, func(int, string) error {
			time.Sleep(pace)
			return nil
		})
		if err != nil {
			return fmt.Errorf("session %d (%s): %w", i+1, lang, err)
		}
		if after != nil {
			after(i + 1)
		}
	}
	return nil
}

// tourOnce plays one visitor's session in lang, then starts over and
// cancels its booking: the tours leave the calendar, and the practice
// visitor's quota of appointments, as they found them.
func (k *Kiosk) tourOnce(lang string, shown func(i int, name string) error) error {
	var booked domain.Appointment
	if err := k.walk(k.tourSteps(lang, &booked), shown); err != nil {
		return err
	}
	fyne.DoAndWait(k.StartOver)
	if err := k.cfg.Backend.Cancel(context.Background(), booked.Code, booked.Contact.Email); err != nil {
		return fmt.Errorf("cancel: %w", err)
	}
	return nil
}

// walk takes steps on the UI thread, waits for their calls, checks them and
// hands each screen to shown.
func (k *Kiosk) walk(steps []tourStep, shown func(i int, name string) error) error {
	for i, st := range steps {
		fyne.DoAndWait(st.do)
		k.waitIdle()
		if st.check != nil {
			var err error
			fyne.DoAndWait(func() { err = st.check() })
			if err != nil {
				return fmt.Errorf("%s: %w", st.name, err)
			}
		}
		if err := shown(i, st.name); err != nil {
			return err
		}
	}
	return nil
}

type tourStep struct {
	name  string
	do    func()       // on the UI thread
	check func() error // on the UI thread, after calls finished
}

// tourSteps makes the choices a visitor would, through the same session
// and calls as the screens' buttons. The appointment made is kept in booked
// when it is not nil.
func (k *Kiosk) tourSteps(lang string, booked *domain.Appointment) []tourStep {
	var code, check string
	on := func(want session.Screen) func() error {
		return func() error {
			if k.sess.Screen != want {
				return fmt.Errorf("on screen %s, want %s (problem %q)", k.sess.Screen, want, k.sess.Problem)
			}
			return nil
		}
	}
	return []tourStep{
		{name: "welcome", do: k.StartOver, check: on(session.Welcome)},
		{name: "home", do: func() { k.sess.Lang = lang; k.goTo(session.Home) }},
		{name: "theme", do: func() { k.goTo(session.Theme) }, check: func() error {
			if len(k.services) == 0 {
				return fmt.Errorf("no themes loaded (problem %q)", k.sess.Problem)
			}
			return nil
		}},
		{name: "fit", do: func() {
			for _, s := range k.services {
				if s.ByVideo {
					k.sess.ServiceID = s.ID
					break
				}
			}
			k.goTo(session.Fit)
		}},
		{name: "day", do: func() { k.goTo(session.Day) }, check: func() error {
			if len(k.slots) == 0 {
				return fmt.Errorf("no free slots (problem %q)", k.sess.Problem)
			}
			return nil
		}},
		{name: "time", do: func() {
			k.sess.Slot = k.tourSlot()
			k.sess.Day = domain.GroupByDay([]domain.Slot{k.sess.Slot}, domain.Brussels)[0].Date
			k.goTo(session.Time)
		}},
		{name: "contact", do: func() {
			k.sess.Contact = domain.Contact{Name: "Oefen Persoon", Email: "oefen@voorbeeld.be", Phone: "0470 12 34 56"}
			k.goTo(session.Contact)
		}},
		{name: "contact-refused", do: func() {
			k.sess.Contact.Email = "oefen@"
			k.sess.Errors = map[string]domain.FieldReason{domain.FieldEmail: domain.ReasonInvalidEmail}
			k.render()
		}},
		{name: "confirm", do: func() {
			k.sess.Errors = nil
			k.sess.Contact.Email = "oefen@voorbeeld.be"
			c, _ := domain.ValidateContact(k.sess.Contact)
			k.sess.Contact = c
			k.goTo(session.Confirm)
		}},
		{name: "done", do: k.book, check: func() error {
			if err := on(session.Done)(); err != nil {
				return err
			}
			code, check = k.sess.Booked.Code, k.sess.Contact.Email
			if booked != nil {
				*booked = *k.sess.Booked
			}
			return nil
		}},
		{name: "still-there", do: func() { k.win.SetContent(k.stillThere(k.cfg.IdleCountdown)) }},
		{name: "join-find", do: func() {
			k.StartOver()
			k.sess.Lang = lang
			k.goTo(session.Home)
			k.goTo(session.JoinFind)
			k.sess.JoinCode, k.sess.JoinCheck = code, check
			k.render()
		}},
		{name: "join-status", do: k.find, check: on(session.JoinStatus)},
		{name: "join-phone", do: func() { k.goTo(session.JoinPhone) }},
		{name: "join-cancel", do: func() { k.goTo(session.JoinCancel) }},
		// The call's own window is the browser's; the kiosk shows these
		// behind it, after it, and when it fails.
		{name: "join-call", do: func() { k.goTo(session.JoinCall) }},
		{name: "join-call-over", do: func() { k.goTo(session.JoinCallOver) }},
		{name: "join-call-failed", do: func() {
			k.sess.CallFailed = true
			k.goTo(session.JoinPhone)
		}},
		{name: "help", do: func() {
			k.StartOver()
			k.sess.Lang = lang
			k.goTo(session.Home)
			k.goTo(session.Help)
		}},
	}
}

// tourSlot is the first free time at least two hours ahead, so that the
// one-hour booking lead time cannot close it while the tour books it.
func (k *Kiosk) tourSlot() domain.Slot {
	soon := k.cfg.Now().Add(2 * time.Hour)
	for _, sl := range k.slots {
		if sl.Start.After(soon) {
			return sl
		}
	}
	return k.slots[len(k.slots)-1]
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
