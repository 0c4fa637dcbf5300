package kiosk

import (
	"context"
	"image"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/qr"
	"github.com/digitalebalie/balie/app/session"
	"github.com/digitalebalie/balie/app/textflow"
	"github.com/digitalebalie/balie/assets"
	"github.com/digitalebalie/balie/i18n"
)

// slotDays is how far ahead the day screen looks.
const slotDays = 30

// withServices draws screen once the catalogue is loaded, loading it first.
func (k *Kiosk) withServices(screen func() fyne.CanvasObject) fyne.CanvasObject {
	if k.services != nil {
		return screen()
	}
	if k.sess.Problem != "" {
		return container.NewVBox(k.question("ThemeQuestion", nil), k.problem(k.sess.Problem, func() {
			k.sess.Problem = ""
			k.render()
		}))
	}
	fetch(k, "BusyLoading", k.cfg.Backend.Services, func(services []domain.Service, err error) {
		if err == nil {
			k.services = services
		}
		k.sess.Problem = domain.CodeOf(err)
		k.render()
	})
	return k.busyView()
}

func (k *Kiosk) service() domain.Service {
	s, _ := domain.FindService(k.services, k.sess.ServiceID)
	return s
}

func (k *Kiosk) theme() fyne.CanvasObject {
	return k.withServices(func() fyne.CanvasObject {
		cols := k.columns()
		if k.wide() {
			cols = 3 // three themes side by side
		}
		from, to, nav := k.page(len(k.services), k.perPage(cols), "ThemeMore", "ThemePrevious")
		grid := k.grid(cols)
		for _, s := range k.services[from:to] {
			grid.Add(NewChoice(s.Name.In(k.sess.Lang), s.Summary.In(k.sess.Lang), assets.Icon(s.Icon), k.act(func() {
				k.sess.ServiceID = s.ID
				k.slots = nil
				k.goTo(session.Fit)
			})))
		}
		box := container.NewVBox(k.question("ThemeQuestion", nil), grid, nav)
		// What cannot be done by video (Burgerzaken) is one tap from the
		// first page, not at the end of every theme.
		if from == 0 {
			for _, s := range k.services[to:] {
				if !s.ByVideo {
					// A card, not a button: its text is laid out right to
					// left where the language needs it.
					box.Add(NewChoice(s.Name.In(k.sess.Lang), "", assets.Icon(s.Icon), k.act(func() {
						k.sess.ServiceID = s.ID
						k.goTo(session.Fit)
					})))
				}
			}
		}
		return box
	})
}

// fit says plainly whether video fits this question, and what to have ready
// or where to go instead.
func (k *Kiosk) fit() fyne.CanvasObject {
	return k.withServices(func() fyne.CanvasObject {
		s := k.service()
		lang := k.sess.Lang
		icon := container.NewGridWrap(fyne.NewSquareSize(scaled(72)), widget.NewIcon(assets.Icon(s.Icon)))
		text := container.NewVBox(strong(s.Name.In(lang)), paragraph(s.Summary.In(lang)))
		title := container.NewBorder(nil, nil, icon, nil, text)
		if k.rtl() {
			title = container.NewBorder(nil, nil, nil, icon, text)
		}
		box := container.NewVBox(k.question("FitQuestion", nil), title)
		if !s.ByVideo {
			box.Add(errorText(k.t("FitNo", nil)))
			box.Add(paragraph(s.InPerson.In(lang)))
			box.Add(NewButton(k.t("FitOtherTheme", nil), k.backIcon(), k.act(func() {
				k.sess.Back()
				k.render()
			})))
			return box
		}
		box.Objects = box.Objects[:1] // the theme goes beside what to prepare
		about := container.NewVBox(title, strong(k.t("FitYes", nil)), paragraph(k.n("FitDuration", int(s.Duration/time.Minute), nil)))
		prepare := container.NewVBox(paragraph(k.t("FitPrepare", nil)))
		items := []string{k.t("FitPrepareDevice", nil)}
		for _, p := range s.Prepare {
			items = append(items, p.In(lang))
		}
		for _, it := range items {
			tick := widget.NewIcon(theme.ConfirmIcon())
			if k.rtl() {
				prepare.Add(container.NewBorder(nil, nil, nil, tick, paragraph(it)))
			} else {
				prepare.Add(container.NewBorder(nil, nil, tick, nil, paragraph(it)))
			}
		}
		next := k.forward(primaryButton(k.t("FitContinue", nil), nil, k.act(func() { k.goTo(session.Day) })))
		prepare.Add(next)
		box.Add(k.sideBySide(about, prepare))
		return box
	})
}

