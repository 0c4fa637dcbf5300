package kiosk

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/session"
	"github.com/digitalebalie/balie/assets"
)

// joinStatusScreen shows the appointment found and how long until it
// starts, with the ways on: join here, on the phone, or cancel.
type joinStatusScreen struct {
	*Kiosk
	line string // the status line as last shown, to redraw when it changes
}

func (s *joinStatusScreen) show() (fyne.CanvasObject, fyne.CanvasObject) {
	a := s.sess.Found
	now := s.cfg.Now()
	s.line = s.statusLine()
	box := container.NewVBox(
		s.question("JoinStatusQuestion", nil),
		summary(s.t("ConfirmTheme", nil), s.service().Name.In(s.sess.Lang), s.t("ConfirmWhen", nil), s.whenText(a.Start)),
		strong(s.line),
	)
	if a.Cancelled || a.Over(now) {
		return box, nil
	}
	join := primaryButton(s.t("JoinNow", nil), theme.MediaVideoIcon(), s.act(s.openCall))
	if !a.CanJoin(now) {
		join.Disable()
		opens := a.Start.Add(-domain.JoinOpensBefore)
		if sameDay(opens, now) {
			box.Add(paragraph(s.t("JoinOpensAt", map[string]any{"Time": s.clock(opens)})))
		} else {
			box.Add(paragraph(s.t("JoinOpensOn", map[string]any{"Time": s.clock(opens), "Day": s.date(opens)})))
		}
	}
	if s.sess.Problem != "" {
		box.Add(s.problem(s.sess.Problem))
	}
	// The other ways beside each other: on the phone, or cancelling.
	box.Add(s.sideBySide(
		NewChoice(s.t("JoinOnPhone", nil), "", assets.Icon("phone"), s.act(func() { s.goTo(session.JoinPhone) })),
		NewChoice(s.t("JoinCancelAsk", nil), "", theme.DeleteIcon(), s.act(func() { s.goTo(session.JoinCancel) })),
	))
	return box, join
}

// changed tells whether the countdown moved on since it was drawn.
func (s *joinStatusScreen) changed() bool { return s.busy == "" && s.statusLine() != s.line }

// statusLine says how long until the appointment, or that it runs, is over
// or was cancelled.
func (s *joinStatusScreen) statusLine() string {
	a := s.sess.Found
	now := s.cfg.Now()
	switch {
	case a.Cancelled:
		return s.t("JoinCancelled", nil)
	case a.Over(now):
		return s.t("JoinOver", nil)
	case !now.Before(a.Start):
		return s.t("JoinInProgress", nil)
	}
	until := a.Start.Sub(now)
	switch {
	case !sameDay(a.Start, now):
		// "In 1 day" on a Monday evening for Wednesday would be wrong:
		// another day is named.
		return s.t("JoinStartsOn", map[string]any{"Day": s.date(a.Start), "Time": s.clock(a.Start)})
	case until < time.Hour:
		return s.n("JoinStartsInMinutes", int((until+time.Minute-1)/time.Minute), nil)
	}
	return s.n("JoinStartsInHours", int(until/time.Hour), nil)
}

// sameDay tells whether a and b fall on one calendar day in Brussels.
func sameDay(a, b time.Time) bool {
	ay, am, ad := a.In(domain.Brussels).Date()
	by, bm, bd := b.In(domain.Brussels).Date()
	return ay == by && am == bm && ad == bd
}
