package store

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/digitalebalie/balie/app/domain"
)

// readMeta returns the installation id and the contact hashing key, making
// them the first time a data file is opened.
func readMeta(tx *bolt.Tx) (installation string, contactKey []byte, err error) {
	b := tx.Bucket(bucketMeta)
	id, key := b.Get([]byte("installation")), b.Get([]byte("contact-key"))
	if id == nil {
		raw := make([]byte, 8)
		rand.Read(raw)
		id = []byte(hex.EncodeToString(raw))
		if err := b.Put([]byte("installation"), id); err != nil {
			return "", nil, err
		}
	}
	if key == nil {
		key = make([]byte, 32)
		rand.Read(key)
		if err := b.Put([]byte("contact-key"), key); err != nil {
			return "", nil, err
		}
	}
	return string(id), bytes.Clone(key), nil
}

// InstallationID is a random id made when the data file was created, so
// e-mails and SMS of different gateways never share a Message-ID or a
// provider reference.
func (s *Store) InstallationID() string { return s.installation }

// contactHashes are the keyed hashes of the normalised address and number
// of rec: what the contact quota counts by. The plain address and number
// are kept only in the appointment itself, which the purge removes.
func (s *Store) contactHashes(c domain.Contact) [][]byte {
	var out [][]byte
	for _, v := range []string{"email:" + strings.ToLower(c.Email), "phone:" + c.Phone} {
		if strings.HasSuffix(v, ":") {
			continue
		}
		mac := hmac.New(sha256.New, s.contactKey)
		mac.Write([]byte(v))
		out = append(out, mac.Sum(nil))
	}
	return out
}

// checkQuotas refuses a booking over the contact's or the device's quota,
// inside the booking's transaction.
func (s *Store) checkQuotas(tx *bolt.Tx, req domain.BookingRequest, now time.Time) error {
	contacts := tx.Bucket(bucketContacts)
	for _, h := range s.contactHashes(req.Contact) {
		future := 0
		c := contacts.Cursor()
		for k, v := c.Seek(h); k != nil && bytes.HasPrefix(k, h); k, v = c.Next() {
			if len(v) == 8 && int64(binary.BigEndian.Uint64(v)) > now.Unix() {
				future++
			}
		}
		if future >= s.opts.MaxPerContact {
			return &domain.Error{Code: domain.EContactQuota}
		}
	}
	if s.opts.DeviceBookingsPerHour <= 0 || req.Device == "" {
		return nil
	}
	prefix := devicePrefix(req.Device)
	c := tx.Bucket(bucketDeviceBooks).Cursor()
	var oldest time.Time
	n := 0
	for k, _ := c.Seek(deviceKey(req.Device, now.Add(-time.Hour), "")); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if n == 0 {
			oldest = time.Unix(0, int64(binary.BigEndian.Uint64(k[len(prefix):])))
		}
		n++
	}
	if n >= s.opts.DeviceBookingsPerHour {
		return &domain.Error{Code: domain.EDeviceQuota, RetryAfter: max(oldest.Add(time.Hour).Sub(now), time.Second)}
	}
	return nil
}

// countBooking writes down a new booking for both quotas.
func (s *Store) countBooking(tx *bolt.Tx, rec record) error {
	start := binary.BigEndian.AppendUint64(nil, uint64(rec.Start.Unix()))
	for _, h := range s.contactHashes(rec.appointment().Contact) {
		if err := tx.Bucket(bucketContacts).Put(append(h, rec.Code...), start); err != nil {
			return err
		}
	}
	if rec.Device == "" {
		return nil
	}
	return tx.Bucket(bucketDeviceBooks).Put(deviceKey(rec.Device, rec.CreatedAt, rec.Code), nil)
}

// uncountContact frees a cancelled or purged appointment's place in its
// contact's quota. (A device's bookings stay counted for their hour: a
// cancelled booking has sent its e-mail all the same.)
func (s *Store) uncountContact(tx *bolt.Tx, rec record) error {
	for _, h := range s.contactHashes(rec.appointment().Contact) {
		if err := tx.Bucket(bucketContacts).Delete(append(h, rec.Code...)); err != nil {
			return err
		}
	}
	return nil
}

func devicePrefix(device string) []byte { return append([]byte(device), 0) }

// deviceKey sorts a device's bookings by time: device, NUL, nanoseconds.
func deviceKey(device string, at time.Time, code string) []byte {
	k := binary.BigEndian.AppendUint64(devicePrefix(device), uint64(at.UnixNano()))
	return append(k, code...)
}

// forgetDeviceBookings drops device bookings made before cutoff: they no
// longer count against any quota.
func forgetDeviceBookings(tx *bolt.Tx, cutoff time.Time) error {
	b := tx.Bucket(bucketDeviceBooks)
	var old [][]byte
	err := b.ForEach(func(k, _ []byte) error {
		i := bytes.IndexByte(k, 0)
		if i >= 0 && len(k) >= i+9 && int64(binary.BigEndian.Uint64(k[i+1:i+9])) < cutoff.UnixNano() {
			old = append(old, bytes.Clone(k))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range old {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}
