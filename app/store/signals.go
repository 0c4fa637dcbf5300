package store

import (
	"context"
	"encoding/binary"
	"encoding/json"

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
	return s.appendTo(bucketHelp, req)
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
	err := s.db.Update(func(tx *bolt.Tx) error {
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
	})
	if err != nil {
		return domain.Errorf(domain.EUnavailable, "record %s: %w", bucket, err)
	}
	return nil
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
