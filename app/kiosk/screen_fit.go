package kiosk

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"github.com/digitalebalie/balie/app/session"
	"github.com/digitalebalie/balie/assets"
)

// fitScreen says plainly whether video fits this question, and what to
// have ready or where to go instead.
type fitScreen struct{ *Kiosk }

func (s fitScreen) show() (fyne.CanvasObject, fyne.CanvasObject) {
	return s.withServices("FitQuestion", func() (fyne.CanvasObject, fyne.CanvasObject) {
		sv := s.service()
		lang := s.sess.Lang
		icon := container.NewGridWrap(fyne.NewSquareSize(scaled(72)), NewIcon(assets.Icon(sv.Icon)))
		text := container.NewVBox(strong(sv.Name.In(lang)), paragraph(sv.Summary.In(lang)))
		title := container.NewBorder(nil, nil, icon, nil, text)
		if s.rtl() {
			title = container.NewBorder(nil, nil, nil, icon, text)
		}
		if !sv.ByVideo {
			other := primaryButton(s.t("FitOtherTheme", nil), s.backIcon(), s.act(s.back))
			return container.NewVBox(s.question("FitQuestion", nil), title,
				errorText(s.t("FitNo", nil)), paragraph(sv.InPerson.In(lang))), other
		}
		about := container.NewVBox(title, strong(s.t("FitYes", nil)), paragraph(s.n("FitDuration", int(sv.Duration/time.Minute), nil)))
		prepare := container.NewVBox(paragraph(s.t("FitPrepare", nil)))
		items := []string{s.t("FitPrepareDevice", nil)}
		for _, p := range sv.Prepare {
			items = append(items, p.In(lang))
		}
		for _, it := range items {
			tick := NewIcon(theme.ConfirmIcon())
			if s.rtl() {
				prepare.Add(container.NewBorder(nil, nil, nil, tick, paragraph(it)))
			} else {
				prepare.Add(container.NewBorder(nil, nil, tick, nil, paragraph(it)))
			}
		}
		next := s.forward(primaryButton(s.t("FitContinue", nil), nil, s.act(func() { s.goTo(session.Day) })))
		return container.NewVBox(s.question("FitQuestion", nil), s.sideBySide(about, prepare)), next
	})
}
