package kiosk

import (
	"fmt"
	"runtime/debug"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/digitalebalie/balie/app/domain"
)

// A bug must never leave a visitor before a stack trace or a frozen
// screen. Everything the kiosk does runs through safely: a tap, a result
// coming back, the clock's tick, drawing a screen. A panic there ends the
// visit: the session is wiped and the welcome screen shown, and the
// operator log gets where it happened and the stack, never the panic's
// value, which may quote what the visitor typed.

// safely runs f, and starts over if it panics.
func (k *Kiosk) safely(where string, f func()) {
	defer func() {
		if r := recover(); r != nil {
			k.recovered(where, r)
		}
	}()
	f()
}

func (k *Kiosk) recovered(where string, r any) {
	k.cfg.Log.Error("the kiosk failed; the visitor starts over", "where", where, "screen", k.sess.Screen.String(),
		"panic", fmt.Sprintf("%T", r), "stack", string(debug.Stack()))
	if k.recovering { // starting over failed as well: a plain page, no loop
		k.win.SetContent(container.NewCenter(widget.NewLabel(k.cfg.Messages.T(k.cfg.DefaultLang, "ErrorInternal", nil))))
		return
	}
	k.recovering = true
	defer func() { k.recovering = false }()
	k.paused = false
	k.safely("start over", k.StartOver)
}

// guardWork runs a background call's work, turning a panic into an
// internal error for its screen: the process must not die with it.
func (k *Kiosk) guardWork(work func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			k.cfg.Log.Error("a background call failed", "panic", fmt.Sprintf("%T", r), "stack", string(debug.Stack()))
			err = &domain.Error{Code: domain.EInternal, Err: fmt.Errorf("panic in a background call")}
		}
	}()
	work()
	return nil
}
