package kiosk

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/session"
)

// joinCancelScreen asks before cancelling: one tap too many must not lose
// an appointment.
type joinCancelScreen struct{ *Kiosk }

func (s joinCancelScreen) show() (fyne.CanvasObject, fyne.CanvasObject) {
	a := s.sess.Found
	box := container.NewVBox(
		s.question("JoinCancelQuestion", nil),
		summary(s.t("ConfirmTheme", nil), s.service().Name.In(s.sess.Lang), s.t("ConfirmWhen", nil), s.whenText(a.Start)),
		paragraph(s.t("JoinCancelHint", nil)),
	)
	if s.sess.Problem != "" {
		box.Add(s.problem(s.sess.Problem))
	}
	// Keeping the appointment is the highlighted choice, first in
	// reading order: the one a hurried tap should find.
	return box, s.actions(
		primaryButton(s.t("JoinCancelNo", nil), s.backIcon(), s.act(s.back)),
		NewButton(s.t("JoinCancelYes", nil), theme.DeleteIcon(), s.act(s.cancel)),
	)
}

// cancel cancels the appointment found, with the same proof the visitor
// gave to find it, and shows its status again.
func (s joinCancelScreen) cancel() {
	code, check := s.sess.Found.Code, s.sess.JoinCheck
	s.sess.Problem = ""
	fetch(s.Kiosk, "BusyCancelling", func(ctx context.Context) (done, error) {
		return done{}, s.cfg.Backend.Cancel(ctx, code, check)
	}, func(_ done, err error) {
		if err != nil {
			s.sess.Problem = domain.CodeOf(err)
			s.render()
			return
		}
		s.sess.Found.Cancelled = true
		s.sess.BackTo(session.JoinStatus)
		s.render()
	})
}
