package kiosk

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"github.com/digitalebalie/balie/i18n"
)

// interpreterScreen asks which language the interpreter should speak: the
// kiosk's languages and the others the city finds interpreters for, each
// by its own name, and "another language", which staff ask about.
type interpreterScreen struct{ *Kiosk }

func (s interpreterScreen) show() (fyne.CanvasObject, fyne.CanvasObject) {
	grid := s.grid(s.columns() + 2)
	pick := func(tag string) func() {
		return s.act(func() {
			s.sess.InterpreterLanguage = tag
			s.back()
		})
	}
	for _, l := range i18n.InterpreterLanguages() {
		grid.Add(NewChoice(l.Name, "", nil, pick(l.Tag)))
	}
	grid.Add(NewChoice(s.t("InterpreterOtherLanguage", nil), "", nil, pick("und")))
	return container.NewVBox(s.question("InterpreterQuestion", nil), paragraph(s.t("InterpreterHint", nil)), grid), nil
}

// interpreterLanguage is the interpreter's language: the visitor's own
// until they chose another.
func (k *Kiosk) interpreterLanguage() string {
	if k.sess.InterpreterLanguage != "" {
		return k.sess.InterpreterLanguage
	}
	return k.sess.Lang
}

// interpreterName names the interpreter's language in the visitor's own,
// so the sentence keeps one script: "Tolk in: Arabisch".
func (k *Kiosk) interpreterName() string {
	if tag := k.interpreterLanguage(); tag != "und" {
		return i18n.NameIn(k.sess.Lang, tag)
	}
	return k.t("InterpreterOtherLanguage", nil)
}
