package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/digitalebalie/balie/app/calendar"
	"github.com/digitalebalie/balie/app/domain"
)

// bucketCapacity holds what a team lead set per theme: service id → JSON.
var bucketCapacity = []byte("capacity")

// Capacity is what a lead set for a theme, or its default.
func (s *Store) Capacity(serviceID string) (calendar.Capacity, error) {
	svc, ok := domain.FindService(s.opts.Services, serviceID)
	if !ok {
		return calendar.Capacity{}, &domain.Error{Code: domain.ENotFound}
	}
	var c calendar.Capacity
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		c, err = capacityOf(tx, svc)
		return err
	})
	return c, err
}

// capacityOf reads a theme's capacity inside a transaction, so a booking
// checks its slot against the capacity of the moment it is written.
func capacityOf(tx *bolt.Tx, svc domain.Service) (calendar.Capacity, error) {
	v := tx.Bucket(bucketCapacity).Get([]byte(svc.ID))
	if v == nil {
		return calendar.Default(svc.Duration), nil
	}
	var c calendar.Capacity
	if err := json.Unmarshal(v, &c); err != nil {
		return c, fmt.Errorf("capacity of %s: %w", svc.ID, err)
	}
	return c, nil
}

// SetCapacity stores a theme's capacity; kiosks see it at their next
// look at the slots. Nothing is cancelled: it returns the appointments
// still to come that no longer fit (their time is no longer a slot, or
// their slot has more bookings than counters now), so staff can contact or
// move them.
func (s *Store) SetCapacity(serviceID string, c calendar.Capacity, who string) ([]domain.Appointment, error) {
	svc, ok := domain.FindService(s.opts.Services, serviceID)
	if !ok {
		return nil, &domain.Error{Code: domain.ENotFound}
	}
	if err := c.Validate(); err != nil {
		return nil, domain.Errorf(domain.EInvalid, "%w", err)
	}
	data, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	var misfits []domain.Appointment
	err = s.update("set capacity", func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketCapacity).Put([]byte(svc.ID), data); err != nil {
			return err
		}
		if misfits, err = s.misfits(tx, svc, c); err != nil {
			return err
		}
		return appendAudit(tx, AuditEntry{At: s.opts.Now(), Who: who, Action: AuditCapacity,
			Detail: fmt.Sprintf("%s: %d loket(ten), %d min, %d buiten de nieuwe capaciteit", svc.ID, c.Counters, c.Slot/time.Minute, len(misfits))})
	})
	return misfits, err
}

// Misfits lists the theme's appointments still to come that its capacity
// no longer holds.
func (s *Store) Misfits(serviceID string) ([]domain.Appointment, error) {
	svc, ok := domain.FindService(s.opts.Services, serviceID)
	if !ok {
		return nil, &domain.Error{Code: domain.ENotFound}
	}
	var out []domain.Appointment
	err := s.db.View(func(tx *bolt.Tx) error {
		c, err := capacityOf(tx, svc)
		if err != nil {
			return err
		}
		out, err = s.misfits(tx, svc, c)
		return err
	})
	return out, err
}

func (s *Store) misfits(tx *bolt.Tx, svc domain.Service, c calendar.Capacity) ([]domain.Appointment, error) {
	now := s.opts.Now()
	var out []domain.Appointment
	perSlot := map[time.Time]int{}
	var recs []record
	err := tx.Bucket(bucketAppointments).ForEach(func(_, v []byte) error {
		var rec record
		if err := json.Unmarshal(v, &rec); err != nil {
			return err
		}
		if rec.ServiceID == svc.ID && !rec.Cancelled && rec.End.After(now) {
			recs = append(recs, rec)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// The earliest bookings keep their counters; the later ones are listed.
	sort.Slice(recs, func(i, j int) bool {
		if !recs[i].CreatedAt.Equal(recs[j].CreatedAt) {
			return recs[i].CreatedAt.Before(recs[j].CreatedAt)
		}
		return recs[i].Counter < recs[j].Counter
	})
	for _, rec := range recs {
		perSlot[rec.Start.UTC()]++
		_, isSlot := s.slotAt(c, svc, rec.Start, rec.End, true)
		if !isSlot || perSlot[rec.Start.UTC()] > c.Counters {
			out = append(out, s.withPhoneURL(rec.appointment()))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out, nil
}

// slotAt finds the slot of capacity c that starts at start, and ends at
// end unless end is zero. A held appointment, one already made, keeps its
// place whatever the lead time and horizon say now: those govern new
// bookings only.
func (s *Store) slotAt(c calendar.Capacity, svc domain.Service, start, end time.Time, held bool) (domain.Slot, bool) {
	if held {
		c.LeadTime, c.Horizon, c.Counters = 0, 4*calendar.MaxHorizon, max(c.Counters, 1)
	}
	for _, sl := range s.opts.Calendar.Slots(c, svc.ID, s.opts.Now(), start, 1) {
		if sl.Start.Equal(start) && (end.IsZero() || sl.End.Equal(end)) {
			return sl, true
		}
	}
	return domain.Slot{}, false
}

// A slot's bookings are kept one key per counter: service|start|NN → code.
// Booking takes the first free counter; cancelling frees the one it held.

func slotPrefix(serviceID string, start time.Time) []byte {
	return []byte(serviceID + "|" + start.UTC().Format(time.RFC3339) + "|")
}

func counterKey(serviceID string, start time.Time, counter int) []byte {
	return append(slotPrefix(serviceID, start), fmt.Sprintf("%02d", counter)...)
}

// booked counts the bookings that hold a counter of a slot.
func booked(b *bolt.Bucket, serviceID string, start time.Time) int {
	prefix := slotPrefix(serviceID, start)
	n := 0
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		n++
	}
	return n
}

// freeCounter is the first counter of the slot nobody holds, or -1.
func freeCounter(b *bolt.Bucket, serviceID string, start time.Time, counters int) int {
	for i := range counters {
		if b.Get(counterKey(serviceID, start, i)) == nil {
			return i
		}
	}
	return -1
}

// release frees the counter rec holds, only while it is still rec's.
func release(tx *bolt.Tx, rec record) error {
	b := tx.Bucket(bucketSlots)
	key := counterKey(rec.ServiceID, rec.Start, rec.Counter)
	if string(b.Get(key)) != rec.Code {
		return nil // the counter is someone else's now
	}
	return b.Delete(key)
}

// migrateSlotKeys turns the keys of a data file from before counters
// (service|start → code) into counter 0 of their slot.
func migrateSlotKeys(tx *bolt.Tx) error {
	b := tx.Bucket(bucketSlots)
	var old [][2][]byte
	err := b.ForEach(func(k, v []byte) error {
		if strings.Count(string(k), "|") == 1 {
			old = append(old, [2][]byte{append([]byte{}, k...), append([]byte{}, v...)})
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, kv := range old {
		if err := b.Delete(kv[0]); err != nil {
			return err
		}
		if err := b.Put(append(append(kv[0], '|'), "00"...), kv[1]); err != nil {
			return err
		}
	}
	return nil
}
