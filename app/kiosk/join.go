package kiosk

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/session"
	"github.com/digitalebalie/balie/assets"
)

// joinFind asks for the booking code and the owner's check.
func (k *Kiosk) joinFind() fyne.CanvasObject {
	code := NewTextField()
	code.SetText(k.sess.JoinCode)
	code.OnChanged = func(s string) {
		k.idle.Touch()
		k.sess.JoinCode = s
	}
	check := NewTextField()
	check.SetText(k.sess.JoinCheck)
	check.OnChanged = func(s string) {
		k.idle.Touch()
		k.sess.JoinCheck = s
	}
	codeBox := container.NewVBox(strong(k.t("JoinCode", nil)), example(k.t("JoinCodeExample", nil)), code)
	if _, bad := k.sess.Errors["code"]; bad {
		codeBox.Add(errorText(k.t("JoinBadCode", nil)))
	}
	checkBox := container.NewVBox(strong(k.t("JoinCheck", nil)), check)
	if _, bad := k.sess.Errors["check"]; bad {
		checkBox.Add(errorText(k.t("FieldRequired", nil)))
	}
	box := container.NewVBox(k.question("JoinQuestion", nil), k.sideBySide(codeBox, checkBox))
	switch k.sess.Problem {
	case "":
	case domain.ENotFound:
		// After a few wrong checks on a code only the full address or
		// number opens it; the visitor is told so without learning
		// whether the code exists.
		box.Add(errorText(k.t("JoinNotFound", nil) + " " + k.t("JoinUseFullCheck", nil)))
	default:
		box.Add(k.problem(k.sess.Problem, nil))
	}
	find := primaryButton(k.t("JoinFind", nil), theme.SearchIcon(), k.act(k.find))
	box.Add(find)
	code.OnSubmitted = func(string) { k.win.Canvas().Focus(check) }
	check.OnSubmitted = func(string) { k.idle.Touch(); k.find() }
	return box
}

func (k *Kiosk) find() {
	k.sess.Errors, k.sess.Problem = nil, ""
	code := domain.NormalizeCode(k.sess.JoinCode)
	errs := map[string]domain.FieldReason{}
	if code == "" {
		errs["code"] = domain.ReasonInvalidCode
	}
	check := k.sess.JoinCheck
	if len(check) == 0 {
		errs["check"] = domain.ReasonRequired
	}
	if len(errs) > 0 {
		k.sess.Errors = errs
		k.render()
		return
	}
	// The status screen names the theme: the catalogue comes along when
	// it is not loaded yet.
	type found struct {
		services []domain.Service
		appt     domain.Appointment
	}
	haveServices := k.services != nil
	fetch(k, "BusyLoading", func(ctx context.Context) (found, error) {
		var f found
		var err error
		if !haveServices {
			if f.services, err = k.cfg.Backend.Services(ctx); err != nil {
				return f, err
			}
		}
		f.appt, err = k.cfg.Backend.Find(ctx, code, check)
		return f, err
	}, func(f found, err error) {
		if f.services != nil {
			k.services = f.services
		}
		if err != nil {
			k.sess.Problem = domain.CodeOf(err)
			k.render()
			return
		}
		appt := f.appt
		k.sess.Found = &appt
		k.sess.ServiceID = appt.ServiceID
		k.goTo(session.JoinStatus)
	})
}

// joinStatusLine says how long until the appointment, or that it runs, is
// over or was cancelled.
func (k *Kiosk) joinStatusLine() string {
	a := k.sess.Found
	now := k.cfg.Now()
	switch {
	case a == nil:
		return ""
	case a.Cancelled:
		return k.t("JoinCancelled", nil)
	case a.Over(now):
		return k.t("JoinOver", nil)
	case !now.Before(a.Start):
		return k.t("JoinInProgress", nil)
	}
	until := a.Start.Sub(now)
	switch {
	case !sameDay(a.Start, now):
		// "In 1 day" on a Monday evening for Wednesday would be wrong:
		// another day is named.
		return k.t("JoinStartsOn", map[string]any{"Day": k.date(a.Start), "Time": k.clock(a.Start)})
	case until < time.Hour:
		return k.n("JoinStartsInMinutes", int((until+time.Minute-1)/time.Minute), nil)
	}
	return k.n("JoinStartsInHours", int(until/time.Hour), nil)
}

