package store

import (
	"encoding/binary"
	"encoding/json"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/digitalebalie/balie/app/domain"
)

// bucketOutbox holds the e-mails and SMS owed to visitors: sequence → notice.
// A booking or cancellation writes its notices in its own transaction, so a
// booking never exists without its confirmation, nor a cancellation with
// reminders still to go.
var bucketOutbox = []byte("outbox")

// noticeRecord is how a notice is stored.
type noticeRecord struct {
	ID        uint64    `json:"id"`
	Kind      string    `json:"kind"`
	Code      string    `json:"code"`
	Due       time.Time `json:"due"`
	State     string    `json:"state"`
	Attempts  int       `json:"attempts"`
	NextTry   time.Time `json:"nextTry"`
	LastError string    `json:"lastError,omitempty"`
	SentAt    time.Time `json:"sentAt,omitzero"`
}

func (r noticeRecord) notice() domain.Notice {
	return domain.Notice{
		ID: r.ID, Kind: domain.NoticeKind(r.Kind), Code: r.Code, Due: r.Due, State: domain.NoticeState(r.State),
		Attempts: r.Attempts, NextTry: r.NextTry, LastError: r.LastError, SentAt: r.SentAt,
	}
}

func toNoticeRecord(n domain.Notice) noticeRecord {
	return noticeRecord{
		ID: n.ID, Kind: string(n.Kind), Code: n.Code, Due: n.Due, State: string(n.State),
		Attempts: n.Attempts, NextTry: n.NextTry, LastError: n.LastError, SentAt: n.SentAt,
	}
}

func noticeKey(id uint64) []byte { return binary.BigEndian.AppendUint64(nil, id) }

// enqueue adds notices to the outbox inside tx.
func enqueue(tx *bolt.Tx, notices []domain.Notice) error {
	b := tx.Bucket(bucketOutbox)
	for _, n := range notices {
		id, err := b.NextSequence()
		if err != nil {
			return err
		}
		n.ID = id
		if err := putNotice(b, n); err != nil {
			return err
		}
	}
	return nil
}

func putNotice(b *bolt.Bucket, n domain.Notice) error {
	data, err := json.Marshal(toNoticeRecord(n))
	if err != nil {
		return err
	}
	return b.Put(noticeKey(n.ID), data)
}

// forEachNotice calls f for every notice, oldest first.
func forEachNotice(tx *bolt.Tx, f func(domain.Notice) error) error {
	return tx.Bucket(bucketOutbox).ForEach(func(_, v []byte) error {
		var r noticeRecord
		if err := json.Unmarshal(v, &r); err != nil {
			return err
		}
		return f(r.notice())
	})
}

// dropPending drops the notices of code that are still to go: a cancelled
// appointment gets no reminder and no late confirmation.
func dropPending(tx *bolt.Tx, code string) error {
	var drop []domain.Notice
	err := forEachNotice(tx, func(n domain.Notice) error {
		if n.Code == code && n.State == domain.NoticePending {
			drop = append(drop, n)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, n := range drop {
		n.State = domain.NoticeDropped
		if err := putNotice(tx.Bucket(bucketOutbox), n); err != nil {
			return err
		}
	}
	return nil
}

// DueNotices lists the pending notices whose time to be tried has come,
// oldest first, at most limit.
func (s *Store) DueNotices(now time.Time, limit int) ([]domain.Notice, error) {
	var due []domain.Notice
	err := s.db.View(func(tx *bolt.Tx) error {
		return forEachNotice(tx, func(n domain.Notice) error {
			if n.State == domain.NoticePending && !n.NextTry.After(now) && len(due) < limit {
				due = append(due, n)
			}
			return nil
		})
	})
	return due, err
}

// Notices lists every notice in state, oldest first: for staff and tests.
func (s *Store) Notices(state domain.NoticeState) ([]domain.Notice, error) {
	var out []domain.Notice
	err := s.db.View(func(tx *bolt.Tx) error {
		return forEachNotice(tx, func(n domain.Notice) error {
			if state == "" || n.State == state {
				out = append(out, n)
			}
			return nil
		})
	})
	return out, err
}

// ErrNotPending is the domain's: the worker checks for it without knowing
// the store.
var ErrNotPending = domain.ErrNotPending

// StartAttempt records, before anything is sent, that the notice is being
// tried at now, and puts its next try after backoff(attempt). When the
// process dies mid-send, the notice is tried again then: it is never lost.
// It returns the notice and its appointment as they are now.
func (s *Store) StartAttempt(id uint64, now time.Time, backoff func(attempt int) time.Duration) (domain.Notice, domain.Appointment, error) {
	var n domain.Notice
	var appt domain.Appointment
	err := s.commit(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketOutbox)
		var err error
		if n, err = getNotice(b, id); err != nil {
			return err
		}
		if n.State != domain.NoticePending || n.NextTry.After(now) {
			return ErrNotPending
		}
		rec, ok, err := getRecord(tx, n.Code)
		if err != nil {
			return err
		}
		if !ok || (rec.Cancelled && n.Kind != domain.NoticeCancelEmail) {
			// The appointment is gone, or cancelled since: nothing to say.
			n.State = domain.NoticeDropped
			if err := putNotice(b, n); err != nil {
				return err
			}
			return ErrNotPending
		}
		appt = s.withPhoneURL(rec.appointment())
		n.Attempts++
		n.NextTry = now.Add(backoff(n.Attempts))
		return putNotice(b, n)
	})
	return n, appt, err
}

// FinishAttempt records how an attempt ended: sent, failed for good (staff
// see it), or to be tried again at the retry time StartAttempt set.
func (s *Store) FinishAttempt(id uint64, now time.Time, state domain.NoticeState, lastError string) error {
	return s.commit(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketOutbox)
		n, err := getNotice(b, id)
		if err != nil {
			return err
		}
		n.State, n.LastError = state, lastError
		if state == domain.NoticeSent {
			n.SentAt, n.LastError = now, ""
		}
		return putNotice(b, n)
	})
}

// getNotice reads notice id; a notice that is not there is not pending.
func getNotice(b *bolt.Bucket, id uint64) (domain.Notice, error) {
	v := b.Get(noticeKey(id))
	if v == nil {
		return domain.Notice{}, ErrNotPending
	}
	var r noticeRecord
	err := json.Unmarshal(v, &r)
	return r.notice(), err
}

// purgeNotices deletes the notices of appointments the purge removed.
func purgeNotices(tx *bolt.Tx, codes map[string]bool) error {
	var old [][]byte
	err := forEachNotice(tx, func(n domain.Notice) error {
		if codes[n.Code] {
			old = append(old, noticeKey(n.ID))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range old {
		if err := tx.Bucket(bucketOutbox).Delete(k); err != nil {
			return err
		}
	}
	return nil
}
