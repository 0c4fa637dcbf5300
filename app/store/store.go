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
	bucketIdempotency  = []byte("idempotency")  // caller's key → code
	bucketHelp         = []byte("help")         // sequence → help request
	bucketFeedback     = []byte("feedback")     // sequence → feedback
)

// buckets are all the store's buckets, made when it opens.
var buckets = [][]byte{bucketAppointments, bucketTokens, bucketSlots, bucketIdempotency, bucketHelp, bucketFeedback, bucketOutbox}

// Options configure a Store.
type Options struct {
	Path     string           // the one data file
	Services []domain.Service // the catalogue
	Calendar *calendar.Calendar
	// JoinTemplate makes an appointment's video link. "{room}" becomes a
	// fresh random room name, "{code}" the booking code without dash.
	JoinTemplate string
	// PhoneBase is the public base URL of the phone page; an appointment's
	// PhoneURL is PhoneBase + "/a/" + token. Empty leaves PhoneURL empty.
	PhoneBase string
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// TakenShare is the percentage (0-100) of slots that show as already
	// booked by others, so a demo calendar looks like a real one. The choice
	// is a fixed function of service and time, so it is the same every run.
	TakenShare int
	// Retention removes appointments that ended longer ago than this when
	// the store opens; zero keeps everything.
	Retention time.Duration
	// Notices makes every booking and cancellation write the e-mails and
	// SMS it owes the visitor to the outbox, in the same transaction
	// (balie-gateway). The kiosk's practice store sends nothing.
	Notices bool
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
		for _, b := range buckets {
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
	return s.BookOnce(ctx, "", req)
}

// BookOnce books like Book, but a repeat with the same non-empty key returns
// the appointment the first call made instead of booking again. The key is
// kept with the booking in one transaction, so this holds across crashes.
func (s *Store) BookOnce(ctx context.Context, key string, req domain.BookingRequest) (domain.Appointment, error) {
	if key != "" {
		if appt, ok, err := s.byIdempotencyKey(key); err != nil || ok {
			return appt, err
		}
	}
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
	var earlier string // code of a booking made with the same key meanwhile
	err = s.db.Update(func(tx *bolt.Tx) error {
		if key != "" {
			if c := tx.Bucket(bucketIdempotency).Get([]byte(key)); c != nil {
				earlier = string(c)
				return nil
			}
		}
		slots := tx.Bucket(bucketSlots)
		taken := slotKey(slot.ServiceID, slot.Start)
		if slots.Get(taken) != nil {
			return &domain.Error{Code: domain.ESlotTaken}
		}
		appts := tx.Bucket(bucketAppointments)
		for appt.Code == "" || appts.Get([]byte(appt.Code)) != nil {
			appt.Code = domain.NewCode()
		}
		appt.JoinURL = s.joinURL(appt.Code)
		rec := toRecord(appt)
		rec.IdempotencyKey = key
		data, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		if key != "" {
			if err := tx.Bucket(bucketIdempotency).Put([]byte(key), []byte(appt.Code)); err != nil {
				return err
			}
		}
		if err := appts.Put([]byte(appt.Code), data); err != nil {
			return err
		}
		if err := tx.Bucket(bucketTokens).Put([]byte(appt.Token), []byte(appt.Code)); err != nil {
			return err
		}
		if s.opts.Notices {
			if err := enqueue(tx, domain.NoticesForBooking(appt, now)); err != nil {
				return err
			}
		}
		return slots.Put(taken, []byte(appt.Code))
	})
	if err != nil {
		if domain.CodeOf(err) == domain.ESlotTaken {
			return domain.Appointment{}, err
		}
		return domain.Appointment{}, domain.Errorf(domain.EUnavailable, "book: %w", err)
	}
	if earlier != "" {
		return s.get(earlier)
	}
	return s.withPhoneURL(appt), nil
}

// byIdempotencyKey returns the appointment booked earlier with key.
func (s *Store) byIdempotencyKey(key string) (domain.Appointment, bool, error) {
	var code string
	err := s.db.View(func(tx *bolt.Tx) error {
		code = string(tx.Bucket(bucketIdempotency).Get([]byte(key)))
		return nil
	})
	if err != nil {
		return domain.Appointment{}, false, domain.Errorf(domain.EUnavailable, "read idempotency key: %w", err)
	}
	if code == "" {
		return domain.Appointment{}, false, nil
	}
	appt, err := s.get(code)
	return appt, err == nil, err
}

func (s *Store) withPhoneURL(a domain.Appointment) domain.Appointment {
	if s.opts.PhoneBase != "" {
		a.PhoneURL = strings.TrimRight(s.opts.PhoneBase, "/") + "/a/" + a.Token
	}
	return a
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

// getRecord reads the record of code inside tx; found is false when there
// is none.
func getRecord(tx *bolt.Tx, code string) (rec record, found bool, err error) {
	v := tx.Bucket(bucketAppointments).Get([]byte(code))
	if v == nil {
		return record{}, false, nil
	}
	err = json.Unmarshal(v, &rec)
	return rec, err == nil, err
}

func (s *Store) get(code string) (domain.Appointment, error) {
	if code == "" {
		return domain.Appointment{}, &domain.Error{Code: domain.ENotFound}
	}
	var rec record
	found := false
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		rec, found, err = getRecord(tx, code)
		return err
	})
	if err != nil {
		return domain.Appointment{}, domain.Errorf(domain.EUnavailable, "find: %w", err)
	}
	if !found {
		return domain.Appointment{}, &domain.Error{Code: domain.ENotFound}
	}
	return s.withPhoneURL(rec.appointment()), nil
}

// Cancel cancels an appointment and frees its slot.
func (s *Store) Cancel(ctx context.Context, code, check string) error {
	appt, err := s.Find(ctx, code, check)
	if err != nil {
		return err
	}
	return s.cancel(appt)
}

// CancelByToken cancels the appointment a QR token points to; for the phone
// page, where the token itself is the proof.
func (s *Store) CancelByToken(ctx context.Context, token string) error {
	appt, err := s.FindByToken(ctx, token)
	if err != nil {
		return err
	}
	return s.cancel(appt)
}

func (s *Store) cancel(appt domain.Appointment) error {
	if appt.Cancelled {
		return nil
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		appts := tx.Bucket(bucketAppointments)
		rec, found, err := getRecord(tx, appt.Code)
		if err != nil {
			return err
		}
		if !found {
			return errors.New("the appointment is no longer stored")
		}
		rec.Cancelled = true
		data, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		if err := appts.Put([]byte(appt.Code), data); err != nil {
			return err
		}
		if s.opts.Notices {
			if err := dropPending(tx, appt.Code); err != nil {
				return err
			}
			if err := enqueue(tx, domain.NoticesForCancel(rec.appointment(), s.opts.Now())); err != nil {
				return err
			}
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
		gone := map[string]bool{}
		for _, rec := range old {
			gone[rec.Code] = true
			err := errors.Join(
				appts.Delete([]byte(rec.Code)),
				tx.Bucket(bucketTokens).Delete([]byte(rec.Token)),
				tx.Bucket(bucketSlots).Delete(slotKey(rec.ServiceID, rec.Start)),
			)
			if err == nil && rec.IdempotencyKey != "" {
				err = tx.Bucket(bucketIdempotency).Delete([]byte(rec.IdempotencyKey))
			}
			if err != nil {
				return err
			}
		}
		return purgeNotices(tx, gone)
	})
}