// sameDay tells whether a and b fall on one calendar day in Brussels.
func sameDay(a, b time.Time) bool {
	ay, am, ad := a.In(domain.Brussels).Date()
	by, bm, bd := b.In(domain.Brussels).Date()
	return ay == by && am == bm && ad == bd
}

func (k *Kiosk) joinStatus() fyne.CanvasObject {
	a := k.sess.Found
	if a == nil {
		return k.joinFind()
	}
	now := k.cfg.Now()
	line := k.joinStatusLine()
	k.lastTick = line
	box := container.NewVBox(
		k.question("JoinStatusQuestion", nil),
		summary(k.t("ConfirmTheme", nil), k.service().Name.In(k.sess.Lang), k.t("ConfirmWhen", nil), k.whenText(a.Start)),
		strong(line),
	)
	if a.Cancelled || a.Over(now) {
		return box
	}
	// Joining here beside the other ways: on the phone, or cancelling.
	here := container.NewVBox()
	others := container.NewVBox(
		NewChoice(k.t("JoinOnPhone", nil), "", assets.Icon("phone"), k.act(func() { k.goTo(session.JoinPhone) })),
		NewButton(k.t("JoinCancelAsk", nil), theme.DeleteIcon(), k.act(func() { k.goTo(session.JoinCancel) })),
	)
	box.Add(k.sideBySide(here, others))
	join := primaryButton(k.t("JoinNow", nil), theme.MediaVideoIcon(), k.act(k.openCall))
	if !a.CanJoin(now) {
		join.Disable()
		opens := a.Start.Add(-domain.JoinOpensBefore)
		if sameDay(opens, now) {
			here.Add(paragraph(k.t("JoinOpensAt", map[string]any{"Time": k.clock(opens)})))
		} else {
			here.Add(paragraph(k.t("JoinOpensOn", map[string]any{"Time": k.clock(opens), "Day": k.date(opens)})))
		}
	}
	here.Add(join)
	if k.sess.Problem != "" {
		here.Add(k.problem(k.sess.Problem, nil))
	}
	return box
}

// joinCancel asks before cancelling: one tap too many must not lose an
// appointment.
func (k *Kiosk) joinCancel() fyne.CanvasObject {
	a := k.sess.Found
	if a == nil {
		return k.joinFind()
	}
	box := container.NewVBox(
		k.question("JoinCancelQuestion", nil),
		summary(k.t("ConfirmTheme", nil), k.service().Name.In(k.sess.Lang), k.t("ConfirmWhen", nil), k.whenText(a.Start)),
		paragraph(k.t("JoinCancelHint", nil)),
	)
	if k.sess.Problem != "" {
		box.Add(k.problem(k.sess.Problem, nil))
	}
	// Keeping the appointment is the highlighted choice: the one a hurried
	// tap should find.
	box.Add(primaryButton(k.t("JoinCancelNo", nil), k.backIcon(), k.act(k.back)))
	box.Add(NewButton(k.t("JoinCancelYes", nil), theme.DeleteIcon(), k.act(k.cancelFound)))
	return box
}

// cancelFound cancels the appointment found, with the same proof the
// visitor gave to find it, and shows its status again.
func (k *Kiosk) cancelFound() {
	code, check := k.sess.Found.Code, k.sess.JoinCheck
	k.sess.Problem = ""
	fetch(k, "BusyCancelling", func(ctx context.Context) (done, error) {
		return done{}, k.cfg.Backend.Cancel(ctx, code, check)
	}, func(_ done, err error) {
		if err != nil {
			k.sess.Problem = domain.CodeOf(err)
			k.render()
			return
		}
		k.sess.Found.Cancelled = true
		k.sess.BackTo(session.JoinStatus)
		k.render()
	})
}

