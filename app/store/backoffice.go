package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/digitalebalie/balie/app/domain"
)

// What the back office reads and writes: the agenda, outcomes, staff
// accounts, calendar feeds and the audit log. Every change a member of
// staff makes is written to the audit log in the change's own transaction.

var (
	bucketAudit = []byte("audit") // sequence → audit entry (append-only)
	bucketStaff = []byte("staff") // account name → staff account
	bucketFeeds = []byte("feeds") // hash of the feed's secret → feed
)

// AuditEntry is one line of the audit log: who did what, when, to which
// appointment. Detail never holds contact details.
type AuditEntry struct {
	Seq    uint64    `json:"seq"`
	At     time.Time `json:"at"`
	Who    string    `json:"who"`
	Action string    `json:"action"`
	Code   string    `json:"code,omitempty"`
	Detail string    `json:"detail,omitempty"`
}

// Audit actions.
const (
	AuditSignIn        = "sign-in"
	AuditSignInFailed  = "sign-in-failed"
	AuditViewContact   = "view-contact"
	AuditOutcome       = "outcome"
	AuditBook          = "book"
	AuditMove          = "move"
	AuditCancel        = "cancel"
	AuditCapacity      = "capacity"
	AuditFeedCreated   = "feed-created"
	AuditFeedRevoked   = "feed-revoked"
	AuditStaffChanged  = "staff-changed"
	AuditAuditExported = "audit-exported"
	AuditResearchRead  = "research-read"
	AuditResearchCSV   = "research-exported"
)

// appendAudit writes an entry inside tx.
func appendAudit(tx *bolt.Tx, e AuditEntry) error {
	b := tx.Bucket(bucketAudit)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	e.Seq = seq
	data, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return b.Put(binary.BigEndian.AppendUint64(nil, seq), data)
}

// Record writes an audit entry on its own (a sign-in, an export).
func (s *Store) Record(who, action, code, detail string) error {
	return s.update("audit", func(tx *bolt.Tx) error {
		return appendAudit(tx, AuditEntry{At: s.opts.Now(), Who: who, Action: action, Code: code, Detail: detail})
	})
}

// Audit lists the entries from since on, oldest first.
func (s *Store) Audit(since time.Time) ([]AuditEntry, error) {
	all, err := listOf[AuditEntry](s, bucketAudit)
	return slices.DeleteFunc(all, func(e AuditEntry) bool { return e.At.Before(since) }), err
}

// purgeAudit drops entries older than cutoff: the log is kept as long as
// the appointments it speaks of.
func purgeAudit(tx *bolt.Tx, cutoff time.Time) error {
	b := tx.Bucket(bucketAudit)
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var e AuditEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return err
		}
		if !e.At.Before(cutoff) {
			return nil // entries are in time order
		}
		if err := c.Delete(); err != nil {
			return err
		}
	}
	return nil
}

// Agenda lists the appointments of the given themes that start in
// [from, to), cancelled ones too, in time order. Contact details are left
// out: ContactOf gives them, and logs that it did.
func (s *Store) Agenda(serviceIDs []string, from, to time.Time) ([]domain.Appointment, error) {
	want := map[string]bool{}
	for _, id := range serviceIDs {
		want[id] = true
	}
	var out []domain.Appointment
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketAppointments).ForEach(func(_, v []byte) error {
			var rec record
			if err := json.Unmarshal(v, &rec); err != nil {
				return err
			}
			if want[rec.ServiceID] && !rec.Start.Before(from) && rec.Start.Before(to) {
				a := rec.appointment()
				a.Contact = domain.Contact{Name: a.Contact.Name}
				out = append(out, a)
			}
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Start.Equal(out[j].Start) {
			return out[i].Start.Before(out[j].Start)
		}
		return out[i].Code < out[j].Code
	})
	return out, err
}

// Appointment returns one appointment by its code, without contact
// details, for the back office.
func (s *Store) Appointment(code string) (domain.Appointment, error) {
	a, err := s.get(domain.NormalizeCode(code))
	a.Contact = domain.Contact{Name: a.Contact.Name}
	return a, err
}

