// Package store is the embedded booking system: a domain.Backend kept in one
// bbolt file. The kiosk runs it in-process in demo mode; balie-gateway runs
// it as the city's default store. It imports the domain and bbolt, never
// Fyne or HTTP.
//
// bbolt was chosen over SQLite because it is pure Go (no cgo beside Fyne's),
// keeps everything in a single file, and serialises writers: a booking is
// one read-write transaction, so two visitors can never both get one slot.
package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/digitalebalie/balie/app/calendar"
	"github.com/digitalebalie/balie/app/domain"
)

var (
	bucketAppointments = []byte("appointments") // code → record
	bucketTokens       = []byte("tokens")       // token → code
	bucketSlots        = []byte("slots")        // service|start → code
)

// Options configure a Store.
type Options struct {
	Path     string           // the one data file
	Services []domain.Service // the catalogue
	Calendar *calendar.Calendar
	// JoinTemplate makes an appointment's video link. "{room}" becomes a
	// fresh random room name, "{code}" the booking code without dash.
	JoinTemplate string
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// TakenShare is the percentage (0-100) of slots that show as already
	// booked by others, so a demo calendar looks like a real one. The choice
	// is a fixed function of service and time, so it is the same every run.
	TakenShare int
	// Retention removes appointments that ended longer ago than this when
	// the store opens; zero keeps everything.
	Retention time.Duration
}

// Store is the embedded Backend.
type Store struct {
	db   *bolt.DB
	opts Options
}

var _ domain.Backend = (*Store)(nil)

// Open opens or creates the data file.
func Open(opts Options) (*Store, error) {
	if opts.Calendar == nil {
		opts.Calendar = calendar.New()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.JoinTemplate == "" {
		opts.JoinTemplate = "https://meet.jit.si/DigitaleBalie-{room}"
	}
	db, err := bolt.Open(opts.Path, 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", opts.Path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketAppointments, bucketTokens, bucketSlots} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("prepare store: %w", err)
	}
	s := &Store{db: db, opts: opts}
	if opts.Retention > 0 {
		if err := s.purge(opts.Now().Add(-opts.Retention)); err != nil {
			db.Close()
			return nil, err
		}
	}
	return s, nil
}

// Close closes the data file.
func (s *Store) Close() error { return s.db.Close() }

// Services returns the catalogue.
func (s *Store) Services(ctx context.Context) ([]domain.Service, error) {
	return s.opts.Services, nil
}

// Slots returns the free slots of a service.
func (s *Store) Slots(ctx context.Context, serviceID string, from time.Time, days int) ([]domain.Slot, error) {
	svc, ok := domain.FindService(s.opts.Services, serviceID)
	if !ok || !svc.ByVideo {
		return nil, domain.Invalid(map[string]domain.FieldReason{"serviceId": domain.ReasonUnknown})
	}
	if days < 1 || days > domain.MaxSlotDays {
		return nil, domain.Invalid(map[string]domain.FieldReason{"days": domain.ReasonOutOfRange})
	}
	all := s.opts.Calendar.Slots(serviceID, svc.Duration, s.opts.Now(), from, days)
	free := all[:0]
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSlots)
		for _, sl := range all {
			if !s.takenByOthers(sl) && b.Get(slotKey(sl.ServiceID, sl.Start)) == nil {
				free = append(free, sl)
			}
		}
		return nil
	})
	if err != nil {
		return nil, domain.Errorf(domain.EUnavailable, "read slots: %w", err)
	}
	return free, nil
}

// takenByOthers marks a fixed share of slots as booked elsewhere.
func (s *Store) takenByOthers(sl domain.Slot) bool {
	if s.opts.TakenShare <= 0 {
		return false
	}
	h := fnv.New32a()
	h.Write(slotKey(sl.ServiceID, sl.Start))
	return int(h.Sum32()%100) < s.opts.TakenShare
}

func slotKey(serviceID string, start time.Time) []byte {
	return []byte(serviceID + "|" + start.UTC().Format(time.RFC3339))
}

