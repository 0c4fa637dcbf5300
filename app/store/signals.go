package store

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/digitalebalie/balie/app/domain"
)

var _ domain.Signals = (*Store)(nil)

// RequestHelp records a visitor's call for staff.
func (s *Store) RequestHelp(ctx context.Context, req domain.HelpRequest) error {
	if err := domain.ValidateHelpRequest(req); err != nil {
		return err
	}
	if req.At.IsZero() {
		req.At = s.opts.Now()
	}
	req.ID = domain.NewToken()[:16]
	req.State, req.TakenBy, req.TakenAt = domain.HelpOpen, "", time.Time{}
	// A kiosk that sends again after a lost answer, or from its disk after
	// the network came back, names the same id: it is one request. The
	// check and the write are one transaction.
	return s.update("record help", func(tx *bolt.Tx) error {
		if req.Ref == "" {
			return appendIn(tx, bucketHelp, req)
		}
		if _, _, found, err := findHelp(tx, req.Device, req.Ref); err != nil || found {
			return err
		}
		return appendIn(tx, bucketHelp, req)
	})
}

// HelpState is where staff are with one of a kiosk's help requests, by
// the kiosk's Ref; a request of another kiosk is not found.
func (s *Store) HelpState(device, ref string) (domain.HelpRequest, error) {
	var h domain.HelpRequest
	var found bool
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		_, h, found, err = findHelp(tx, device, ref)
		return err
	})
	switch {
	case err != nil:
		return h, domain.Errorf(domain.EUnavailable, "help state: %w", err)
	case !found:
		return h, &domain.Error{Code: domain.ENotFound}
	}
	if h.State == "" {
		h.State = domain.HelpOpen
	}
	return h, nil
}

// findHelp looks for a kiosk's help request among those of the last
// helpWindow, newest first: older ones are out of the staff's queue.
func findHelp(tx *bolt.Tx, device, ref string) (key []byte, h domain.HelpRequest, found bool, err error) {
	c := tx.Bucket(bucketHelp).Cursor()
	var since time.Time
	for k, v := c.Last(); k != nil; k, v = c.Prev() {
		var r domain.HelpRequest
		if err := json.Unmarshal(v, &r); err != nil {
			return nil, h, false, err
		}
		if since.IsZero() {
			since = r.At.Add(-helpWindow)
		} else if r.At.Before(since) {
			break
		}
		if r.Ref == ref && r.Device == device {
			return k, r, true, nil
		}
	}
	return nil, h, false, nil
}

// helpWindow is how long a help request stays in the staff's queue: a
// visitor does not wait at a kiosk for longer.
const helpWindow = 2 * time.Hour

// HelpQueue lists the help requests staff still have to act on, open or
// on the way, from the last two hours, oldest first.
func (s *Store) HelpQueue() ([]domain.HelpRequest, error) {
	all, err := listOf[domain.HelpRequest](s, bucketHelp)
	if err != nil {
		return nil, err
	}
	since := s.opts.Now().Add(-helpWindow)
	var out []domain.HelpRequest
	for _, h := range all {
		if h.State != domain.HelpHandled && h.At.After(since) {
			if h.State == "" { // recorded before requests had a state
				h.State = domain.HelpOpen
			}
			out = append(out, h)
		}
	}
	return out, nil
}

// SetHelpState moves a help request on: a member of staff is on the way,
// or it is handled. Both are in the audit log.
func (s *Store) SetHelpState(id string, state domain.HelpState, who string) error {
	if state != domain.HelpOnTheWay && state != domain.HelpHandled {
		return domain.Invalid(map[string]domain.FieldReason{"state": domain.ReasonUnknown})
	}
	return s.update("help state", func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketHelp)
		c := b.Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			var h domain.HelpRequest
			if err := json.Unmarshal(v, &h); err != nil {
				return err
			}
			if h.ID != id {
				continue
			}
			h.State = state
			if state == domain.HelpOnTheWay {
				h.TakenBy, h.TakenAt = who, s.opts.Now()
			}
			data, err := json.Marshal(h)
			if err != nil {
				return err
			}
			if err := b.Put(k, data); err != nil {
				return err
			}
			return appendAudit(tx, AuditEntry{At: s.opts.Now(), Who: who, Action: "help-" + string(state), Detail: h.Device})
		}
		return &domain.Error{Code: domain.ENotFound}
	})
}

// SendFeedback records an anonymous rating.
func (s *Store) SendFeedback(ctx context.Context, fb domain.Feedback) error {
	if err := domain.ValidateFeedback(fb); err != nil {
		return err
	}
	if fb.At.IsZero() {
		fb.At = s.opts.Now()
	}
	return s.appendTo(bucketFeedback, fb)
}

// HelpRequests lists the recorded calls for staff, oldest first.
func (s *Store) HelpRequests(ctx context.Context) ([]domain.HelpRequest, error) {
	return listOf[domain.HelpRequest](s, bucketHelp)
}

// FeedbackList lists the recorded ratings, oldest first.
func (s *Store) FeedbackList(ctx context.Context) ([]domain.Feedback, error) {
	return listOf[domain.Feedback](s, bucketFeedback)
}

// appendTo stores v as JSON under the bucket's next sequence number.
func (s *Store) appendTo(bucket []byte, v any) error {
	return s.update("record "+string(bucket), func(tx *bolt.Tx) error { return appendIn(tx, bucket, v) })
}

// appendIn stores v as JSON under the bucket's next sequence number in tx.
func appendIn(tx *bolt.Tx, bucket []byte, v any) error {
	b := tx.Bucket(bucket)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(binary.BigEndian.AppendUint64(nil, seq), data)
}

func listOf[T any](s *Store, bucket []byte) ([]T, error) {
	var out []T
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucket).ForEach(func(_, v []byte) error {
			var item T
			if err := json.Unmarshal(v, &item); err != nil {
				return err
			}
			out = append(out, item)
			return nil
		})
	})
	if err != nil {
		return nil, domain.Errorf(domain.EUnavailable, "list %s: %w", bucket, err)
	}
	return out, nil
}

// CountAppointments counts the appointments kept, cancelled ones included:
// for the operator and for tests.
func (s *Store) CountAppointments() (int, error) {
	n := 0
	err := s.db.View(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucketAppointments).Stats().KeyN
		return nil
	})
	return n, err
}
