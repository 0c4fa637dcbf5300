package gateway

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limits bound what one kiosk's token can do, assuming it leaks: each is a
// token bucket per kiosk, Burst at once and then one more per Every.
// (Bookings are bounded by the store, in the booking's own transaction.)
type Limits struct {
	// Lookups and cancellations by booking code. Guessing the short check
	// is bounded per code by the store (domain.ShortCheckTries), so a
	// per-code bucket is not needed: one would let a stranger who knows a
	// code lock its owner out.
	DeviceEvery time.Duration
	DeviceBurst int
	// Help requests and feedback: a visitor asks for help once, rates once.
	HelpEvery     time.Duration
	HelpBurst     int
	FeedbackEvery time.Duration
	FeedbackBurst int
	// Following a help request, and sending visit records: a kiosk asks
	// every 10 s while a visitor waits, and sends its records in batches.
	HelpStateEvery time.Duration
	HelpStateBurst int
	VisitsEvery    time.Duration
	VisitsBurst    int
	// MaxBuckets caps the limiter's memory whatever callers send.
	MaxBuckets int
}

// DefaultLimits: a kiosk may look up 10 codes at once and then 1 per 6 s
// (10 a minute), ask for help 3 times and then once every 2 minutes, and
// send 10 ratings and then one every 30 s. Finding any booked code among
// 148 million takes a kiosk weeks even with thousands of bookings.
var DefaultLimits = Limits{
	DeviceEvery: 6 * time.Second, DeviceBurst: 10,
	HelpEvery: 2 * time.Minute, HelpBurst: 3,
	FeedbackEvery: 30 * time.Second, FeedbackBurst: 10,
	HelpStateEvery: 5 * time.Second, HelpStateBurst: 10,
	VisitsEvery: 10 * time.Second, VisitsBurst: 20,
	MaxBuckets: 10_000,
}

// rule is one bucket's size and refill.
type rule struct {
	every time.Duration
	burst int
}

func (l Limits) lookups() rule  { return rule{l.DeviceEvery, l.DeviceBurst} }
func (l Limits) help() rule     { return rule{l.HelpEvery, l.HelpBurst} }
func (l Limits) feedback() rule { return rule{l.FeedbackEvery, l.FeedbackBurst} }
func (l Limits) helpState() rule {
	return rule{or(l.HelpStateEvery, DefaultLimits.HelpStateEvery), or(l.HelpStateBurst, DefaultLimits.HelpStateBurst)}
}
func (l Limits) visits() rule {
	return rule{or(l.VisitsEvery, DefaultLimits.VisitsEvery), or(l.VisitsBurst, DefaultLimits.VisitsBurst)}
}

// or is v, or fallback when v is zero: Limits made before a rule existed
// still get one.
func or[T comparable](v, fallback T) T {
	var zero T
	if v == zero {
		return fallback
	}
	return v
}

// limiter keeps one bucket per key. It forgets buckets by generation: every
// forget period the current map becomes the previous one and the old
// previous one is dropped whole, so forgetting never walks the map under
// the lock. A bucket is dropped only after a full period unused, by which
// time it has refilled, so forgetting it changes nothing.
type limiter struct {
	now    func() time.Time
	forget time.Duration
	max    int

	mu                sync.Mutex
	current, previous map[string]*rate.Limiter
	rotated           time.Time
}

func newLimiter(l Limits, now func() time.Time) *limiter {
	forget := time.Minute
	for _, r := range []rule{l.lookups(), l.help(), l.feedback(), l.helpState(), l.visits()} {
		forget = max(forget, r.every*time.Duration(r.burst))
	}
	return &limiter{now: now, forget: forget, max: max(l.MaxBuckets, 1),
		current: map[string]*rate.Limiter{}, previous: map[string]*rate.Limiter{}}
}

// allow takes one try from key's bucket. When it is out of tries it says
// how long to wait, and takes nothing.
func (l *limiter) allow(key string, r rule) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.rotate(now)
	b := l.get(key, r)
	if b == nil { // full: refuse rather than grow
		return false, l.forget
	}
	res := b.ReserveN(now, 1)
	if wait := res.DelayFrom(now); wait > 0 {
		res.CancelAt(now)
		return false, wait
	}
	return true, 0
}

func (l *limiter) rotate(now time.Time) {
	switch since := now.Sub(l.rotated); {
	case since >= 2*l.forget:
		l.current, l.previous = map[string]*rate.Limiter{}, map[string]*rate.Limiter{}
	case since >= l.forget:
		l.current, l.previous = map[string]*rate.Limiter{}, l.current
	default:
		return
	}
	l.rotated = now
}

// get finds or makes key's bucket; nil when the limiter is full.
func (l *limiter) get(key string, r rule) *rate.Limiter {
	if b, ok := l.current[key]; ok {
		return b
	}
	if b, ok := l.previous[key]; ok {
		delete(l.previous, key)
		l.current[key] = b
		return b
	}
	if len(l.current)+len(l.previous) >= l.max {
		return nil
	}
	b := rate.NewLimiter(rate.Every(r.every), r.burst)
	l.current[key] = b
	return b
}

// size is the number of buckets kept, for tests.
func (l *limiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.current) + len(l.previous)
}
