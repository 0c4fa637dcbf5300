package gatewayclient

import (
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/digitalebalie/balie/app/domain"
)

// cache lets a kiosk without a network go on showing what it showed: the
// catalogue (also on disk, across a restart) and recent slot listings (in
// memory). It never keeps anything a visitor typed. Offline says whether
// the last call found no path to the city, for the kiosk's banner.
type cache struct {
	mu       sync.Mutex
	services []domain.Service
	slots    map[string]slotListing
	offline  bool
}

type slotListing struct {
	slots []domain.Slot
	at    time.Time
}

// Offline tells whether the last call to the gateway found no path to it.
func (c *Client) Offline() bool {
	c.cache.mu.Lock()
	defer c.cache.mu.Unlock()
	return c.cache.offline
}

// noted keeps whether err is a missing path to the city.
func (c *cache) noted(err error) {
	c.mu.Lock()
	c.offline = domain.CodeOf(err) == domain.EOffline
	c.mu.Unlock()
}

func (c *cache) keepServices(file string, list []domain.Service, log *slog.Logger) {
	c.mu.Lock()
	c.services = slices.Clone(list)
	c.mu.Unlock()
	if file == "" {
		return
	}
	data, err := json.Marshal(list)
	if err == nil {
		err = writeAtomically(file, data)
	}
	if err != nil && log != nil {
		log.Warn("catalogue not kept on disk", "file", file, "err", err)
	}
}

// servicesInstead answers a failed catalogue call with the last one
// known, from memory or disk, when the failure is the network's.
func (c *cache) servicesInstead(file string, err error) ([]domain.Service, error) {
	if !networkGone(err) {
		return nil, err
	}
	c.mu.Lock()
	list := slices.Clone(c.services)
	c.mu.Unlock()
	if list != nil {
		return list, nil
	}
	if file == "" {
		return nil, err
	}
	data, rerr := os.ReadFile(file)
	if rerr != nil || json.Unmarshal(data, &list) != nil || len(list) == 0 {
		return nil, err
	}
	return list, nil
}

func (c *cache) keepSlots(key string, slots []domain.Slot) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.slots == nil {
		c.slots = map[string]slotListing{}
	}
	now := time.Now()
	for k, l := range c.slots { // a kiosk lists a few themes a day: drop the old ones
		if now.Sub(l.at) > time.Hour {
			delete(c.slots, k)
		}
	}
	c.slots[key] = slotListing{slots: slices.Clone(slots), at: now}
}

// slotsInstead answers a failed slot call with a listing younger than
// maxAge, when the failure is the network's.
func (c *cache) slotsInstead(key string, maxAge time.Duration, err error) ([]domain.Slot, error) {
	if !networkGone(err) {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	l, ok := c.slots[key]
	if !ok || time.Since(l.at) > maxAge {
		return nil, err
	}
	return slices.Clone(l.slots), nil
}

// networkGone: no path to the city, or the city did not answer in time.
func networkGone(err error) bool {
	code := domain.CodeOf(err)
	return code == domain.EOffline || code == domain.EUnavailable
}

// writeAtomically replaces file with data: a power cut leaves the old or
// the new catalogue, never half of one.
func writeAtomically(file string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".catalogue-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), file)
}
