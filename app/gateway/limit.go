package gateway

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limits bound lookups and cancellations by booking code, so guessing codes
// or checks is impractical. Each is a token bucket: Burst tries at once, then
// one more per Every.
type Limits struct {
	DeviceEvery time.Duration // per kiosk
	DeviceBurst int
	CodeEvery   time.Duration // per booking code, over all kiosks
	CodeBurst   int
}

// DefaultLimits: a kiosk may look up 10 codes at once and then 1 per 6 s
// (10 a minute); one code may be tried 5 times and then once per 3 minutes.
// Guessing the 4-digit check of one code thus takes on average 5,000 tries,
// about 10 days; finding any booked code among 148 million takes a kiosk
// weeks even with thousands of bookings.
var DefaultLimits = Limits{
	DeviceEvery: 6 * time.Second, DeviceBurst: 10,
	CodeEvery: 3 * time.Minute, CodeBurst: 5,
}

// lookupLimiter keeps one bucket per device and per code, and forgets
// buckets that have been full for a while so memory stays bounded.
type lookupLimiter struct {
	limits Limits
	now    func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newLookupLimiter(l Limits, now func() time.Time) *lookupLimiter {
	return &lookupLimiter{limits: l, now: now, buckets: map[string]*bucket{}}
}

// allow takes one try for both the device and the code. When either is
// out of tries it returns how long to wait; no try is taken then.
func (l *lookupLimiter) allow(device, code string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.sweep(now)
	d := l.get("device|"+device, l.limits.DeviceEvery, l.limits.DeviceBurst, now)
	c := l.get("code|"+code, l.limits.CodeEvery, l.limits.CodeBurst, now)
	rd, rc := d.ReserveN(now, 1), c.ReserveN(now, 1)
	wait := max(rd.DelayFrom(now), rc.DelayFrom(now))
	if wait > 0 {
		rd.CancelAt(now)
		rc.CancelAt(now)
		return false, wait
	}
	return true, 0
}

func (l *lookupLimiter) get(key string, every time.Duration, burst int, now time.Time) *rate.Limiter {
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(rate.Every(every), burst)}
		l.buckets[key] = b
	}
	b.seen = now
	return b.lim
}

// sweep drops, at most once a minute, buckets unused long enough to be full
// again: forgetting them changes nothing.
func (l *lookupLimiter) sweep(now time.Time) {
	if now.Sub(l.swept) < time.Minute {
		return
	}
	l.swept = now
	refill := max(l.limits.DeviceEvery*time.Duration(l.limits.DeviceBurst), l.limits.CodeEvery*time.Duration(l.limits.CodeBurst))
	for k, b := range l.buckets {
		if now.Sub(b.seen) > refill {
			delete(l.buckets, k)
		}
	}
}

// size is the number of buckets kept, for tests.
func (l *lookupLimiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}
