package kiosk

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// joinCallScreen stands behind the call's window while it is open.
type joinCallScreen struct{ *Kiosk }

func (s joinCallScreen) show() (fyne.CanvasObject, fyne.CanvasObject) {
	return container.NewVBox(s.question("JoinCallOpen", nil)), nil
}

// joinCallOverScreen asks, once the call window has closed, whether the
// conversation is over: yes ends the session, no opens the call again.
type joinCallOverScreen struct{ *Kiosk }

func (s joinCallOverScreen) show() (fyne.CanvasObject, fyne.CanvasObject) {
	return container.NewVBox(s.question("JoinCallOverQuestion", nil)), s.actions(
		primaryButton(s.t("JoinCallOverYes", nil), theme.ConfirmIcon(), s.act(s.finish)),
		NewButton(s.t("JoinCallOverBack", nil), theme.MediaVideoIcon(), s.act(s.openCall)),
	)
}