// ContactOf returns an appointment's contact details to who, and writes
// that they were shown to the audit log in the same transaction: a view
// that is not logged does not happen.
func (s *Store) ContactOf(code, who string) (domain.Contact, error) {
	var c domain.Contact
	err := s.update("view contact", func(tx *bolt.Tx) error {
		rec, found, err := getRecord(tx, domain.NormalizeCode(code))
		if err != nil {
			return err
		}
		if !found {
			return &domain.Error{Code: domain.ENotFound}
		}
		c = rec.appointment().Contact
		return appendAudit(tx, AuditEntry{At: s.opts.Now(), Who: who, Action: AuditViewContact, Code: rec.Code})
	})
	return c, err
}

// SetOutcome marks an appointment done or no-show (or back to none).
func (s *Store) SetOutcome(code string, o domain.Outcome, who string) error {
	switch o {
	case domain.OutcomeNone, domain.OutcomeDone, domain.OutcomeNoShow:
	default:
		return domain.Invalid(map[string]domain.FieldReason{"outcome": domain.ReasonUnknown})
	}
	return s.update("set outcome", func(tx *bolt.Tx) error {
		rec, found, err := getRecord(tx, domain.NormalizeCode(code))
		if err != nil {
			return err
		}
		if !found {
			return &domain.Error{Code: domain.ENotFound}
		}
		if rec.Cancelled {
			return domain.Errorf(domain.EInvalid, "cancelled")
		}
		rec.Outcome = o
		if err := putRecord(tx, rec); err != nil {
			return err
		}
		return appendAudit(tx, AuditEntry{At: s.opts.Now(), Who: who, Action: AuditOutcome, Code: rec.Code, Detail: string(o)})
	})
}

// StaffAccount is a local back-office account. Hash is an argon2id hash
// in the PHC string format; the store never sees a password.
type StaffAccount struct {
	Name      string    `json:"name"`
	Role      string    `json:"role"`
	Themes    []string  `json:"themes,omitempty"`
	Hash      string    `json:"hash"`
	CreatedAt time.Time `json:"createdAt"`
}

// PutStaff adds or replaces a local account.
func (s *Store) PutStaff(a StaffAccount, who string) error {
	if a.CreatedAt.IsZero() {
		a.CreatedAt = s.opts.Now()
	}
	data, err := json.Marshal(a)
	if err != nil {
		return err
	}
	return s.update("put staff", func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketStaff).Put([]byte(a.Name), data); err != nil {
			return err
		}
		return appendAudit(tx, AuditEntry{At: s.opts.Now(), Who: who, Action: AuditStaffChanged,
			Detail: fmt.Sprintf("%s: %s %v", a.Name, a.Role, a.Themes)})
	})
}

// Staff returns a local account.
func (s *Store) Staff(name string) (StaffAccount, bool, error) {
	return getOf[StaffAccount](s, bucketStaff, name)
}

// Feed is a secret calendar subscription: the appointments of a theme, or
// of the themes of one member of staff.
type Feed struct {
	ID        string    `json:"id"` // shown in the back office, to revoke it
	Owner     string    `json:"owner"`
	Themes    []string  `json:"themes"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"createdAt"`
}

// PutFeed keeps a feed under the hash of its secret: the data file never
// holds a working feed URL.
func (s *Store) PutFeed(secretHash string, f Feed) error {
	data, err := json.Marshal(f)
	if err != nil {
		return err
	}
	return s.update("put feed", func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketFeeds).Put([]byte(secretHash), data); err != nil {
			return err
		}
		return appendAudit(tx, AuditEntry{At: s.opts.Now(), Who: f.Owner, Action: AuditFeedCreated, Detail: f.Name})
	})
}

// FeedBySecretHash finds the feed a subscription URL opens.
func (s *Store) FeedBySecretHash(secretHash string) (Feed, bool, error) {
	return getOf[Feed](s, bucketFeeds, secretHash)
}

// getOf reads the JSON value under key, and whether there is one.
func getOf[T any](s *Store, bucket []byte, key string) (T, bool, error) {
	var v T
	found := false
	err := s.db.View(func(tx *bolt.Tx) error {
		data := tx.Bucket(bucket).Get([]byte(key))
		if data == nil {
			return nil
		}
		found = true
		return json.Unmarshal(data, &v)
	})
	return v, found, err
}

// Feeds lists the feeds of owner, or every feed for an empty owner.
func (s *Store) Feeds(owner string) ([]Feed, error) {
	all, err := listOf[Feed](s, bucketFeeds)
	out := slices.DeleteFunc(all, func(f Feed) bool { return owner != "" && f.Owner != owner })
	sort.Slice(out, func(i, j int) bool { return out[i].CreatedAt.Before(out[j].CreatedAt) })
	return out, err
}

