package tour

import (
	"sync"
	"time"
)

// Clock is the kiosk's clock during a tour: the real time, moved on when
// the tour needs a later moment (the idle warning, an appointment about to
// start) and set back for each new visitor.
type Clock struct {
	mu    sync.Mutex
	ahead time.Duration
}

// Now is the real time plus how far the tour moved it on.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.ahead)
}

func (c *Clock) set(ahead time.Duration) {
	c.mu.Lock()
	c.ahead = ahead
	c.mu.Unlock()
}
