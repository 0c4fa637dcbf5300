package kiosk

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// PhoneQRShown is how long the phone screen shows its QR code.
const PhoneQRShown = time.Minute

// joinPhoneScreen hands the appointment to the visitor's phone; also the
// way on when the call window failed on this PC. Its QR code leaves the
// screen after PhoneQRShown, so the next person at the PC cannot scan it.
type joinPhoneScreen struct {
	*Kiosk
	shownAt time.Time // when the QR code was last shown
	gone    bool      // and it has left the screen since
}

func (s *joinPhoneScreen) show() (fyne.CanvasObject, fyne.CanvasObject) {
	finish := primaryButton(s.t("DoneFinish", nil), theme.ConfirmIcon(), s.act(s.StartOver))
	if s.shownAt.IsZero() {
		s.shownAt = s.cfg.Now()
	}
	if s.gone = s.cfg.Now().Sub(s.shownAt) >= PhoneQRShown; s.gone {
		again := NewButton(s.t("JoinPhoneShowAgain", nil), theme.VisibilityIcon(), s.act(func() {
			s.shownAt = time.Time{}
			s.render()
		}))
		return container.NewVBox(s.question("JoinOnPhone", nil), paragraph(s.t("JoinPhoneHidden", nil)), again), finish
	}
	var text []fyne.CanvasObject
	if s.sess.CallFailed {
		text = append(text, errorText(s.t("JoinCallFailed", nil)))
	}
	text = append(text, paragraph(s.t("JoinPhoneHint", nil)))
	return container.NewVBox(s.question("JoinOnPhone", nil), s.qrBeside(*s.sess.Found, text...)), finish
}

// changed tells whether the QR code's minute is up.
func (s *joinPhoneScreen) changed() bool {
	return !s.gone && s.cfg.Now().Sub(s.shownAt) >= PhoneQRShown
}
