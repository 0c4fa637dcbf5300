package staffmode

import (
	"time"

	"fyne.io/fyne/v2"
)

// clock is the time the staff screens read and wait on. Tests move a fake
// one by hand instead of sleeping.
type clock interface {
	Now() time.Time
	// AfterFunc calls f in its own goroutine after d.
	AfterFunc(d time.Duration, f func()) (stop func() bool)
	Ticker(d time.Duration) (c <-chan time.Time, stop func())
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) AfterFunc(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }

func (realClock) Ticker(d time.Duration) (<-chan time.Time, func()) {
	t := time.NewTicker(d)
	return t.C, t.Stop
}

// What new widgets of this package take as their clock and their way back
// to the UI thread. Tests in this package swap both: Fyne's test driver
// runs fyne.Do at once on the calling goroutine, so the tests queue the
// calls and run them on the test goroutine instead, as a real UI thread
// would.
var (
	defaultClock clock = realClock{}
	defaultToUI        = fyne.Do
)

// env is a widget's clock and way back to the UI thread, fixed when the
// widget is made so a test's swap cannot race with a running goroutine.
type env struct {
	clk  clock
	toUI func(func())
}

func newEnv() env { return env{clk: defaultClock, toUI: defaultToUI} }

// SetUIThread makes the staff-mode widgets made after it hand their
// results back through run instead of fyne.Do, until restore is called.
// It is for the tests of a program that embeds staff mode: Fyne's test
// driver runs fyne.Do at once on the calling goroutine, so such a test
// queues the calls and runs them on its own goroutine, as a UI thread would.
func SetUIThread(run func(func())) (restore func()) {
	old := defaultToUI
	defaultToUI = run
	return func() { defaultToUI = old }
}

// background runs work in a goroutine and then done on the UI thread.
func (e env) background(work, done func()) {
	go func() {
		work()
		e.toUI(done)
	}()
}
