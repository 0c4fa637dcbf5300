package kiosk

import (
	"bytes"
	"image"
	_ "image/png" // the city's logo
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
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
	if logo := s.logo(); logo != nil {
		title = container.NewBorder(nil, nil, logo, nil, title)
	}
	return container.NewVBox(title, grid), nil
}

// logoHeight is the height of the city's logo beside the welcome title.
const logoHeight = 64

// logo is the city's logo at logoHeight, as wide as its shape asks; nil
// when the city has none or it cannot be read.
func (s welcomeScreen) logo() fyne.CanvasObject {
	if len(s.cfg.Logo) == 0 {
		return nil
	}
	name, aspect := "logo.svg", float32(4)
	if c, _, err := image.DecodeConfig(bytes.NewReader(s.cfg.Logo)); err == nil && c.Height > 0 {
		name, aspect = "logo.png", float32(c.Width)/float32(c.Height)
	}
	img := canvas.NewImageFromResource(fyne.NewStaticResource(name, s.cfg.Logo))
	img.FillMode = canvas.ImageFillContain
	img.SetMinSize(fyne.NewSize(logoHeight*aspect, logoHeight))
	return img
}
