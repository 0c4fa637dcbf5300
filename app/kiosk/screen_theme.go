package kiosk

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"github.com/digitalebalie/balie/app/session"
	"github.com/digitalebalie/balie/assets"
)

// themeScreen asks what the question is about: one card per theme.
type themeScreen struct{ *Kiosk }

func (s themeScreen) show() (fyne.CanvasObject, fyne.CanvasObject) {
	return s.withServices("ThemeQuestion", func() (fyne.CanvasObject, fyne.CanvasObject) {
		cols := s.columns()
		if s.wide() {
			cols = 3 // three themes side by side
		}
		from, to, nav := s.page(len(s.services), s.perPage(cols), "ThemeMore", "ThemePrevious")
		grid := s.grid(cols)
		for _, sv := range s.services[from:to] {
			grid.Add(NewChoice(sv.Name.In(s.sess.Lang), sv.Summary.In(s.sess.Lang), assets.Icon(sv.Icon), s.act(func() {
				s.sess.ServiceID = sv.ID
				s.sess.Slots = nil
				s.goTo(session.Fit)
			})))
		}
		box := container.NewVBox(s.question("ThemeQuestion", nil), grid)
		// What cannot be done by video (Burgerzaken) is one tap from the
		// first page, not at the end of every theme.
		if from == 0 {
			for _, sv := range s.services[to:] {
				if !sv.ByVideo {
					// A card, not a button: its text is laid out right to
					// left where the language needs it.
					box.Add(NewChoice(sv.Name.In(s.sess.Lang), "", assets.Icon(sv.Icon), s.act(func() {
						s.sess.ServiceID = sv.ID
						s.goTo(session.Fit)
					})))
				}
			}
		}
		return box, nav
	})
}
