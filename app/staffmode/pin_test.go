package staffmode

import (
	"encoding/base64"
	"errors"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/digitalebalie/balie/app/passhash"
)

// cheapHash is a valid passhash hash with the least work argon2id allows,
// so lockout tests can check a PIN many times, even under -race.
func cheapHash(secret string) string {
	salt := []byte("0123456789abcdef")
	enc := base64.RawStdEncoding
	return "$argon2id$v=19$m=64,t=1,p=1$" + enc.EncodeToString(salt) + "$" +
		enc.EncodeToString(argon2.IDKey([]byte(secret), salt, 1, 64, 1, 32))
}

func TestPINWithRealHash(t *testing.T) {
	hash, err := passhash.Hash("4711")
	if err != nil {
		t.Fatal(err)
	}
	p := NewPIN(hash, nil)
	if err := p.Check("4711"); err != nil {
		t.Fatalf("the right PIN: %v", err)
	}
	if err := p.Check("4712"); !errors.Is(err, ErrWrongPIN) {
		t.Fatalf("a wrong PIN: %v, want ErrWrongPIN", err)
	}
	if err := NewPIN("", nil).Check("4711"); !errors.Is(err, ErrNoPIN) {
		t.Fatalf("no hash in the config: %v, want ErrNoPIN", err)
	}
}

func TestPINLockout(t *testing.T) {
	clk := &fakeClock{now: monday}
	p := NewPIN(cheapHash("4711"), clk.Now)
	for range 4 {
		p.Check("0000")
	}
	if err := p.Check("4711"); err != nil {
		t.Fatalf("the right PIN after 4 wrong ones: %v", err)
	}
	for i := 1; i <= 4; i++ { // the success reset the count
		if err := p.Check("0000"); !errors.Is(err, ErrWrongPIN) {
			t.Fatalf("wrong PIN %d: %v", i, err)
		}
	}
	var locked *LockedError
	if err := p.Check("0000"); !errors.As(err, &locked) || !locked.Until.Equal(monday.Add(15*time.Minute)) {
		t.Fatalf("the fifth wrong PIN: %v, want locked for 15 minutes", err)
	}
	clk.Advance(14 * time.Minute)
	if err := p.Check("4711"); !errors.As(err, &locked) {
		t.Fatalf("the right PIN during the lock: %v", err)
	}
	clk.Advance(time.Minute)
	if err := p.Check("4711"); err != nil {
		t.Fatalf("the right PIN after 15 minutes: %v", err)
	}
}
