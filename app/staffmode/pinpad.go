package staffmode

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// maxPINLength keeps the masked display on one line.
const maxPINLength = 12

// pinPad is the keypad before the staff mode.
type pinPad struct {
	env              env
	check            func(string) error
	onOK, onCancel   func()
	pin              string
	display, message *widget.Label
	keys             []*widget.Button // every key but Annuleren, which always works
	busy             bool
	locked           bool
}

// NewPINPad is a big numeric keypad with a masked display under title
// (what the PIN opens: "Staff-modus", "Kiosk afsluiten"). OK calls check
// with the PIN off the UI thread; nil calls onOK, ErrWrongPIN shows why,
// and a *LockedError disables the keys until the lock ends. Annuleren
// calls onCancel.
func NewPINPad(title string, check func(pin string) error, onOK func(), onCancel func()) fyne.CanvasObject {
	p := &pinPad{env: newEnv(), check: check, onOK: onOK, onCancel: onCancel}
	p.display = heading("")
	p.display.Alignment = fyne.TextAlignCenter
	p.message = message()
	p.message.Alignment = fyne.TextAlignCenter
	p.showPIN()

	key := func(text string, icon fyne.Resource, tapped func()) (*widget.Button, fyne.CanvasObject) {
		b := widget.NewButtonWithIcon(text, icon, tapped)
		p.keys = append(p.keys, b)
		return b, sized(b, 0, 64)
	}
	grid := container.NewGridWithColumns(3)
	for _, d := range "123456789" {
		_, box := key(string(d), nil, func() { p.typed(d) })
		grid.Add(box)
	}
	_, erase := key("Wis", theme.ContentUndoIcon(), p.erase)
	_, zero := key("0", nil, func() { p.typed('0') })
	ok, okBox := key("OK", theme.ConfirmIcon(), p.submit)
	ok.Importance = widget.HighImportance
	grid.Add(erase)
	grid.Add(zero)
	grid.Add(okBox)
	_, cancelBox := newButton("Annuleren", theme.CancelIcon(), p.cancel)

	titleLabel := heading(title)
	titleLabel.Alignment = fyne.TextAlignCenter
	hint := widget.NewLabel("Geef de pincode in.")
	hint.Alignment = fyne.TextAlignCenter
	// The message has room for two lines from the start, so the keys do not
	// jump when it appears.
	pad := container.NewVBox(titleLabel, hint, sized(p.display, 0, 64), sized(p.message, 0, 2*theme.TextSize()+4*theme.Padding()), grid, cancelBox)
	return container.NewCenter(sized(pad, 400, 0))
}

func (p *pinPad) typed(d rune) {
	if len(p.pin) < maxPINLength {
		p.pin += string(d)
	}
	say(p.message, "", false)
	p.showPIN()
}

// cancel forgets the digits typed; a lock stays, in case the pad is
// shown again.
func (p *pinPad) cancel() {
	p.pin = ""
	p.showPIN()
	if !p.locked && !p.busy {
		say(p.message, "", false)
	}
	if p.onCancel != nil {
		p.onCancel()
	}
}

func (p *pinPad) erase() {
	if p.pin != "" {
		p.pin = p.pin[:len(p.pin)-1]
	}
	p.showPIN()
}

// showPIN shows a dot per digit, never the digits: someone may be watching.
func (p *pinPad) showPIN() {
	p.display.SetText(strings.TrimSpace(strings.Repeat("• ", len(p.pin))))
}

func (p *pinPad) submit() {
	if p.pin == "" {
		say(p.message, "Tik eerst de pincode.", true)
		return
	}
	pin := p.pin
	p.busy = true
	p.enableKeys()
	say(p.message, "Bezig met controleren…", false)
	var err error
	p.env.background(func() { err = p.check(pin) }, func() {
		p.busy = false
		p.pin = ""
		p.showPIN()
		var locked *LockedError
		switch {
		case err == nil:
			say(p.message, "", false)
			if p.onOK != nil {
				p.onOK()
			}
		case errors.Is(err, ErrWrongPIN):
			say(p.message, "Foute pincode. Probeer opnieuw.", true)
		case errors.As(err, &locked):
			p.lock(locked.Until)
		case errors.Is(err, ErrNoPIN):
			say(p.message, "Op deze balie is geen pincode ingesteld. De staff-modus kan niet open.", true)
		default:
			say(p.message, "De pincode kon niet gecontroleerd worden: "+err.Error(), true)
		}
		p.enableKeys()
	})
}

// lock disables the keys until until, and says for how long.
func (p *pinPad) lock(until time.Time) {
	wait := until.Sub(p.env.clk.Now())
	if wait <= 0 {
		say(p.message, "U kunt opnieuw proberen.", false)
		return
	}
	p.locked = true
	say(p.message, "Te veel foute pogingen. Probeer opnieuw over "+minutes(wait)+".", true)
	p.env.clk.AfterFunc(wait, func() {
		p.env.toUI(func() {
			p.locked = false
			say(p.message, "U kunt opnieuw proberen.", false)
			p.enableKeys()
		})
	})
}

func (p *pinPad) enableKeys() {
	for _, k := range p.keys {
		if p.busy || p.locked {
			k.Disable()
		} else {
			k.Enable()
		}
	}
}

// minutes is a wait in whole minutes, rounded up: "1 minuut", "15 minuten".
func minutes(d time.Duration) string {
	m := int((d + time.Minute - 1) / time.Minute)
	if m == 1 {
		return "1 minuut"
	}
	return strconv.Itoa(m) + " minuten"
}
