package kiosk

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// doneScreen confirms the booking: its code, what happens next, and a QR
// code that puts it on the visitor's phone.
type doneScreen struct{ *Kiosk }

func (s doneScreen) show() (fyne.CanvasObject, fyne.CanvasObject) {
	a := s.sess.Booked
	codeSize := float32(64)
	if s.big() {
		codeSize = 96
	}
	codeRow := container.NewHBox(container.NewCenter(label(s.t("DoneCode", nil), widget.RichTextStyle{})), private(bigCode(a.Code, codeSize)))
	if s.rtl() {
		slices.Reverse(codeRow.Objects)
	}
	left := container.NewVBox(
		s.confirmation("DoneTitle"),
		summary(s.t("ConfirmTheme", nil), s.service().Name.In(s.sess.Lang), s.t("ConfirmWhen", nil), s.whenText(a.Start)),
		s.inReadingDirection(codeRow),
		paragraph(s.t("DoneCodeHint", nil)),
	)
	// What happens next: the messages that are coming, and how to join.
	next := container.NewVBox()
	if a.Contact.Email != "" {
		next.Add(s.bullet(theme.MailComposeIcon(), s.t("DoneNextEmail", nil)))
	}
	if a.Contact.Phone != "" {
		next.Add(s.bullet(theme.MailSendIcon(), s.t("DoneNextSMS", nil)))
	}
	next.Add(s.bullet(theme.MediaVideoIcon(), s.t("DoneNextJoin", nil)))
	right := s.qrBeside(*a, paragraph(s.t("DoneQR", nil)))
	finish := primaryButton(s.t("DoneFinish", nil), theme.ConfirmIcon(), s.act(s.finish))
	if s.big() {
		// A Full HD screen has room for all of it side by side.
		return s.grid(2, left, container.NewVBox(right, next)), finish
	}
	if s.wide() {
		return container.NewVBox(s.grid(2, left, right), next), finish
	}
	// Larger text: the code row alone is half a 720p screen wide.
	return container.NewVBox(left, right, next), finish
}

// bullet is a line of text behind a small icon, in reading direction.
func (k *Kiosk) bullet(icon fyne.Resource, text string) fyne.CanvasObject {
	i := container.NewGridWrap(fyne.NewSquareSize(scaled(36)), NewIcon(icon))
	if k.rtl() {
		return container.NewBorder(nil, nil, nil, i, paragraph(text))
	}
	return container.NewBorder(nil, nil, i, nil, paragraph(text))
}
