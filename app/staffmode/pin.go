package staffmode

import (
	"errors"
	"time"

	"github.com/digitalebalie/balie/app/passhash"
)

var (
	// ErrWrongPIN is a PIN that does not match.
	ErrWrongPIN = errors.New("staffmode: wrong PIN")
	// ErrNoPIN is a kiosk whose config has no usable PIN hash: the staff
	// mode stays shut rather than open to anyone.
	ErrNoPIN = errors.New("staffmode: no PIN configured")
)

// LockedError is the answer while the PIN is locked after too many wrong
// tries.
type LockedError struct{ Until time.Time }

func (e *LockedError) Error() string {
	return "staffmode: PIN locked until " + e.Until.Format(time.RFC3339)
}

// After pinMaxFailures wrong PINs in a row the PIN is locked for
// pinLockFor: a four-digit PIN cannot be found by trying.
const (
	pinMaxFailures = 5
	pinLockFor     = 15 * time.Minute
	pinKey         = "pin"
)

// PIN is the kiosk's PIN checker: the passhash hash from the config and a
// lockout. The lockout lives in memory, so a restart of the kiosk lifts
// it; a restart needs someone at the machine anyway.
type PIN struct {
	hash    string
	now     func() time.Time
	lockout *passhash.Lockout
}

// NewPIN checks PINs against hash; now is the clock (nil: time.Now).
func NewPIN(hash string, now func() time.Time) *PIN {
	if now == nil {
		now = time.Now
	}
	return &PIN{hash: hash, now: now, lockout: passhash.NewLockout(pinMaxFailures, pinLockFor)}
}

// Check returns nil for the right PIN, ErrWrongPIN, ErrNoPIN or a
// *LockedError. It takes a tenth of a second (argon2id): call it off the
// UI thread. It is safe for concurrent use.
func (p *PIN) Check(pin string) error {
	if p.hash == "" {
		return ErrNoPIN
	}
	now := p.now()
	if locked, until := p.lockout.Locked(pinKey, now); locked {
		return &LockedError{Until: until}
	}
	if passhash.Check(p.hash, pin) {
		p.lockout.Succeeded(pinKey)
		return nil
	}
	if p.lockout.Failed(pinKey, now) {
		_, until := p.lockout.Locked(pinKey, now)
		return &LockedError{Until: until}
	}
	return ErrWrongPIN
}
