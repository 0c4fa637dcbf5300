package kiosk

import "fyne.io/fyne/v2"

// Runner runs slow work (a Backend call) off the UI thread and hands the
// result back to it. This is the only place goroutines meet widgets.
type Runner interface {
	Run(work func(), done func())
}

// GoRunner runs work in a goroutine and done on Fyne's UI thread.
type GoRunner struct{}

// Run implements Runner.
func (GoRunner) Run(work func(), done func()) {
	go func() {
		work()
		fyne.Do(done)
	}()
}
