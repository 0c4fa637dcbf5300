package tour

import (
	"errors"
	"sync"

	"github.com/digitalebalie/balie/app/kiosk"
)

// Calls stands in for the browser during a tour: a call window that stays
// open until the tour ends it, or, when told to, one that fails to open.
type Calls struct {
	mu       sync.Mutex
	open     *call
	failNext bool
}

// errTourCall is the failure the tour asks for, to show the phone screen
// the kiosk falls back on.
var errTourCall = errors.New("tour: the call window failed, as asked")

// Open implements kiosk.Config.OpenCall.
func (c *Calls) Open(link, lang string) (kiosk.CallWindow, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.failNext {
		c.failNext = false
		return nil, errTourCall
	}
	c.open = &call{ended: make(chan struct{})}
	return c.open, nil
}

// end closes the open call window, as a visitor who hangs up.
func (c *Calls) end() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.open != nil {
		close(c.open.ended)
		c.open = nil
	}
}

// CloseAll ends any open call: the kiosk's OnWipe.
func (c *Calls) CloseAll() { c.end() }

func (c *Calls) failNextOpen() {
	c.mu.Lock()
	c.failNext = true
	c.mu.Unlock()
}

type call struct{ ended chan struct{} }

func (c *call) Ended() <-chan struct{} { return c.ended }
func (c *call) Err() error             { return nil }
