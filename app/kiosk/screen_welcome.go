package kiosk

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"github.com/digitalebalie/balie/app/session"
	"github.com/digitalebalie/balie/app/staffmode"
	"github.com/digitalebalie/balie/i18n"
)

// StaffHold is how long staff hold the welcome screen's title to open
// staff mode.
const StaffHold = 3 * time.Second

// welcomeScreen offers every language by its own name, with "choose your
// language" in that language under it.
type welcomeScreen struct{ *Kiosk }

func (s welcomeScreen) show() (fyne.CanvasObject, fyne.CanvasObject) {
	// Fourteen languages fit on one screen in four columns; each is its
	// own name in its own script, which is how people find theirs: the
	// screen asks in every language, not only in Dutch.
	grid := container.NewGridWithColumns(s.columns() + 2)
	for _, l := range s.offeredLanguages() {
		grid.Add(NewChoice(l.Name, s.cfg.Messages.T(l.Tag, "WelcomeQuestion", nil), nil, s.act(func() {
			s.sess.Lang = l.Tag
			s.goTo(session.Home)
		})))
	}
	title := heading(s.cfg.Messages.T(i18n.Reference, "WelcomeTitle", nil))
	if s.cfg.OnStaffHold != nil {
		// Staff hold the title for three seconds to open staff mode; a
		// tap, or a visitor's short press, does nothing.
		title = staffmode.NewHoldTarget(title, StaffHold, s.cfg.OnStaffHold)
	}
	return container.NewVBox(title, grid), nil
}
