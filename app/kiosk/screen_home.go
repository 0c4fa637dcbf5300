package kiosk

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"github.com/digitalebalie/balie/app/session"
	"github.com/digitalebalie/balie/assets"
)

// homeScreen asks what the visitor came for: book, join or help.
type homeScreen struct{ *Kiosk }

func (s homeScreen) show() (fyne.CanvasObject, fyne.CanvasObject) {
	return container.NewVBox(
		s.question("HomeQuestion", nil),
		NewChoice(s.t("HomeBook", nil), s.t("HomeBookHint", nil), theme.CalendarIcon(), s.act(func() { s.goTo(session.Theme) })),
		NewChoice(s.t("HomeJoin", nil), s.t("HomeJoinHint", nil), theme.MediaVideoIcon(), s.act(func() { s.goTo(session.JoinFind) })),
		NewChoice(s.t("HomeHelp", nil), s.t("HomeHelpHint", nil), assets.Icon("help"), s.act(func() { s.goTo(session.Help) })),
	), nil
}
