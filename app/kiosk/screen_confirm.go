package kiosk

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/qr"
	"github.com/digitalebalie/balie/app/session"
)

// confirmScreen shows the whole booking once more, with the two optional
// questions, before it is made.
type confirmScreen struct{ *Kiosk }

func (s confirmScreen) show() (fyne.CanvasObject, fyne.CanvasObject) {
	c := s.sess.Contact
	pairs := []string{
		s.t("ConfirmTheme", nil), s.service().Name.In(s.sess.Lang),
		s.t("ConfirmWhen", nil), s.whenText(s.sess.Slot.Start),
		s.t("ConfirmName", nil), c.Name,
	}
	if c.Email != "" {
		pairs = append(pairs, s.t("ConfirmEmail", nil), c.Email)
	}
	if c.Phone != "" {
		pairs = append(pairs, s.t("ConfirmPhone", nil), domain.DisplayPhone(c.Phone))
	}
	box := container.NewVBox(s.question("ConfirmQuestion", nil))
	if s.sess.Problem != "" {
		box.Add(s.problem(s.sess.Problem))
	}
	if s.sess.BookUnsure {
		box.Add(s.notConfirmed())
	}
	// Tick cards rather than Fyne check boxes: a check box answers taps
	// only on its small box and label, not on a full-height target.
	choices := container.NewVBox(
		tickCard(s.t("ConfirmInterpreter", nil), s.sess.Interpreter, s.act(func() {
			s.sess.Interpreter = !s.sess.Interpreter
			s.render()
		})),
	)
	if s.sess.Interpreter { // in the visitor's own language, unless they choose another
		choices.Add(NewChoice(s.t("InterpreterLanguage", map[string]any{"Language": s.interpreterName()}),
			s.t("InterpreterChange", nil), nil, s.act(func() { s.goTo(session.Interpreter) })))
	}
	choices.Add(tickCard(s.t("ConfirmConsent", nil), s.sess.ConsentResearch, s.act(func() {
		s.sess.ConsentResearch = !s.sess.ConsentResearch
		s.render()
	})))
	box.Add(s.sideBySide(summaryWith(4, pairs...), choices))
	return box, primaryButton(s.t("ConfirmBook", nil), theme.ConfirmIcon(), s.act(s.book))
}

// book makes the booking. A taken slot sends the visitor back to the times
// with fresh slots; refused contact data back to the contact screen; a
// network fault keeps everything and offers to try again.
func (s confirmScreen) book() {
	if s.sess.BookKey == "" {
		s.sess.BookKey = newID()
	}
	req := domain.BookingRequest{
		ServiceID: s.sess.ServiceID, Start: s.sess.Slot.Start, Language: s.sess.Lang,
		Contact: s.sess.Contact, ConsentResearch: s.sess.ConsentResearch, Interpreter: s.sess.Interpreter,
		InterpreterLanguage: s.interpreterLanguage(), Key: s.sess.BookKey,
	}
	fetch(s.Kiosk, "BusyBooking", func(ctx context.Context) (domain.Appointment, error) {
		return s.cfg.Backend.Book(ctx, req)
	}, func(appt domain.Appointment, err error) {
		fields := domain.FieldsOf(err)
		_, badStart := fields["start"]
		code := domain.CodeOf(err)
		// No answer: the booking may or may not be made. The visitor reads
		// that it is not confirmed, and "try again" asks with the same key.
		s.sess.BookUnsure = code == domain.EOffline || code == domain.EUnavailable || code == domain.EInternal
		switch {
		case code == "":
			s.sess.BookUnsure = false
			s.sess.Booked = &appt
			s.goTo(session.Done)
		case code == domain.ESlotTaken || code == domain.EInvalid && badStart:
			s.sess.Slots = nil // stale: the times screen loads them afresh
			s.sess.BackTo(session.Time)
			s.sess.Problem = domain.ESlotTaken
			s.render()
		case code == domain.EInvalid:
			s.sess.BackTo(session.Contact)
			s.sess.Errors = fields
			s.render()
		default:
			s.sess.Problem = code
			s.render()
		}
	})
}

// notConfirmed says the booking is not confirmed, that trying again never
// books twice, and where the city's own booking page is (a QR code to it
// when the kiosk knows it): the visitor always knows where they stand.
func (s confirmScreen) notConfirmed() fyne.CanvasObject {
	box := container.NewVBox(banner(s.t("BookNotConfirmed", nil), current().practice))
	if s.cfg.BookingPage == "" {
		return box
	}
	img, err := qr.Image(s.cfg.BookingPage, int(qr.MinPixels))
	if err != nil {
		return box
	}
	code := canvas.NewImageFromImage(img)
	code.ScaleMode, code.FillMode = canvas.ImageScalePixels, canvas.ImageFillContain
	code.SetMinSize(fyne.NewSquareSize(qr.MinPixels))
	hint := paragraph(s.t("BookOnPhone", nil))
	if s.rtl() {
		box.Add(container.NewBorder(nil, nil, nil, code, hint))
	} else {
		box.Add(container.NewBorder(nil, nil, code, nil, hint))
	}
	return box
}
