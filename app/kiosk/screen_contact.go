package kiosk

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/session"
)

// contactScreen asks for a name and an e-mail address or a mobile number,
// each with an example above its field.
type contactScreen struct{ *Kiosk }

func (s contactScreen) show() (fyne.CanvasObject, fyne.CanvasObject) {
	c := &s.sess.Contact
	var entries []*TextField
	// On a wide screen the fields stand in three narrow columns: why one
	// was refused goes under the row at full width, named by its label,
	// so a long reason does not make the form scroll.
	wide := s.wide()
	var reasons []fyne.CanvasObject
	field := func(labelID, exampleID, name string, value *string) fyne.CanvasObject {
		e := NewTextField()
		entries = append(entries, e)
		e.SetText(*value)
		e.OnChanged = func(text string) {
			s.idle.Touch()
			*value = text
		}
		// No gaps of its own: the label's and the error's padding keep
		// them apart from the field, and the refused form still fits 720p.
		// Under a refused field (one column) its error takes the example's
		// place: it says what to type, with an example of its own. Side by
		// side every field keeps its example, so the fields stay in line.
		box := container.New(layout.NewCustomPaddedVBoxLayout(0), strong(s.t(labelID, nil)))
		reason, refused := s.sess.Errors[name]
		if !refused || wide {
			box.Add(example(s.t(exampleID, nil)))
		}
		box.Add(e)
		switch {
		case refused && wide:
			reasons = append(reasons, errorText(s.t(labelID, nil)+": "+s.fieldError(reason)))
		case refused:
			box.Add(errorText(s.fieldError(reason)))
		}
		return box
	}
	goOn := s.act(func() {
		contact, err := domain.ValidateContact(*c)
		if err != nil {
			s.sess.Errors = domain.FieldsOf(err)
			s.render()
			return
		}
		s.sess.Contact = contact
		s.goTo(session.Confirm)
	})
	next := s.forward(primaryButton(s.t("ContactContinue", nil), nil, goOn))
	box := container.NewVBox(s.question("ContactQuestion", nil))
	switch {
	case len(s.sess.Errors) == 0:
		box.Add(paragraph(s.t("ContactHint", nil)))
	case !wide: // the reasons stand under their fields, further down
		box.Add(errorText(s.t("ContactFix", nil))) // in place of the hint: what to do now
	}
	fields := []fyne.CanvasObject{
		field("ContactName", "ContactNameExample", domain.FieldName, &c.Name),
		field("ContactEmail", "ContactEmailExample", domain.FieldEmail, &c.Email),
		field("ContactPhone", "ContactPhoneExample", domain.FieldPhone, &c.Phone),
	}
	// The cursor waits in the first field, or the first refused one; Enter
	// moves on to the next field, and from the last one goes on.
	s.focus = entries[0]
	for i, name := range []string{domain.FieldName, domain.FieldEmail, domain.FieldPhone} {
		if _, bad := s.sess.Errors[name]; bad {
			s.focus = entries[i]
			break
		}
	}
	for i, e := range entries {
		if i+1 < len(entries) {
			nextField := entries[i+1]
			e.OnSubmitted = func(string) { s.idle.Touch(); s.win.Canvas().Focus(nextField) }
		} else {
			e.OnSubmitted = func(string) { goOn() }
		}
	}
	privacy := wrappedText(s.t("ContactPrivacy", nil), widget.RichTextStyle{Inline: true, TextStyle: fyne.TextStyle{Italic: true}})
	if wide { // the three fields in one row
		box.Add(s.grid(3, fields...))
		box.Objects = append(box.Objects, reasons...)
	} else {
		box.Objects = append(box.Objects, fields...)
	}
	box.Add(privacy)
	return box, next
}

// fieldError says in the visitor's language why a field was refused.
func (k *Kiosk) fieldError(r domain.FieldReason) string {
	if r == domain.ReasonTooLong {
		return k.n("FieldTooLong", domain.MaxNameLength, nil) // only a name can be too long
	}
	return k.t(fieldMessage(r), nil)
}

// fieldMessage names the message that explains a refused field.
func fieldMessage(r domain.FieldReason) string {
	switch r {
	case domain.ReasonRequired:
		return "FieldRequired"
	case domain.ReasonTooLong:
		return "FieldTooLong"
	case domain.ReasonInvalidName:
		return "FieldInvalidName"
	case domain.ReasonInvalidEmail:
		return "FieldInvalidEmail"
	case domain.ReasonInvalidPhone:
		return "FieldInvalidPhone"
	case domain.ReasonNotMobile:
		return "FieldNotMobile"
	case domain.ReasonEmailOrPhone:
		return "FieldEmailOrPhone"
	case domain.ReasonOutOfRange:
		return "FieldOutOfRange"
	}
	return "FieldUnknown"
}
