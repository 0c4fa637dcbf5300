package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/digitalebalie/balie/app/domain"
)

var (
	bucketVisits   = []byte("visits")   // start (unix ns) | device \x00 id → visit
	bucketVisitIDs = []byte("visitids") // device \x00 id → nothing: each visit counts once
	bucketResearch = []byte("research") // sequence → research contact
)

// DefaultResearchRetention is how long a consenting visitor's contact is
// kept when Options.ResearchRetention is zero.
const DefaultResearchRetention = 90 * 24 * time.Hour

// RecordVisits stores kiosks' anonymous visit records. A visit the same
// kiosk sent before (same id) is skipped in the same transaction that
// would store it, so a kiosk that resends after a lost answer never
// counts a visit twice.
func (s *Store) RecordVisits(ctx context.Context, visits []domain.Visit) error {
	_, _, err := s.RecordVisitsCounted(visits)
	return err
}

// RecordVisitsCounted is RecordVisits that says how many were new and how
// many had been counted before.
func (s *Store) RecordVisitsCounted(visits []domain.Visit) (recorded, duplicates int, err error) {
	for _, v := range visits {
		if err := domain.ValidateVisit(v); err != nil {
			return 0, 0, err
		}
	}
	err = s.update("record visits", func(tx *bolt.Tx) error {
		recorded, duplicates = 0, 0
		ids, all := tx.Bucket(bucketVisitIDs), tx.Bucket(bucketVisits)
		for _, v := range visits {
			id := []byte(v.Device + "\x00" + v.ID)
			if ids.Get(id) != nil {
				duplicates++
				continue
			}
			data, err := json.Marshal(v)
			if err != nil {
				return err
			}
			key := append(binary.BigEndian.AppendUint64(nil, uint64(v.Start.UnixNano())), id...)
			if err := all.Put(key, data); err != nil {
				return err
			}
			if err := ids.Put(id, nil); err != nil {
				return err
			}
			recorded++
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	return recorded, duplicates, nil
}

// Visits lists the visits that started in [from, to), oldest first.
func (s *Store) Visits(from, to time.Time) ([]domain.Visit, error) {
	var out []domain.Visit
	lo := binary.BigEndian.AppendUint64(nil, uint64(from.UnixNano()))
	hi := binary.BigEndian.AppendUint64(nil, uint64(to.UnixNano()))
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketVisits).Cursor()
		for k, v := c.Seek(lo); k != nil && bytes.Compare(k[:8], hi) < 0; k, v = c.Next() {
			var visit domain.Visit
			if err := json.Unmarshal(v, &visit); err != nil {
				return err
			}
			out = append(out, visit)
		}
		return nil
	})
	if err != nil {
		return nil, domain.Errorf(domain.EUnavailable, "list visits: %w", err)
	}
	return out, nil
}

// researchContact is the research contact of a booking whose visitor
// agreed to be asked about the service (a validated request).
func (s *Store) researchContact(req domain.BookingRequest, now time.Time) domain.ResearchContact {
	return domain.ResearchContact{
		ID: domain.NewToken()[:16], Device: req.Device, Language: req.Language, ServiceID: req.ServiceID,
		Contact: req.Contact, At: now, Until: now.Add(s.researchRetention()),
	}
}

// ResearchContacts lists the contacts still within their retention,
// oldest first.
func (s *Store) ResearchContacts() ([]domain.ResearchContact, error) {
	all, err := listOf[domain.ResearchContact](s, bucketResearch)
	if err != nil {
		return nil, err
	}
	now := s.opts.Now()
	var out []domain.ResearchContact
	for _, r := range all {
		if r.Until.After(now) {
			out = append(out, r)
		}
	}
	return out, nil
}

func (s *Store) researchRetention() time.Duration {
	if s.opts.ResearchRetention > 0 {
		return s.opts.ResearchRetention
	}
	return DefaultResearchRetention
}

// purgeResearch deletes the research contacts whose retention ended.
func purgeResearch(tx *bolt.Tx, now time.Time) error {
	b := tx.Bucket(bucketResearch)
	var gone [][]byte
	err := b.ForEach(func(k, v []byte) error {
		var r domain.ResearchContact
		if err := json.Unmarshal(v, &r); err != nil || !r.Until.After(now) {
			gone = append(gone, k)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range gone {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}
