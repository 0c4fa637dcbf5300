package kiosk

import (
	"slices"
	"time"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/session"
	"github.com/digitalebalie/balie/i18n"
)

// Settings are what staff change on the kiosk itself, in staff mode.
type Settings struct {
	Location    string
	Languages   []string // offered on the welcome screen; empty offers all
	DefaultLang string
	Themes      []string // service ids offered; empty offers all
	IdleTimeout time.Duration
}

// Apply takes new settings from staff mode at once, and starts over.
func (k *Kiosk) Apply(s Settings) {
	k.cfg.Location, k.cfg.Languages, k.cfg.Themes = s.Location, s.Languages, s.Themes
	k.services = nil // loaded again, with the themes now offered
	if s.DefaultLang != "" {
		k.cfg.DefaultLang = s.DefaultLang
	}
	if s.IdleTimeout > 0 {
		k.cfg.IdleTimeout = s.IdleTimeout
		k.idle = session.NewIdle(k.cfg.IdleTimeout, k.cfg.IdleCountdown, k.cfg.Now)
	}
	k.StartOver()
}

// SetBackend switches to another booking system (staff changed the
// gateway), forgets the old one's catalogue and starts over.
func (k *Kiosk) SetBackend(b domain.Backend) {
	k.cfg.Backend = b
	k.services = nil
	k.StartOver()
}

// Assist starts a visit in which a member of staff books on the
// visitor's behalf, from the choice of language: a banner says so, and the
// figures count it as assisted.
func (k *Kiosk) Assist() {
	k.StartOver()
	k.sess.Assisted = true
	k.render()
}

// Pause stops the kiosk from drawing and from timing out while staff mode
// has the window; Pause(false) gives it back.
func (k *Kiosk) Pause(on bool) { k.paused = on }

// offeredLanguages are the languages of the welcome screen: those staff
// chose, in the kiosk's order, or all of them.
func (k *Kiosk) offeredLanguages() []i18n.Language {
	if len(k.cfg.Languages) == 0 {
		return i18n.Offered
	}
	var out []i18n.Language
	for _, l := range i18n.Offered {
		if slices.Contains(k.cfg.Languages, l.Tag) {
			out = append(out, l)
		}
	}
	return out
}

// offered keeps the themes staff chose, or all of them.
func (k *Kiosk) offered(services []domain.Service) []domain.Service {
	if len(k.cfg.Themes) == 0 {
		return services
	}
	var out []domain.Service
	for _, s := range services {
		if slices.Contains(k.cfg.Themes, s.ID) {
			out = append(out, s)
		}
	}
	return out
}
