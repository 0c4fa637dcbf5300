package session

import "time"

// Idle watches for a visitor who walked away. After Timeout without input it
// warns, with a countdown of Countdown; when that runs out the session must
// be wiped. The clock is passed in, so tests move time by hand.
type Idle struct {
	Timeout   time.Duration
	Countdown time.Duration
	now       func() time.Time
	last      time.Time
}

// IdleState is what the kiosk should show.
type IdleState int

// The idle states.
const (
	Active  IdleState = iota
	Warning           // "Are you still there?" with a countdown
	Expired           // wipe and go back to the welcome screen
)

// NewIdle starts watching from now.
func NewIdle(timeout, countdown time.Duration, now func() time.Time) *Idle {
	return &Idle{Timeout: timeout, Countdown: countdown, now: now, last: now()}
}

// Touch records input from the visitor.
func (i *Idle) Touch() { i.last = i.now() }

// State tells where the visitor is in the timeout, and with Warning how much
// of the countdown is left.
func (i *Idle) State() (IdleState, time.Duration) {
	quiet := i.now().Sub(i.last)
	switch {
	case quiet < i.Timeout:
		return Active, 0
	case quiet < i.Timeout+i.Countdown:
		return Warning, i.Timeout + i.Countdown - quiet
	default:
		return Expired, 0
	}
}