// withSlots draws screen once the free slots of the chosen service are
// loaded.
func (k *Kiosk) withSlots(questionID string, screen func() fyne.CanvasObject) fyne.CanvasObject {
	if k.slots != nil {
		return screen()
	}
	if k.sess.Problem != "" && k.sess.Problem != domain.ESlotTaken {
		return container.NewVBox(k.question(questionID, nil), k.problem(k.sess.Problem, func() {
			k.sess.Problem = ""
			k.render()
		}))
	}
	serviceID, now := k.sess.ServiceID, k.cfg.Now()
	fetch(k, "BusyLoading", func(ctx context.Context) ([]domain.Slot, error) {
		return k.cfg.Backend.Slots(ctx, serviceID, now, slotDays)
	}, func(slots []domain.Slot, err error) {
		if err != nil {
			k.sess.Problem = domain.CodeOf(err)
		} else if serviceID == k.sess.ServiceID { // not a theme left meanwhile
			k.slots = append([]domain.Slot{}, slots...)
		}
		k.render()
	})
	return k.busyView()
}

func (k *Kiosk) day() fyne.CanvasObject {
	return k.withSlots("DayQuestion", func() fyne.CanvasObject {
		days := domain.GroupByDay(k.slots, domain.Brussels)
		box := container.NewVBox(k.question("DayQuestion", nil))
		if len(days) == 0 {
			box.Add(strong(k.t("DayNone", map[string]any{"Phone": k.cfg.HelpPhone})))
			return box
		}
		cols := k.columns()
		if k.wide() {
			cols = 3 // six days in two rows
		}
		from, to, nav := k.page(len(days), perPage, "DayLater", "DayEarlier")
		grid := k.grid(cols)
		for _, d := range days[from:to] {
			grid.Add(NewChoice(k.date(d.Date),
				k.n("DayFreeSlots", len(d.Slots), nil), theme.CalendarIcon(), k.act(func() {
					k.sess.Day = d.Date
					k.goTo(session.Time)
				})))
		}
		box.Add(grid)
		box.Add(nav)
		return box
	})
}

// daySlots returns the free slots on the chosen day.
func (k *Kiosk) daySlots() []domain.Slot {
	for _, d := range domain.GroupByDay(k.slots, domain.Brussels) {
		if d.Date.Equal(k.sess.Day) {
			return d.Slots
		}
	}
	return nil
}

func (k *Kiosk) timeOfDay() fyne.CanvasObject {
	return k.withSlots("DayQuestion", func() fyne.CanvasObject {
		box := container.NewVBox(k.question("TimeQuestion", map[string]any{"Day": k.sess.Day}))
		if k.sess.Problem == domain.ESlotTaken {
			box.Add(errorText(k.t("ErrorSlotTaken", nil)))
		}
		slots := k.daySlots()
		if len(slots) == 0 {
			box.Add(strong(k.t("DayNone", map[string]any{"Phone": k.cfg.HelpPhone})))
			return box
		}
		from, to, nav := k.page(len(slots), perPage, "TimeLater", "TimeEarlier")
		grid := k.grid(k.columns())
		for _, sl := range slots[from:to] {
			grid.Add(NewChoice(k.slotText(sl.Start, sl.End), "", nil, k.act(func() {
				k.sess.Slot = sl
				k.goTo(session.Contact)
			})))
		}
		box.Add(grid)
		box.Add(nav)
		return box
	})
}

func (k *Kiosk) slotText(start, end time.Time) string {
	return k.t("TimeRange", map[string]any{"Start": k.clock(start), "End": k.clock(end)})
}

