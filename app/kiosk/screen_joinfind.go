package kiosk

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/session"
)

// joinFindScreen asks for the booking code and the owner's check: the
// e-mail address or mobile number given when booking.
type joinFindScreen struct{ *Kiosk }

func (s joinFindScreen) show() (fyne.CanvasObject, fyne.CanvasObject) {
	code := NewTextField()
	code.SetText(s.sess.JoinCode)
	code.OnChanged = func(text string) {
		s.idle.Touch()
		s.sess.JoinCode = text
	}
	check := NewTextField()
	check.SetText(s.sess.JoinCheck)
	check.OnChanged = func(text string) {
		s.idle.Touch()
		s.sess.JoinCheck = text
	}
	codeBox := container.NewVBox(strong(s.t("JoinCode", nil)), example(s.t("JoinCodeExample", nil)), code)
	if _, bad := s.sess.Errors["code"]; bad {
		codeBox.Add(errorText(s.t("JoinBadCode", nil)))
	}
	checkBox := container.NewVBox(strong(s.t("JoinCheck", nil)), check)
	if _, bad := s.sess.Errors["check"]; bad {
		checkBox.Add(errorText(s.t("FieldRequired", nil)))
	}
	box := container.NewVBox(s.question("JoinQuestion", nil), s.sideBySide(codeBox, checkBox))
	switch s.sess.Problem {
	case "":
	case domain.ENotFound:
		// After a few wrong checks on a code only the full address or
		// number opens it; the visitor is told so without learning
		// whether the code exists.
		box.Add(errorText(s.t("JoinNotFound", nil) + " " + s.t("JoinUseFullCheck", nil)))
	default:
		box.Add(s.problem(s.sess.Problem))
	}
	code.OnSubmitted = func(string) { s.win.Canvas().Focus(check) }
	check.OnSubmitted = func(string) { s.idle.Touch(); s.find() }
	return box, primaryButton(s.t("JoinFind", nil), theme.SearchIcon(), s.act(s.find))
}

func (s joinFindScreen) find() {
	s.sess.Errors, s.sess.Problem = nil, ""
	code := domain.NormalizeCode(s.sess.JoinCode)
	errs := map[string]domain.FieldReason{}
	if code == "" {
		errs["code"] = domain.ReasonInvalidCode
	}
	check := s.sess.JoinCheck
	if len(check) == 0 {
		errs["check"] = domain.ReasonRequired
	}
	if len(errs) > 0 {
		s.sess.Errors = errs
		s.render()
		return
	}
	// The status screen names the theme: the catalogue comes along when
	// it is not loaded yet.
	type found struct {
		services []domain.Service
		appt     domain.Appointment
	}
	backend, haveServices := s.cfg.Backend, s.services != nil
	fetch(s.Kiosk, "BusyLoading", func(ctx context.Context) (found, error) {
		var f found
		var err error
		if !haveServices {
			if f.services, err = backend.Services(ctx); err != nil {
				return f, err
			}
		}
		f.appt, err = backend.Find(ctx, code, check)
		return f, err
	}, func(f found, err error) {
		if f.services != nil {
			s.services = f.services
		}
		if err != nil {
			s.sess.Problem = domain.CodeOf(err)
			s.render()
			return
		}
		appt := f.appt
		s.sess.Found = &appt
		s.sess.ServiceID = appt.ServiceID
		s.goTo(session.JoinStatus)
	})
}
