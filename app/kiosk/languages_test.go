package kiosk_test

import (
	"strings"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/kiosk"
	"github.com/digitalebalie/balie/app/speech/speechtest"

	"github.com/digitalebalie/balie/i18n"
)

// A visitor can book and then join in every offered language: every screen
// is reached, and no message is missing. At the normal text size every
// screen fits a 720p window without scrolling. The Arabic run is at 200%
// text in high contrast: nothing may be wider than the window, and the
// screens scroll down.
func TestBookAndJoinInEveryLanguage(t *testing.T) {
	if testing.Short() {
		t.Skip("layout only, no background calls: the race run (-short) leaves it to the full run")
	}
	for _, l := range i18n.Offered {
		t.Run(l.Tag, func(t *testing.T) {
			lang := l.Tag
			h := newHarness(t, func(c *kiosk.Config) {
				c.IdleTimeout = 3 * time.Hour
				c.Speech = speechtest.New(speechtest.Debian12...) // the full bar, read-aloud included
			})
			h.resize(window)
			h.mustFit = lang != "ar"
			h.toContact(lang)
			if lang == "ar" {
				for range 3 {
					h.tap(h.T(lang, "LookLarger", nil))
				}
				h.tap(h.T(lang, "LookContrastOn", nil))
			}
			h.checkFits("contact", h.mustFit)
			h.fill(0, "Amina El Idrissi")
			h.fill(1, "amina@")
			h.fill(2, "0470 12 34 56")
			h.tap(h.T(lang, "ContactContinue", nil))
			h.mustShow(h.T(lang, "FieldInvalidEmail", nil))
			h.checkFits("contact-refused", h.mustFit)
			h.fill(1, "")
			h.tap(h.T(lang, "ContactContinue", nil))
			h.mustShow(h.T(lang, "ConfirmQuestion", nil))
			h.checkFits("confirm", h.mustFit)
			h.tap(h.T(lang, "ConfirmBook", nil))
			h.run.Flush()
			h.mustShow(h.T(lang, "DoneTitle", nil))
			// What happens next is below the fold on 720p: "more below"
			// says so, and Done stays in sight.
			h.checkFits("done", false)
			h.inSight(lang, "done", h.T(lang, "DoneFinish", nil))
			code := h.k.Session().Booked.Code

			h.tap(h.T(lang, "DoneFinish", nil))
			h.tap(l.Name)
			if lang == "ar" {
				for range 3 {
					h.tap(h.T(lang, "LookLarger", nil))
				}
				h.tap(h.T(lang, "LookContrastOn", nil))
			}
			h.tap(h.T(lang, "HomeJoin", nil))
			h.fill(0, strings.ToLower(code))
			h.fill(1, "3456")
			h.tap(h.T(lang, "JoinFind", nil))
			h.run.Flush()
			h.mustShow(h.T(lang, "JoinStatusQuestion", nil))
			h.checkFits("join-status", h.mustFit)
			h.tap(h.T(lang, "JoinOnPhone", nil))
			h.checkFits("join-phone", h.mustFit)
			h.tap(h.T(lang, "NavBack", nil))
			h.clock.Advance(h.k.Session().Found.Start.Sub(h.clock.Now()) - 10*time.Minute)
			h.k.Tick()
			h.tap(h.T(lang, "JoinNow", nil))
			if len(h.opened) != 1 {
				t.Fatalf("join opened %v", h.opened)
			}
			h.assertTall()
			if m := h.msgs.Missing(); len(m) > 0 {
				t.Fatalf("messages missing in %s: %v", lang, m)
			}
		})
	}
}