// whenText is "maandag 30 november 2026 om 09:30" in the visitor's language.
func (k *Kiosk) whenText(t time.Time) string {
	return k.t("ConfirmWhenValue", map[string]any{"Date": k.date(t), "Time": k.clock(t)})
}

// date and clock write a date and a time in the visitor's language, in
// Ghent's time.
func (k *Kiosk) date(t time.Time) string {
	return k.cfg.Messages.Date(k.sess.Lang, t, domain.Brussels)
}

func (k *Kiosk) clock(t time.Time) string {
	return k.cfg.Messages.Time(k.sess.Lang, t, domain.Brussels)
}

func (k *Kiosk) contact() fyne.CanvasObject {
	c := &k.sess.Contact
	var entries []*TextField
	// On a wide screen the fields stand in three narrow columns: why one
	// was refused goes under the row at full width, named by its label,
	// so a long reason does not make the form scroll.
	wide := k.wide()
	var reasons []fyne.CanvasObject
	field := func(labelID, exampleID, name string, value *string) fyne.CanvasObject {
		e := NewTextField()
		entries = append(entries, e)
		e.SetText(*value)
		e.OnChanged = func(s string) {
			k.idle.Touch()
			*value = s
		}
		// No gaps of its own: the label's and the error's padding keep
		// them apart from the field, and the refused form still fits 720p.
		// Under a refused field (one column) its error takes the example's
		// place: it says what to type, with an example of its own. Side by
		// side every field keeps its example, so the fields stay in line.
		box := container.New(layout.NewCustomPaddedVBoxLayout(0), strong(k.t(labelID, nil)))
		reason, refused := k.sess.Errors[name]
		if !refused || wide {
			box.Add(example(k.t(exampleID, nil)))
		}
		box.Add(e)
		switch {
		case refused && wide:
			reasons = append(reasons, errorText(k.t(labelID, nil)+": "+k.fieldError(reason)))
		case refused:
			box.Add(errorText(k.fieldError(reason)))
		}
		return box
	}
	goOn := k.act(func() {
		contact, err := domain.ValidateContact(*c)
		if err != nil {
			k.sess.Errors = domain.FieldsOf(err)
			k.render()
			return
		}
		k.sess.Contact = contact
		k.goTo(session.Confirm)
	})
	next := k.forward(primaryButton(k.t("ContactContinue", nil), nil, goOn))
	box := container.NewVBox(k.question("ContactQuestion", nil))
	switch {
	case len(k.sess.Errors) == 0:
		box.Add(paragraph(k.t("ContactHint", nil)))
	case !wide: // the reasons stand under their fields, further down
		box.Add(errorText(k.t("ContactFix", nil))) // in place of the hint: what to do now
	}
	fields := []fyne.CanvasObject{
		field("ContactName", "ContactNameExample", domain.FieldName, &c.Name),
		field("ContactEmail", "ContactEmailExample", domain.FieldEmail, &c.Email),
		field("ContactPhone", "ContactPhoneExample", domain.FieldPhone, &c.Phone),
	}
	// The cursor waits in the first field, or the first refused one; Enter
	// moves on to the next field, and from the last one goes on.
	k.focus = entries[0]
	for i, name := range []string{domain.FieldName, domain.FieldEmail, domain.FieldPhone} {
		if _, bad := k.sess.Errors[name]; bad {
			k.focus = entries[i]
			break
		}
	}
	for i, e := range entries {
		if i+1 < len(entries) {
			nextField := entries[i+1]
			e.OnSubmitted = func(string) { k.idle.Touch(); k.win.Canvas().Focus(nextField) }
		} else {
			e.OnSubmitted = func(string) { goOn() }
		}
	}
	privacy := wrappedText(k.t("ContactPrivacy", nil), widget.RichTextStyle{Inline: true, TextStyle: fyne.TextStyle{Italic: true}})
	if !wide {
		box.Objects = append(box.Objects, fields...)
		box.Add(privacy)
		box.Add(next)
		return box
	}
	// Side by side on a wide screen: the three fields in one row, and the
	// reassurance beside the button.
	box.Add(k.grid(3, fields...))
	box.Objects = append(box.Objects, reasons...)
	box.Add(k.besideButton(privacy, next))
	return box
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

// summary shows label/value pairs side by side, values in bold, so a whole
// summary fits on one screen without scrolling.
// In a right-to-left language each label sits on the right of its value.
func summary(pairs ...string) fyne.CanvasObject { return summaryWith(len(pairs), pairs...) }

// summaryWith is summary where the values from pair index personalFrom on
// are the visitor's own data, not read aloud unless asked for.
func summaryWith(personalFrom int, pairs ...string) fyne.CanvasObject {
	mark := func(i int, o fyne.CanvasObject) fyne.CanvasObject {
		if i >= personalFrom {
			return private(o)
		}
		return o
	}
	if len(pairs) > 0 && textflow.HasRTL(pairs[0]) {
		rows := container.NewVBox()
		for i := 0; i+1 < len(pairs); i += 2 {
			label := rightToLeft(pairs[i], widget.RichTextStyle{})
			// A phone number or an address keeps its order: without the
			// isolate "0475 55 66 77" would read "77 66 55 0475".
			value := rightToLeft(i18n.Isolate(pairs[i+1]), widget.RichTextStyle{TextStyle: fyne.TextStyle{Bold: true}})
			rows.Add(container.NewBorder(nil, nil, nil, label, mark(i, value)))
		}
		return rows
	}
	form := container.New(layout.NewFormLayout())
	for i := 0; i+1 < len(pairs); i += 2 {
		form.Add(widget.NewLabel(pairs[i]))
		form.Add(mark(i, strong(pairs[i+1])))
	}
	return form
}

func (k *Kiosk) confirm() fyne.CanvasObject {
	s := k.service()
	c := k.sess.Contact
	pairs := []string{
		k.t("ConfirmTheme", nil), s.Name.In(k.sess.Lang),
		k.t("ConfirmWhen", nil), k.whenText(k.sess.Slot.Start),
		k.t("ConfirmName", nil), c.Name,
	}
	if c.Email != "" {
		pairs = append(pairs, k.t("ConfirmEmail", nil), c.Email)
	}
	if c.Phone != "" {
		pairs = append(pairs, k.t("ConfirmPhone", nil), domain.DisplayPhone(c.Phone))
	}
	box := container.NewVBox(k.question("ConfirmQuestion", nil))
	if k.sess.Problem != "" {
		box.Add(k.problem(k.sess.Problem, nil))
	}
	// Tick cards rather than Fyne check boxes: a check box answers taps
	// only on its small box and label, not on a full-height target.
	choices := container.NewVBox(
		tickCard(k.t("ConfirmInterpreter", nil), k.sess.Interpreter, k.act(func() {
			k.sess.Interpreter = !k.sess.Interpreter
			k.render()
		})),
		tickCard(k.t("ConfirmConsent", nil), k.sess.ConsentResearch, k.act(func() {
			k.sess.ConsentResearch = !k.sess.ConsentResearch
			k.render()
		})),
		primaryButton(k.t("ConfirmBook", nil), theme.ConfirmIcon(), k.act(k.book)),
	)
	box.Add(k.sideBySide(summaryWith(4, pairs...), choices))
	return box
}

// book makes the booking. A taken slot sends the visitor back to the times
// with fresh slots; refused contact data back to the contact screen; a
// network fault keeps everything and offers to try again.
func (k *Kiosk) book() {
	req := domain.BookingRequest{
		ServiceID: k.sess.ServiceID, Start: k.sess.Slot.Start, Language: k.sess.Lang,
		Contact: k.sess.Contact, ConsentResearch: k.sess.ConsentResearch, Interpreter: k.sess.Interpreter,
	}
	fetch(k, "BusyBooking", func(ctx context.Context) (domain.Appointment, error) {
		return k.cfg.Backend.Book(ctx, req)
	}, func(appt domain.Appointment, err error) {
		switch domain.CodeOf(err) {
		case "":
			k.sess.Booked = &appt
			k.goTo(session.Done)
		case domain.ESlotTaken:
			k.slots = nil
			k.sess.BackTo(session.Time)
			k.sess.Problem = domain.ESlotTaken
			k.render()
		case domain.EInvalid:
			fields := domain.FieldsOf(err)
			if _, ok := fields["start"]; ok {
				k.slots = nil
				k.sess.BackTo(session.Time)
				k.sess.Problem = domain.ESlotTaken
			} else {
				k.sess.BackTo(session.Contact)
				k.sess.Errors = fields
			}
			k.render()
		default:
			k.sess.Problem = domain.CodeOf(err)
			k.render()
		}
	})
}

func (k *Kiosk) done() fyne.CanvasObject {
	a := k.sess.Booked
	s := k.service()
	// The code beside its label, and Finish under the QR code: the whole
	// screen fits a 720p monitor.
	codeRow := container.NewHBox(container.NewCenter(label(k.t("DoneCode", nil), widget.RichTextStyle{})), private(bigCode(a.Code)))
	if k.rtl() {
		slices.Reverse(codeRow.Objects)
	}
	left := container.NewVBox(
		k.confirmation("DoneTitle"),
		summary(k.t("ConfirmTheme", nil), s.Name.In(k.sess.Lang), k.t("ConfirmWhen", nil), k.whenText(a.Start)),
		k.inReadingDirection(codeRow),
		paragraph(k.t("DoneCodeHint", nil)),
	)
	right := container.NewVBox(k.qrBeside(*a, paragraph(k.t("DoneQR", nil))), primaryButton(k.t("DoneFinish", nil), theme.ConfirmIcon(), k.act(k.StartOver)))
	return k.grid(k.columns(), left, right)
}

// qrBeside is a's QR code with the sentence that explains it beside it, on
// the side the visitor reads first.
func (k *Kiosk) qrBeside(a domain.Appointment, text ...fyne.CanvasObject) fyne.CanvasObject {
	code := k.qrCode(a)
	hint := fyne.CanvasObject(container.NewVBox(text...))
	if k.rtl() {
		return container.NewBorder(nil, nil, nil, code, hint)
	}
	return container.NewBorder(nil, nil, code, nil, hint)
}

// besideButton puts a sentence beside a button, the button at the end of
// the line in the visitor's reading direction.
func (k *Kiosk) besideButton(text fyne.CanvasObject, button *Button) fyne.CanvasObject {
	b := container.NewCenter(button)
	if k.rtl() {
		return container.NewBorder(nil, nil, b, nil, text)
	}
	return container.NewBorder(nil, nil, nil, b, text)
}

// inReadingDirection puts a fixed-width object at the start of the line:
// on the right in a right-to-left language.
func (k *Kiosk) inReadingDirection(o fyne.CanvasObject) fyne.CanvasObject {
	if k.rtl() {
		return container.NewHBox(layout.NewSpacer(), o)
	}
	return o
}

// bigCode shows a booking code in very large letters, spaced to read aloud.
func bigCode(code string) fyne.CanvasObject {
	t := canvas.NewText(code, current().primary)
	t.TextSize = scaled(64)
	t.TextStyle = fyne.TextStyle{Bold: true, Monospace: true}
	return t
}

// qrCode draws the QR for a's phone page: sharp modules at a fixed,
// scannable size. The backend's own phone URL wins (the gateway knows its
// public address); otherwise it is built from PhoneBase and the token.
func (k *Kiosk) qrCode(a domain.Appointment) fyne.CanvasObject {
	url := a.PhoneURL
	if url == "" {
		url = qr.PhoneURL(k.cfg.PhoneBase, a.Token)
	}
	img, err := qr.Image(url, qr.MinPixels)
	if err != nil {
		k.cfg.Log.Error("qr code failed", "err", err)
		img = image.NewGray(image.Rect(0, 0, 1, 1))
	}
	c := canvas.NewImageFromImage(img)
	c.ScaleMode = canvas.ImageScalePixels
	c.FillMode = canvas.ImageFillContain
	c.SetMinSize(fyne.NewSquareSize(qr.MinPixels))
	return container.NewCenter(c)
}
