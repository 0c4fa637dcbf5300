package kiosk

import (
	"image"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/qr"
	"github.com/digitalebalie/balie/app/textflow"
	"github.com/digitalebalie/balie/i18n"
)

// The pieces that show an appointment, shared by the booking and join
// screens.

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

// keepOrder makes a phone number or a code keep its order inside a
// right-to-left sentence: without it "09 234 56 78" reads "78 56 234 09".
func (k *Kiosk) keepOrder(value string) string {
	if k.rtl() {
		return i18n.Isolate(value)
	}
	return value
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

// qrBeside is a's QR code with the sentences that explain it beside it, on
// the side the visitor reads first.
func (k *Kiosk) qrBeside(a domain.Appointment, text ...fyne.CanvasObject) fyne.CanvasObject {
	code := k.qrCode(a, k.qrSize())
	hint := fyne.CanvasObject(container.NewVBox(text...))
	if k.rtl() {
		return container.NewBorder(nil, nil, nil, code, hint)
	}
	return container.NewBorder(nil, nil, code, nil, hint)
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
func bigCode(code string, size float32) fyne.CanvasObject {
	t := canvas.NewText(code, current().primary)
	t.TextSize = scaled(size)
	t.TextStyle = fyne.TextStyle{Bold: true, Monospace: true}
	return t
}

// qrCode draws the QR for a's phone page: sharp modules at a fixed,
// scannable size. The backend's own phone URL wins (the gateway knows its
// public address); otherwise it is built from PhoneBase and the token.
func (k *Kiosk) qrCode(a domain.Appointment, size float32) fyne.CanvasObject {
	url := a.PhoneURL
	if url == "" {
		url = qr.PhoneURL(k.cfg.PhoneBase, a.Token)
	}
	img, err := qr.Image(url, int(size))
	if err != nil {
		k.cfg.Log.Error("qr code failed", "err", err)
		img = image.NewGray(image.Rect(0, 0, 1, 1))
	}
	c := canvas.NewImageFromImage(img)
	c.ScaleMode = canvas.ImageScalePixels
	c.FillMode = canvas.ImageFillContain
	c.SetMinSize(fyne.NewSquareSize(size))
	return container.NewCenter(c)
}

// qrSize is the QR code's size: the scannable minimum, and half as large
// again on a Full HD screen, which has the room.
func (k *Kiosk) qrSize() float32 {
	if k.big() {
		return 1.5 * qr.MinPixels
	}
	return qr.MinPixels
}

// big tells whether the window is a Full HD screen at a text size that
// leaves it room to spare.
func (k *Kiosk) big() bool { return k.wide() && !k.short() }
