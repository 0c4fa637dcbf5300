package kiosk

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/digitalebalie/balie/app/speech"
	"github.com/digitalebalie/balie/app/staffmode"
)

// personal wraps what shows the visitor's own data (name, e-mail, phone,
// booking code): read aloud only when the visitor asks for it on that
// screen.
type personal struct {
	widget.BaseWidget
	content fyne.CanvasObject
}

func private(o fyne.CanvasObject) *personal {
	p := &personal{content: o}
	p.ExtendBaseWidget(p)
	return p
}

func (p *personal) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(p.content) }

// Content is what it wraps, for tools that read the screen.
func (p *personal) Content() fyne.CanvasObject { return p.content }

// script collects what the screen says, in reading order: texts, choices
// and buttons, with the visitor's own data marked personal. Typed fields
// are left out.
func script(o fyne.CanvasObject, inPersonal bool, s *speech.Script) {
	if o == nil || !o.Visible() {
		return
	}
	add := func(text string) {
		if text = strings.TrimSpace(text); text == "" {
			return
		}
		if inPersonal {
			s.AddPersonal(text)
		} else {
			s.Add(text)
		}
	}
	switch o := o.(type) {
	case *fyne.Container:
		for _, c := range o.Objects {
			script(c, inPersonal, s)
		}
	case *personal:
		script(o.content, true, s)
	case *staffmode.HoldTarget: // the welcome screen's title
		script(o.Content(), inPersonal, s)
	case *FlowText:
		add(o.Text)
	case *widget.RichText:
		add(o.String())
	case *widget.Label:
		add(o.Text)
	case *Choice:
		add(o.Title)
		add(o.Hint)
	case *Button:
		if !o.Disabled() {
			add(o.Text)
		}
	case *canvas.Text: // the booking code
		add(o.Text)
	}
	// Anything else (typed fields, icons, the QR code) is not read: what
	// the visitor typed is theirs, and the label above a field is read.
}

// readAloud reads the screen aloud. The first time it draws the screen
// again instead: it gains the button that reads the visitor's own data,
// and is read as it draws.
func (k *Kiosk) readAloud(spoken fyne.CanvasObject) {
	if !k.sess.ReadAloud {
		k.sess.ReadAloud, k.lastRead = true, ""
		k.render()
		return
	}
	k.speak(spoken, false)
}

// readPersonalRow is, on a screen that shows the visitor's own data, a
// button that reads that too, beside the advice to put the headset on.
// It has a row of its own: the bar below has no width to spare.
//
// It shows once the visitor has asked for reading aloud: only they need it,
// and everyone else keeps the room on a small screen.
func (k *Kiosk) readPersonalRow(body fyne.CanvasObject, size float32) fyne.CanvasObject {
	if k.cfg.Speech == nil || !k.sess.ReadAloud {
		return nil
	}
	var s speech.Script
	script(body, false, &s)
	if !s.HasPersonal() {
		return nil
	}
	read := NewChoice(k.t("LookReadPersonal", nil), "", theme.AccountIcon(), k.act(func() {
		k.sess.ReadAloud = true
		k.speak(body, true)
	}))
	read.TextSize = size // like the bar under it: it stays where it was
	hint := newFlowText(k.t("LookHeadset", nil), k.rtl(), fyne.TextStyle{})
	hint.TextSize, hint.Color = size, theme.Color(theme.ColorNameForeground)
	return k.grid(2, padded(hint), read)
}

// speak reads the screen body in the visitor's language. Without a voice for
// it, the kiosk says so on screen instead of reading in a wrong voice, and
// likewise on a computer without sound.
func (k *Kiosk) speak(body fyne.CanvasObject, includePersonal bool) {
	var s speech.Script
	script(body, false, &s)
	err := k.cfg.Speech.Speak(context.Background(), k.sess.Lang, s.Text(includePersonal))
	noVoice, noSound := errors.Is(err, speech.ErrNoVoice), errors.Is(err, speech.ErrNoSound)
	if noVoice != k.sess.NoVoice || noSound != k.sess.NoSound {
		k.sess.NoVoice, k.sess.NoSound = noVoice, noSound
		k.render()
	}
	if err != nil && !noVoice && !noSound {
		k.cfg.Log.Warn("read aloud failed", "err", err) // the error never holds the text
	}
}

// readNewScreen reads each new screen once the visitor has asked for reading
// aloud in this session: the question, the choices and any input errors.
func (k *Kiosk) readNewScreen(body fyne.CanvasObject) {
	if k.cfg.Speech == nil || !k.sess.ReadAloud {
		return
	}
	key := k.sess.Screen.String() + "|" + string(k.sess.Problem) + "|" + k.busy
	for f, r := range k.sess.Errors {
		key += "|" + f + "=" + string(r)
	}
	if key == k.lastRead {
		return
	}
	k.lastRead = key
	k.speak(body, false)
}
