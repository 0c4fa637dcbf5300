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
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"net/url"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/digitalebalie/balie/app/calendar"
	"github.com/digitalebalie/balie/app/domain"
)

var (
	bucketAppointments = []byte("appointments") // code → record
	bucketTokens       = []byte("tokens")       // token → code
	bucketSlots        = []byte("slots")        // service|start|counter → code
	bucketIdempotency  = []byte("idempotency")  // caller's key → code
	bucketHelp         = []byte("help")         // sequence → help request
	bucketFeedback     = []byte("feedback")     // sequence → feedback
	bucketMeta         = []byte("meta")         // the installation's id and hashing key
	bucketContacts     = []byte("contacts")     // keyed hash of an address or number | code → start
	bucketDeviceBooks  = []byte("devicebooks")  // device \x00 booked-at | code → nothing
	// bucketSlots holds service|start|counter → code (capacity.go).
)

// buckets are all the store's buckets, made when it opens.
var buckets = [][]byte{bucketAppointments, bucketTokens, bucketSlots, bucketIdempotency, bucketHelp, bucketFeedback, bucketOutbox,
	bucketMeta, bucketContacts, bucketDeviceBooks, bucketCapacity, bucketAudit, bucketStaff, bucketFeeds,
	bucketVisits, bucketVisitIDs, bucketResearch}

// Options configure a Store.
type Options struct {
	Path     string           // the one data file
	Services []domain.Service // the catalogue
	Calendar *calendar.Calendar
	// JoinTemplate makes an appointment's video link. "{room}" becomes a
	// fresh random room name, "{code}" the booking code without dash,
	// "{lang}" the visitor's language (for a video service that takes it,
	// such as Jitsi's #config.defaultLanguage={lang}).
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
	// Languages are the language tags a booking may have; nil takes any.
	Languages []string
	// MaxPerContact is how many appointments still to come one e-mail
	// address or mobile number may hold; 0 takes the domain's
	// MaxFutureAppointments.
	MaxPerContact int
	// DeviceBookingsPerHour bounds the bookings one kiosk makes in any
	// hour; 0 sets no bound (the practice store has one visitor at a time).
	DeviceBookingsPerHour int
	// ResearchRetention is how long the contact of a visitor who agreed
	// to be asked about the service is kept; 0 takes 90 days.
	ResearchRetention time.Duration
	// Log gets one line per storage condition (a full disk, a read-only
	// data file) and one when writes work again; nil takes slog.Default().
	Log *slog.Logger
}

