package passhash

import (
	"sync"
	"time"
)

// Lockout counts failed attempts per key (an account name, "pin"): after
// max failures in a row the key is locked for a while, whoever tries, so
// a secret cannot be guessed by trying. It is safe for concurrent use.
type Lockout struct {
	max     int
	lockFor time.Duration

	mu       sync.Mutex
	failures map[string]int
	until    map[string]time.Time
}

// maxTracked bounds the keys remembered: a flood of made-up names cannot
// grow memory.
const maxTracked = 10000

// NewLockout locks a key for lockFor after max failures in a row.
func NewLockout(max int, lockFor time.Duration) *Lockout {
	return &Lockout{max: max, lockFor: lockFor, failures: map[string]int{}, until: map[string]time.Time{}}
}

// Locked tells whether key may not try at now, and until when.
func (l *Lockout) Locked(key string, now time.Time) (bool, time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	until, ok := l.until[key]
	if !ok || !now.Before(until) {
		return false, time.Time{}
	}
	return true, until
}

// Failed counts a failure and tells whether it locked key just now.
func (l *Lockout) Failed(key string, now time.Time) (lockedNow bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.failures) >= maxTracked {
		clear(l.failures)
	}
	l.failures[key]++
	if l.failures[key] < l.max {
		return false
	}
	if len(l.until) >= maxTracked {
		for k, u := range l.until {
			if !now.Before(u) {
				delete(l.until, k)
			}
		}
	}
	l.until[key] = now.Add(l.lockFor)
	l.failures[key] = 0
	return true
}

// Succeeded forgets key's failures: only failures in a row count.
func (l *Lockout) Succeeded(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failures, key)
}
