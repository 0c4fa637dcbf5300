package tour

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/kiosk"
	"github.com/digitalebalie/balie/app/session"
	"github.com/digitalebalie/balie/i18n"
)

// Visitor plays whole visitor sessions on a running kiosk, tapping what the
// screen labels as a visitor would. It runs on its own goroutine and does
// everything on the window through the UI thread.
type Visitor struct {
	Kiosk    *kiosk.Kiosk
	Window   fyne.Window
	Messages *i18n.Catalog
	// Backend is the practice store the kiosk books in: each session's
	// booking is cancelled afterwards, so tours leave the calendar, and the
	// practice visitor's quota, as they found them.
	Backend     domain.Backend
	Clock       *Clock // the kiosk's Config.Now
	Calls       *Calls // the kiosk's Config.OpenCall
	IdleTimeout time.Duration
	// Fits makes the tour fail on a screen whose content must scroll: at
	// the normal text size every screen fits its window, but the done
	// screen, whose "what happens next" may go below the fold on 720p.
	Fits bool
	// Larger and Contrast are what each visitor taps on the text-size bar
	// first: Larger times "larger text", then high contrast.
	Larger   int
	Contrast bool
}

// Tour plays one session per language and saves a PNG of each screen,
// named like "fr-05-time.png". capture saves what the display shows: under
// Xvfb the GL read-back of Fyne's Canvas.Capture comes out black, so the
// program passes a capture of the X window.
func (v *Visitor) Tour(dir string, langs []string, capture func(path string) error) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var files, tooTall []string
	for _, lang := range langs {
		err := v.session(lang, func(i int, name string) error {
			time.Sleep(300 * time.Millisecond) // let the window paint the new content
			path := filepath.Join(dir, fmt.Sprintf("%s-%02d-%s.png", lang, i+1, name))
			if err := capture(path); err != nil {
				return fmt.Errorf("capture %s: %w", path, err)
			}
			files = append(files, path)
			var over float32
			fyne.DoAndWait(func() { over = v.overflow() })
			if v.Fits && over > 0 && name != "done" {
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
			v.Window.Canvas().Size(), tooTall)
	}
	return files, nil
}

// Simulate plays n sessions one after the other, in langs by turn. Each
// screen stays up for pace so that it is painted. after is called after
// every session. It is for the memory benchmark.
func (v *Visitor) Simulate(n int, langs []string, pace time.Duration, after func(session int)) error {
	for i := range n {
		lang := langs[i%len(langs)]
		err := v.session(lang, func(int, string) error {
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

// overflow is how far the screen's content is taller than its page: what
// the visitor would have to scroll.
func (v *Visitor) overflow() float32 {
	var over float32
	for _, s := range All[*container.Scroll](v.Window.Content()) {
		over = max(over, s.Content.MinSize().Height-s.Size().Height)
	}
	return over
}

// session plays one visitor's session in lang, then starts over and
// cancels its booking.
func (v *Visitor) session(lang string, shown func(i int, name string) error) error {
	var booked domain.Appointment
	for i, st := range v.steps(lang, &booked) {
		var err error
		fyne.DoAndWait(func() { err = st.do() })
		if err == nil {
			v.waitIdle()
			if st.on != 0 {
				err = v.waitFor(st.on)
			}
		}
		if err != nil {
			return fmt.Errorf("%s: %w", st.name, err)
		}
		if err := shown(i, st.name); err != nil {
			return err
		}
	}
	fyne.DoAndWait(v.Kiosk.StartOver)
	if err := v.Backend.Cancel(context.Background(), booked.Code, booked.Contact.Email); err != nil {
		return fmt.Errorf("cancel: %w", err)
	}
	return nil
}

// step is one thing a visitor does, and the screen it must lead to.
type step struct {
	name string
	do   func() error // on the UI thread
	on   session.Screen
}

// steps makes the choices a visitor would, by the labels on the screen.
// The appointment made is kept in booked.
func (v *Visitor) steps(lang string, booked *domain.Appointment) []step {
	t := func(id string) string { return v.Messages.T(lang, id, nil) }
	k := v.Kiosk
	var slot domain.Slot
	contact := domain.Contact{Name: "Oefen Persoon", Email: "oefen@voorbeeld.be", Phone: "0470 12 34 56"}
	chooseLanguage := func() error {
		if err := v.tap(v.languageName(lang)); err != nil {
			return err
		}
		for range v.Larger {
			if err := v.tap(t("LookLarger")); err != nil {
				return err
			}
		}
		if v.Contrast {
			return v.tap(t("LookContrastOn"))
		}
		return nil
	}
	newVisitor := func() error {
		v.Clock.set(0)
		k.StartOver()
		return chooseLanguage()
	}
	return []step{
		{name: "welcome", on: session.Welcome, do: func() error { v.Clock.set(0); k.StartOver(); return nil }},
		{name: "home", on: session.Home, do: chooseLanguage},
		{name: "theme", on: session.Theme, do: func() error { return v.tap(t("HomeBook")) }},
		{name: "fit", on: session.Fit, do: func() error { return v.tapFirstChoice() }},
		{name: "day", on: session.Day, do: func() error { return v.tap(t("FitContinue")) }},
		{name: "time", on: session.Time, do: func() error {
			var err error
			if slot, err = v.laterSlot(); err != nil {
				return err
			}
			return v.tapPaged(v.Messages.Date(lang, slot.Start, domain.Brussels), t("DayLater"))
		}},
		{name: "contact", on: session.Contact, do: func() error {
			clock := func(at time.Time) string { return v.Messages.Time(lang, at, domain.Brussels) }
			return v.tapPaged(v.Messages.T(lang, "TimeRange", map[string]any{"Start": clock(slot.Start), "End": clock(slot.End)}), t("TimeLater"))
		}},
		{name: "contact-refused", on: session.Contact, do: func() error {
			if err := v.fill(contact.Name, "oefen@", contact.Phone); err != nil {
				return err
			}
			return v.tap(t("ContactContinue"))
		}},
		{name: "confirm", on: session.Confirm, do: func() error {
			if err := v.fill(contact.Name, contact.Email, contact.Phone); err != nil {
				return err
			}
			return v.tap(t("ContactContinue"))
		}},
		{name: "done", on: session.Done, do: func() error { return v.tap(t("ConfirmBook")) }},
		{name: "feedback", on: session.Feedback, do: func() error {
			if err := v.tap(t("DoneFinish")); err != nil {
				return err
			}
			return v.tap(t("FeedbackFace4"))
		}},
		{name: "still-there", do: func() error {
			*booked = *k.Session().Booked
			// The visitor walked away: the idle timeout passes.
			v.Clock.set(v.IdleTimeout + time.Second)
			k.Tick()
			if Tappable(v.Window.Content(), t("IdleContinue")) == nil {
				return fmt.Errorf("no idle warning after %s", v.IdleTimeout)
			}
			return nil
		}},
		{name: "join-find", on: session.JoinFind, do: func() error {
			if err := newVisitor(); err != nil {
				return err
			}
			if err := v.tap(t("HomeJoin")); err != nil {
				return err
			}
			return v.fill(booked.Code, booked.Contact.Email)
		}},
		{name: "join-status", on: session.JoinStatus, do: func() error { return v.tap(t("JoinFind")) }},
		{name: "join-phone", on: session.JoinPhone, do: func() error { return v.tap(t("JoinOnPhone")) }},
		{name: "join-cancel", on: session.JoinCancel, do: func() error {
			if err := v.tap(t("NavBack")); err != nil {
				return err
			}
			return v.tap(t("JoinCancelAsk"))
		}},
		{name: "join-call", on: session.JoinCall, do: func() error {
			if err := v.tap(t("JoinCancelNo")); err != nil { // keep it
				return err
			}
			// Five minutes before the appointment the call opens.
			v.Clock.set(time.Until(booked.Start.Add(-5 * time.Minute)))
			k.Redraw()
			return v.tap(t("JoinNow"))
		}},
		{name: "join-call-over", on: session.JoinCallOver, do: func() error { v.Calls.end(); return nil }},
		{name: "join-call-failed", on: session.JoinPhone, do: func() error {
			v.Calls.failNextOpen()
			return v.tap(t("JoinCallOverBack"))
		}},
		{name: "help", on: session.Help, do: func() error {
			if err := newVisitor(); err != nil {
				return err
			}
			return v.tap(t("HomeHelp"))
		}},
		// In practice mode the call goes to nobody, and the screen says so.
		{name: "help-called", on: session.Help, do: func() error { return v.tap(t("HelpCallStaff")) }},
	}
}

// laterSlot is the first free time at least two hours ahead, so that the
// booking lead time cannot close it while the tour books it.
func (v *Visitor) laterSlot() (domain.Slot, error) {
	slots := v.Kiosk.Session().Slots
	if len(slots) == 0 {
		return domain.Slot{}, fmt.Errorf("no free times (problem %q)", v.Kiosk.Session().Problem)
	}
	soon := v.Clock.Now().Add(2 * time.Hour)
	for _, sl := range slots {
		if sl.Start.After(soon) {
			return sl, nil
		}
	}
	return slots[len(slots)-1], nil
}

func (v *Visitor) languageName(tag string) string {
	for _, l := range i18n.Offered {
		if l.Tag == tag {
			return l.Name
		}
	}
	return tag
}

// tap taps what is labelled label, like a visitor's finger.
func (v *Visitor) tap(label string) error {
	t := Tappable(v.Window.Content(), label)
	if t == nil {
		return fmt.Errorf("nothing to tap labelled %q on screen %s; it shows: %s", label, v.Kiosk.Session().Screen, strings.Join(Texts(v.Window.Content()), " | "))
	}
	t.Tapped(&fyne.PointEvent{})
	return nil
}

// tapPaged taps label, turning pages with more until it shows.
func (v *Visitor) tapPaged(label, more string) error {
	for range 20 {
		if Tappable(v.Window.Content(), label) != nil {
			break
		}
		if err := v.tap(more); err != nil {
			return fmt.Errorf("looking for %q: %w", label, err)
		}
	}
	return v.tap(label)
}

// tapFirstChoice taps the first card on the screen.
func (v *Visitor) tapFirstChoice() error {
	cards := All[*kiosk.Choice](v.Window.Content())
	for _, c := range cards {
		if c.Hint != "" { // a theme card; the text-size bar's have no hint
			c.Tapped(&fyne.PointEvent{})
			return nil
		}
	}
	return fmt.Errorf("no card to choose on screen %s", v.Kiosk.Session().Screen)
}

// fill types texts into the screen's fields, in order.
func (v *Visitor) fill(texts ...string) error {
	fields := All[*kiosk.TextField](v.Window.Content())
	if len(fields) < len(texts) {
		return fmt.Errorf("screen %s has %d fields, want %d", v.Kiosk.Session().Screen, len(fields), len(texts))
	}
	for i, text := range texts {
		fields[i].SetText(text)
	}
	return nil
}

// on checks that the kiosk shows screen.
func (v *Visitor) on(screen session.Screen) error {
	s := v.Kiosk.Session()
	if s.Screen != screen {
		return fmt.Errorf("on screen %s, want %s (problem %q)", s.Screen, screen, s.Problem)
	}
	return nil
}

// waitFor waits until the kiosk shows screen: some steps end in work off
// the UI thread (a call window that closed), whose result comes later.
func (v *Visitor) waitFor(screen session.Screen) error {
	var err error
	for range 100 {
		if fyne.DoAndWait(func() { err = v.on(screen) }); err == nil {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return err
}

// waitIdle waits until no backend call is in flight.
func (v *Visitor) waitIdle() {
	for range 200 {
		var busy bool
		fyne.DoAndWait(func() { busy = v.Kiosk.Busy() })
		if !busy {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}