// Store is the embedded Backend.
type Store struct {
	db   *bolt.DB
	opts Options
	// installation names this data file among all gateways: e-mails and
	// SMS carry it in their ids. contactKey keys the hashes that count a
	// contact's appointments. Both are made once and kept in the file.
	installation string
	contactKey   []byte
	faults       *faults // writes the disk refuses (faults.go)
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
	if opts.MaxPerContact == 0 {
		opts.MaxPerContact = domain.MaxFutureAppointments
	}
	if opts.JoinTemplate == "" {
		opts.JoinTemplate = "https://meet.jit.si/DigitaleBalie-{room}#config.defaultLanguage={lang}"
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	s := &Store{opts: opts, faults: &faults{path: opts.Path, log: opts.Log}}
	db, err := bolt.Open(opts.Path, 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		if db = openReadOnly(opts.Path, err); db == nil {
			return nil, fmt.Errorf("open store %s: %w", opts.Path, err)
		}
		s.faults.failed(readOnlyFile, err)
	}
	s.db = db
	// prepare makes what a new or older file lacks. In a read transaction
	// it only checks that nothing is lacking: a file the disk will not let
	// us write still opens when it needs no write to serve reads.
	prepare := func(tx *bolt.Tx) error {
		for _, b := range buckets {
			if !tx.Writable() && tx.Bucket(b) != nil {
				continue
			}
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return fmt.Errorf("bucket %s: %w", b, err)
			}
		}
		if err := migrateSlotKeys(tx); err != nil {
			return err
		}
		var err error
		s.installation, s.contactKey, err = readMeta(tx)
		return err
	}
	if db.IsReadOnly() {
		err = db.View(prepare)
	} else if err = s.commit(prepare); IsFault(err) {
		err = db.View(prepare)
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("prepare store %s: %w", opts.Path, err)
	}
	// The purge waits for a disk that takes writes again (KeepPurging).
	if _, err := s.Purge(); err != nil && !IsFault(err) {
		db.Close()
		return nil, err
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
	var free []domain.Slot
	err := s.db.View(func(tx *bolt.Tx) error {
		c, err := capacityOf(tx, svc)
		if err != nil {
			return err
		}
		b := tx.Bucket(bucketSlots)
		for _, sl := range s.opts.Calendar.Slots(c, serviceID, s.opts.Now(), from, days) {
			if !s.takenByOthers(sl) && booked(b, sl.ServiceID, sl.Start) < c.Counters {
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
	h.Write([]byte(sl.ServiceID + "|" + sl.Start.UTC().Format(time.RFC3339)))
	return int(h.Sum32()%100) < s.opts.TakenShare
}

// Book books a free slot in one transaction; with req.Key, once.
func (s *Store) Book(ctx context.Context, req domain.BookingRequest) (domain.Appointment, error) {
	return s.BookOnce(ctx, req.Key, req)
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
	req, err := domain.ValidateBooking(req, s.opts.Services, s.opts.Languages, now)
	if err != nil {
		return domain.Appointment{}, err
	}
	svc, _ := domain.FindService(s.opts.Services, req.ServiceID)
	appt := domain.Appointment{
		Token:               domain.NewToken(),
		ServiceID:           svc.ID,
		Language:            req.Language,
		Contact:             req.Contact,
		ConsentResearch:     req.ConsentResearch,
		Interpreter:         req.Interpreter,
		InterpreterLanguage: req.InterpreterLanguage,
		CreatedAt:           now,
		Booker:              req.Booker,
	}
	var earlier string // code of a booking made with the same key meanwhile
	err = s.update("book", func(tx *bolt.Tx) error {
		if key != "" {
			if c := tx.Bucket(bucketIdempotency).Get([]byte(key)); c != nil {
				earlier = string(c)
				return nil
			}
		}
		// The slot is checked against the capacity of this moment, in the
		// transaction that takes it: a lead's change cannot slip between.
		c, err := capacityOf(tx, svc)
		if err != nil {
			return err
		}
		slot, ok := s.slotAt(c, svc, req.Start, time.Time{}, false)
		if !ok {
			return domain.Invalid(map[string]domain.FieldReason{"start": domain.ReasonOutOfRange})
		}
		slots := tx.Bucket(bucketSlots)
		counter := freeCounter(slots, svc.ID, slot.Start, c.Counters)
		if counter < 0 || s.takenByOthers(slot) {
			return &domain.Error{Code: domain.ESlotTaken}
		}
		appt.Start, appt.End = slot.Start, slot.End
		// The quotas are counted in the booking's own transaction: two
		// bookings at once cannot both squeeze under a limit.
		if err := s.checkQuotas(tx, req, now); err != nil {
			return err
		}
		appts := tx.Bucket(bucketAppointments)
		for appt.Code == "" || appts.Get([]byte(appt.Code)) != nil {
			appt.Code = domain.NewCode()
		}
		appt.JoinURL = s.joinURL(appt.Code, appt.Language)
		rec := toRecord(appt)
		rec.IdempotencyKey, rec.Device, rec.Counter = key, req.Device, counter
		if err := s.countBooking(tx, rec); err != nil {
			return err
		}
		if key != "" {
			if err := tx.Bucket(bucketIdempotency).Put([]byte(key), []byte(appt.Code)); err != nil {
				return err
			}
		}
		if err := putRecord(tx, rec); err != nil {
			return err
		}
		if err := tx.Bucket(bucketTokens).Put([]byte(appt.Token), []byte(appt.Code)); err != nil {
			return err
		}
		// Every booking is in the audit log: by a member of staff for a
		// caller, or by a visitor at a kiosk.
		who := req.Booker
		if who == "" {
			who = "kiosk:" + cmp.Or(req.Device, "practice")
		}
		if err := appendAudit(tx, AuditEntry{At: now, Who: who, Action: AuditBook, Code: appt.Code}); err != nil {
			return err
		}
		// A visitor who agreed to be asked about the service is kept apart
		// from the booking, with a retention of its own: cancelling or
		// purging the appointment leaves it, its end date removes it.
		if req.ConsentResearch {
			if err := appendIn(tx, bucketResearch, s.researchContact(req, now)); err != nil {
				return err
			}
		}
		if s.opts.Notices {
			if err := enqueue(tx, domain.NoticesForBooking(appt, now)); err != nil {
				return err
			}
		}
		return slots.Put(counterKey(svc.ID, slot.Start, counter), []byte(appt.Code))
	})
	if err != nil {
		return domain.Appointment{}, err
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

func (s *Store) joinURL(code, lang string) string {
	return strings.NewReplacer(
		"{room}", strings.TrimRight(domain.NewToken()[:22], "-_"),
		"{code}", strings.ReplaceAll(code, "-", ""),
		"{lang}", url.QueryEscape(lang),
	).Replace(s.opts.JoinTemplate)
}

// Find returns the appointment with code when check proves ownership. A
// wrong check is counted with the code, in the same transaction as the
// check: after domain.ShortCheckTries of them, the last four digits no
// longer open it, however many kiosks guess at once.
func (s *Store) Find(ctx context.Context, code, check string) (domain.Appointment, error) {
	code = domain.NormalizeCode(code)
	var rec record
	err := s.update("find", func(tx *bolt.Tx) error {
		var err error
		rec, err = owned(tx, code, check)
		return err
	})
	if IsFault(err) {
		// The disk refuses writes, so a wrong check cannot be counted: a
		// full check (the whole number or address, which the count does
		// not guard) is still answered from a read; a short one waits for
		// the disk, or guessing the last four digits would be free.
		return s.findByFullCheck(code, check, err)
	}
	if err != nil {
		return domain.Appointment{}, err
	}
	return s.withPhoneURL(rec.appointment()), nil
}

// findByFullCheck answers Find without writing when check is the full
// number or address; else it answers fault.
func (s *Store) findByFullCheck(code, check string, fault error) (domain.Appointment, error) {
	var rec record
	found := false
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		rec, found, err = getRecord(tx, code)
		return err
	})
	if err != nil || !found || !rec.appointment().MatchesCheck(check, false) {
		return domain.Appointment{}, fault
	}
	return s.withPhoneURL(rec.appointment()), nil
}

// errWrongCheck marks the answer to a wrong check, which owned has counted:
// update commits that count and still returns the answer.
var errWrongCheck = errors.New("wrong check")

// update runs f in one write transaction. When f answers a wrong check,
// what f wrote (the count) is committed and the answer returned after. A
// failure that is not an answer of the store's is EUnavailable.
func (s *Store) update(what string, f func(tx *bolt.Tx) error) error {
	var refused error
	err := s.commit(func(tx *bolt.Tx) error {
		err := f(tx)
		if errors.Is(err, errWrongCheck) {
			refused = err
			return nil
		}
		return err
	})
	var answer *domain.Error
	switch {
	case err == nil:
		return refused
	case errors.As(err, &answer):
		return err
	}
	return domain.Errorf(domain.EUnavailable, "%s: %w", what, err)
}

// owned reads the record of code inside tx and checks its owner; a wrong
// check is counted on the record (run it inside update).
func owned(tx *bolt.Tx, code, check string) (record, error) {
	rec, found, err := getRecord(tx, code)
	switch {
	case err != nil:
		return record{}, domain.Errorf(domain.EUnavailable, "find: %w", err)
	case !found:
		return record{}, &domain.Error{Code: domain.ENotFound}
	case rec.appointment().MatchesCheck(check, rec.FailedChecks < domain.ShortCheckTries):
		return rec, nil
	}
	rec.FailedChecks++
	if err := putRecord(tx, rec); err != nil {
		return record{}, domain.Errorf(domain.EUnavailable, "count a wrong check: %w", err)
	}
	return record{}, &domain.Error{Code: domain.ENotFound, Err: errWrongCheck}
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

// Cancel cancels an appointment and frees its slot, with the same proof as
// Find. Cancelling twice answers the same as once.
func (s *Store) Cancel(ctx context.Context, code, check string) error {
	return s.cancel("visitor", func(tx *bolt.Tx) (record, error) {
		return owned(tx, domain.NormalizeCode(code), check)
	})
}

// CancelAsStaff cancels an appointment for its visitor, from the back
// office; the cancel is in the audit log.
func (s *Store) CancelAsStaff(code, who string) error {
	return s.cancel(who, func(tx *bolt.Tx) (record, error) {
		rec, found, err := getRecord(tx, domain.NormalizeCode(code))
		if err != nil {
			return record{}, err
		}
		if !found {
			return record{}, &domain.Error{Code: domain.ENotFound}
		}
		return rec, nil
	})
}

// CancelByToken cancels the appointment a QR token points to; for the phone
// page, where the token itself is the proof.
func (s *Store) CancelByToken(ctx context.Context, token string) error {
	return s.cancel("visitor:phone-page", func(tx *bolt.Tx) (record, error) {
		code := tx.Bucket(bucketTokens).Get([]byte(token))
		if code == nil {
			return record{}, &domain.Error{Code: domain.ENotFound}
		}
		rec, found, err := getRecord(tx, string(code))
		if err != nil {
			return record{}, domain.Errorf(domain.EUnavailable, "find: %w", err)
		}
		if !found {
			return record{}, &domain.Error{Code: domain.ENotFound}
		}
		return rec, nil
	})
}

// cancel finds the appointment and cancels it in one transaction, so two
// cancels and a new booking of the slot cannot interleave: the slot is
// freed only while it still belongs to this appointment.
func (s *Store) cancel(who string, find func(tx *bolt.Tx) (record, error)) error {
	return s.update("cancel", func(tx *bolt.Tx) error {
		rec, err := find(tx)
		if err != nil || rec.Cancelled {
			return err
		}
		if err := appendAudit(tx, AuditEntry{At: s.opts.Now(), Who: who, Action: AuditCancel, Code: rec.Code}); err != nil {
			return err
		}
		rec.Cancelled = true
		if err := putRecord(tx, rec); err != nil {
			return err
		}
		if err := s.uncountContact(tx, rec); err != nil {
			return err
		}
		if s.opts.Notices {
			if err := dropPending(tx, rec.Code); err != nil {
				return err
			}
			if err := enqueue(tx, domain.NoticesForCancel(rec.appointment(), s.opts.Now())); err != nil {
				return err
			}
		}
		return release(tx, rec)
	})
}

// putRecord writes rec under its code.
func putRecord(tx *bolt.Tx, rec record) error {
	data, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketAppointments).Put([]byte(rec.Code), data)
}

// Purge deletes appointments that ended longer than Retention ago, with
// their keys and notices, so personal data is not kept longer than needed,
// and forgets device bookings older than the quota's hour. It says how many
// appointments went.
func (s *Store) Purge() (int, error) {
	now := s.opts.Now()
	gone := 0
	err := s.commit(func(tx *bolt.Tx) error {
		if err := forgetDeviceBookings(tx, now.Add(-time.Hour)); err != nil {
			return err
		}
		if err := purgeResearch(tx, now); err != nil {
			return err
		}
		if s.opts.Retention <= 0 {
			return nil
		}
		var err error
		if gone, err = s.purge(tx, now.Add(-s.opts.Retention)); err != nil {
			return err
		}
		return purgeAudit(tx, now.Add(-s.opts.Retention))
	})
	if err != nil {
		return 0, fmt.Errorf("purge: %w", err)
	}
	return gone, nil
}

// KeepPurging purges at every tick until ctx ends: a gateway that runs for
// months keeps nobody's details past the retention. (The ticks are a
// parameter so tests drive them with their own clock.)
func (s *Store) KeepPurging(ctx context.Context, ticks <-chan time.Time, failed func(error)) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticks:
			if _, err := s.Purge(); err != nil && failed != nil {
				failed(err)
			}
		}
	}
}

// purge deletes appointments that ended before cutoff inside tx.
func (s *Store) purge(tx *bolt.Tx, cutoff time.Time) (int, error) {
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
		return 0, err
	}
	gone := map[string]bool{}
	for _, rec := range old {
		gone[rec.Code] = true
		err := errors.Join(
			appts.Delete([]byte(rec.Code)),
			tx.Bucket(bucketTokens).Delete([]byte(rec.Token)),
			s.uncountContact(tx, rec),
		)
		if err == nil {
			err = release(tx, rec)
		}
		if err == nil && rec.IdempotencyKey != "" {
			err = tx.Bucket(bucketIdempotency).Delete([]byte(rec.IdempotencyKey))
		}
		if err != nil {
			return 0, err
		}
	}
	return len(old), purgeNotices(tx, gone)
}