// Book books a free slot in one transaction.
func (s *Store) Book(ctx context.Context, req domain.BookingRequest) (domain.Appointment, error) {
	now := s.opts.Now()
	req, err := domain.ValidateBooking(req, s.opts.Services, now)
	if err != nil {
		return domain.Appointment{}, err
	}
	svc, _ := domain.FindService(s.opts.Services, req.ServiceID)
	slot, ok := s.findSlot(svc, req.Start, now)
	if !ok {
		return domain.Appointment{}, domain.Invalid(map[string]domain.FieldReason{"start": domain.ReasonOutOfRange})
	}
	if s.takenByOthers(slot) {
		return domain.Appointment{}, &domain.Error{Code: domain.ESlotTaken}
	}

	appt := domain.Appointment{
		Token:           domain.NewToken(),
		ServiceID:       svc.ID,
		Start:           slot.Start,
		End:             slot.End,
		Language:        req.Language,
		Contact:         req.Contact,
		ConsentResearch: req.ConsentResearch,
		Interpreter:     req.Interpreter,
		CreatedAt:       now,
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		slots := tx.Bucket(bucketSlots)
		key := slotKey(slot.ServiceID, slot.Start)
		if slots.Get(key) != nil {
			return &domain.Error{Code: domain.ESlotTaken}
		}
		appts := tx.Bucket(bucketAppointments)
		for appt.Code == "" || appts.Get([]byte(appt.Code)) != nil {
			appt.Code = domain.NewCode()
		}
		appt.JoinURL = s.joinURL(appt.Code)
		data, err := json.Marshal(toRecord(appt))
		if err != nil {
			return err
		}
		if err := appts.Put([]byte(appt.Code), data); err != nil {
			return err
		}
		if err := tx.Bucket(bucketTokens).Put([]byte(appt.Token), []byte(appt.Code)); err != nil {
			return err
		}
		return slots.Put(key, []byte(appt.Code))
	})
	if err != nil {
		if domain.CodeOf(err) == domain.ESlotTaken {
			return domain.Appointment{}, err
		}
		return domain.Appointment{}, domain.Errorf(domain.EUnavailable, "book: %w", err)
	}
	return appt, nil
}

// findSlot returns the calendar slot of svc that starts at start.
func (s *Store) findSlot(svc domain.Service, start time.Time, now time.Time) (domain.Slot, bool) {
	for _, sl := range s.opts.Calendar.Slots(svc.ID, svc.Duration, now, start, 1) {
		if sl.Start.Equal(start) {
			return sl, true
		}
	}
	return domain.Slot{}, false
}

func (s *Store) joinURL(code string) string {
	return strings.NewReplacer(
		"{room}", strings.TrimRight(domain.NewToken()[:22], "-_"),
		"{code}", strings.ReplaceAll(code, "-", ""),
	).Replace(s.opts.JoinTemplate)
}

// Find returns the appointment with code when check proves ownership.
func (s *Store) Find(ctx context.Context, code, check string) (domain.Appointment, error) {
	appt, err := s.get(domain.NormalizeCode(code))
	if err != nil {
		return domain.Appointment{}, err
	}
	if !appt.MatchesCheck(check) {
		return domain.Appointment{}, &domain.Error{Code: domain.ENotFound}
	}
	return appt, nil
}

// FindByToken returns the appointment a QR token points to; for the phone
// page, where the token itself is the proof.
func (s *Store) FindByToken(ctx context.Context, token string) (domain.Appointment, error) {
	var code []byte
	err := s.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketTokens).Get([]byte(token)); v != nil {
			code = append(code, v...)
		}
		return nil
	})
	if err != nil {
		return domain.Appointment{}, domain.Errorf(domain.EUnavailable, "find token: %w", err)
	}
	if code == nil {
		return domain.Appointment{}, &domain.Error{Code: domain.ENotFound}
	}
	return s.get(string(code))
}

func (s *Store) get(code string) (domain.Appointment, error) {
	if code == "" {
		return domain.Appointment{}, &domain.Error{Code: domain.ENotFound}
	}
	var rec record
	found := false
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketAppointments).Get([]byte(code))
		if v == nil {
			return nil
		}
		found = true
		return json.Unmarshal(v, &rec)
	})
	if err != nil {
		return domain.Appointment{}, domain.Errorf(domain.EUnavailable, "find: %w", err)
	}
	if !found {
		return domain.Appointment{}, &domain.Error{Code: domain.ENotFound}
	}
	return rec.appointment(), nil
}

// Cancel cancels an appointment and frees its slot.
func (s *Store) Cancel(ctx context.Context, code, check string) error {
	appt, err := s.Find(ctx, code, check)
	if err != nil {
		return err
	}
	if appt.Cancelled {
		return nil
	}
	appt.Cancelled = true
	err = s.db.Update(func(tx *bolt.Tx) error {
		data, err := json.Marshal(toRecord(appt))
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketAppointments).Put([]byte(appt.Code), data); err != nil {
			return err
		}
		return tx.Bucket(bucketSlots).Delete(slotKey(appt.ServiceID, appt.Start))
	})
	if err != nil {
		return domain.Errorf(domain.EUnavailable, "cancel: %w", err)
	}
	return nil
}

// purge deletes appointments that ended before cutoff, with their token and
// slot keys, so personal data is not kept longer than needed.
func (s *Store) purge(cutoff time.Time) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		appts := tx.Bucket(bucketAppointments)
		var old []record
		err := appts.ForEach(func(k, v []byte) error {
			var rec record
			if err := json.Unmarshal(v, &rec); err != nil {
				return err
			}
			if rec.End.Before(cutoff) {
				old = append(old, rec)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, rec := range old {
			err := errors.Join(
				appts.Delete([]byte(rec.Code)),
				tx.Bucket(bucketTokens).Delete([]byte(rec.Token)),
				tx.Bucket(bucketSlots).Delete(slotKey(rec.ServiceID, rec.Start)),
			)
			if err != nil {
				return err
			}
		}
		return nil
	})
}