// joinPhone hands the appointment to the visitor's phone; also the way
// forward when the call window failed on this PC.
func (k *Kiosk) joinPhone() fyne.CanvasObject {
	a := k.sess.Found
	if a == nil {
		return k.joinFind()
	}
	finish := primaryButton(k.t("DoneFinish", nil), theme.ConfirmIcon(), k.act(k.StartOver))
	if k.phoneQR.IsZero() {
		k.phoneQR = k.cfg.Now()
	}
	if k.cfg.Now().Sub(k.phoneQR) >= PhoneQRShown {
		// Gone after a minute, so the next person at the PC cannot scan it.
		k.qrGone = true
		again := NewButton(k.t("JoinPhoneShowAgain", nil), theme.VisibilityIcon(), k.act(func() {
			k.phoneQR, k.qrGone = time.Time{}, false
			k.render()
		}))
		return container.NewVBox(k.question("JoinOnPhone", nil), paragraph(k.t("JoinPhoneHidden", nil)), again, finish)
	}
	// The sentences and Done beside the code, so a 720p screen holds it all.
	text := []fyne.CanvasObject{paragraph(k.t("JoinPhoneHint", nil)), finish}
	if k.sess.CallFailed {
		text = append([]fyne.CanvasObject{errorText(k.t("JoinCallFailed", nil))}, text...)
	}
	return container.NewVBox(k.question("JoinOnPhone", nil), k.qrBeside(*a, text...))
}

// PhoneQRShown is how long the phone screen shows its QR code.
const PhoneQRShown = time.Minute

// openCall opens the video call in its own window and follows it: while it
// is open the idle timer waits, and when it closes the kiosk comes back to
// the front and asks whether the conversation is over. A window that will
// not open, or closes at once, sends the visitor to the phone's QR code.
func (k *Kiosk) openCall() {
	if k.call != nil { // already open: a second tap opens no second window
		k.goTo(session.JoinCall)
		return
	}
	win, err := k.cfg.OpenCall(k.sess.Found.JoinURL, k.sess.Lang)
	if err != nil {
		k.callFailed(err)
		return
	}
	k.call, k.callOpen = win, k.cfg.Now()
	k.sess.CallFailed = false
	k.goTo(session.JoinCall)
	watch(k, func() (done, error) {
		<-win.Ended()
		return done{}, win.Err()
	}, func(_ done, err error) {
		if k.call != win {
			return
		}
		k.call = nil
		k.idle.Touch()
		k.win.RequestFocus()
		if err != nil {
			k.callFailed(err)
			return
		}
		k.sess.BackTo(session.JoinStatus) // back from here is the status, not the closed call
		k.goTo(session.JoinCallOver)
	})
}

// callFailed logs why the call window failed (never its link) and shows
// the way forward on the phone screen.
func (k *Kiosk) callFailed(err error) {
	k.cfg.Log.Error("video call window failed", "err", err)
	k.sess.CallFailed = true
	k.sess.BackTo(session.JoinStatus)
	k.goTo(session.JoinPhone)
}

// joinCall stands behind the call's window while it is open.
func (k *Kiosk) joinCall() fyne.CanvasObject {
	return container.NewVBox(k.question("JoinCallOpen", nil))
}

// joinCallOver asks, once the call window has closed, whether the
// conversation is over: yes ends the session, no opens the call again.
func (k *Kiosk) joinCallOver() fyne.CanvasObject {
	return container.NewVBox(
		k.question("JoinCallOverQuestion", nil),
		primaryButton(k.t("JoinCallOverYes", nil), theme.ConfirmIcon(), k.act(k.StartOver)),
		NewButton(k.t("JoinCallOverBack", nil), theme.MediaVideoIcon(), k.act(k.openCall)),
	)
}