// RevokeFeed deletes the feed with id; its URL answers 404 from then on.
func (s *Store) RevokeFeed(id, who string) error {
	return s.update("revoke feed", func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketFeeds)
		var key []byte
		var name string
		err := b.ForEach(func(k, v []byte) error {
			var f Feed
			if err := json.Unmarshal(v, &f); err != nil {
				return err
			}
			if f.ID == id {
				key, name = append([]byte{}, k...), f.Name
			}
			return nil
		})
		if err != nil {
			return err
		}
		if key == nil {
			return &domain.Error{Code: domain.ENotFound}
		}
		if err := b.Delete(key); err != nil {
			return err
		}
		return appendAudit(tx, AuditEntry{At: s.opts.Now(), Who: who, Action: AuditFeedRevoked, Detail: name})
	})
}

// Move moves an appointment to another time of its theme, for its visitor,
// in one transaction: the new slot is checked against the capacity and
// takes a free counter before the old one is freed, and the visitor is sent
// the new time (an e-mail with an updated .ics of the same UID, and new
// reminders). The move is in the audit log.
func (s *Store) Move(code string, start time.Time, who string) (domain.Appointment, error) {
	var moved record
	err := s.update("move", func(tx *bolt.Tx) error {
		rec, found, err := getRecord(tx, domain.NormalizeCode(code))
		if err != nil {
			return err
		}
		if !found {
			return &domain.Error{Code: domain.ENotFound}
		}
		now := s.opts.Now()
		if rec.Cancelled || !rec.End.After(now) {
			return domain.Errorf(domain.EInvalid, "cancelled or over")
		}
		svc, ok := domain.FindService(s.opts.Services, rec.ServiceID)
		if !ok {
			return &domain.Error{Code: domain.ENotFound}
		}
		c, err := capacityOf(tx, svc)
		if err != nil {
			return err
		}
		slot, ok := s.slotAt(c, svc, start, time.Time{}, false)
		if !ok {
			return domain.Invalid(map[string]domain.FieldReason{"start": domain.ReasonOutOfRange})
		}
		if slot.Start.Equal(rec.Start) {
			moved = rec
			return nil // already there
		}
		slots := tx.Bucket(bucketSlots)
		counter := freeCounter(slots, svc.ID, slot.Start, c.Counters)
		if counter < 0 || s.takenByOthers(slot) {
			return &domain.Error{Code: domain.ESlotTaken}
		}
		if err := release(tx, rec); err != nil {
			return err
		}
		from := rec.Start
		rec.Start, rec.End, rec.Counter = slot.Start, slot.End, counter
		rec.Sequence++
		rec.Changed = now
		if err := slots.Put(counterKey(svc.ID, slot.Start, counter), []byte(rec.Code)); err != nil {
			return err
		}
		if err := putRecord(tx, rec); err != nil {
			return err
		}
		if s.opts.Notices {
			if err := dropPending(tx, rec.Code); err != nil {
				return err
			}
			if err := enqueue(tx, domain.NoticesForMove(rec.appointment(), now)); err != nil {
				return err
			}
		}
		moved = rec
		return appendAudit(tx, AuditEntry{At: now, Who: who, Action: AuditMove, Code: rec.Code,
			Detail: from.In(domain.Brussels).Format("2006-01-02 15:04") + " → " + slot.Start.In(domain.Brussels).Format("2006-01-02 15:04")})
	})
	if err != nil {
		return domain.Appointment{}, err
	}
	return s.withPhoneURL(moved.appointment()), nil
}

// StaffAccounts lists the local accounts, without their hashes.
func (s *Store) StaffAccounts() ([]StaffAccount, error) {
	all, err := listOf[StaffAccount](s, bucketStaff)
	for i := range all {
		all[i].Hash = ""
	}
	return all, err
}

// DeleteStaff removes a local account.
func (s *Store) DeleteStaff(name, who string) error {
	return s.update("delete staff", func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketStaff)
		if b.Get([]byte(name)) == nil {
			return &domain.Error{Code: domain.ENotFound}
		}
		if err := b.Delete([]byte(name)); err != nil {
			return err
		}
		return appendAudit(tx, AuditEntry{At: s.opts.Now(), Who: who, Action: AuditStaffChanged, Detail: name + ": verwijderd"})
	})
}
