// Package passhash hashes and checks secrets (staff passwords, the kiosk's
// staff PIN) with argon2id, and locks a name out after repeated failures.
// The back office and the kiosk share it so both refuse the same hostile
// hashes and count failures the same way.
package passhash

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// The parameters RFC 9106 recommends for a machine with little memory
// (64 MiB, 3 passes). They are kept in the PHC string with the hash, so
// they can be raised later without invalidating old hashes.
const (
	argonTime    = 3
	argonMemory  = 64 * 1024 // KiB
	argonThreads = 2
	argonKeyLen  = 32
	saltLen      = 16
)

// Bounds on what Check accepts. A hash comes from a config file or a
// database; a crafted one must not make Check allocate gigabytes or spin
// for minutes.
const (
	maxMemory  = 256 * 1024 // KiB: 256 MiB
	maxTime    = 10
	maxThreads = 16
	minKeyLen  = 16
	maxKeyLen  = 64
	minSaltLen = 8
	maxSaltLen = 64
	maxHashLen = 256
)

var b64 = base64.RawStdEncoding

// Hash returns the argon2id PHC string of secret:
// "$argon2id$v=19$m=65536,t=3,p=2$salt$key".
func Hash(secret string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(secret), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Check tells whether secret matches the PHC string hash, in constant
// time. A malformed hash, or one with parameters beyond the bounds above,
// never matches and costs nothing.
func Check(hash, secret string) bool {
	p, ok := parse(hash)
	if !ok {
		return false
	}
	got := argon2.IDKey([]byte(secret), p.salt, p.time, p.memory, p.threads, uint32(len(p.key)))
	return subtle.ConstantTimeCompare(got, p.key) == 1
}

type params struct {
	memory, time uint32
	threads      uint8
	salt, key    []byte
}

// parse reads a PHC string strictly: every field present, numbers only
// where numbers belong, and every parameter within its bounds.
func parse(hash string) (params, bool) {
	var p params
	if len(hash) > maxHashLen {
		return p, false
	}
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, false
	}
	fields := strings.Split(parts[3], ",")
	if len(fields) != 3 {
		return p, false
	}
	m, ok1 := number(fields[0], "m=", maxMemory)
	t, ok2 := number(fields[1], "t=", maxTime)
	threads, ok3 := number(fields[2], "p=", maxThreads)
	if !ok1 || !ok2 || !ok3 || t < 1 || threads < 1 || m < 8*threads {
		return p, false
	}
	salt, err1 := b64.DecodeString(parts[4])
	key, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) < minSaltLen || len(salt) > maxSaltLen || len(key) < minKeyLen || len(key) > maxKeyLen {
		return p, false
	}
	return params{memory: m, time: t, threads: uint8(threads), salt: salt, key: key}, true
}

// number reads "name=digits" with a value of at most max.
func number(field, name string, max uint32) (uint32, bool) {
	digits, ok := strings.CutPrefix(field, name)
	if !ok || digits == "" || len(digits) > 10 || strings.TrimLeft(digits, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseUint(digits, 10, 32)
	if err != nil || n > uint64(max) {
		return 0, false
	}
	return uint32(n), true
}

// Dummy is a valid hash of a random secret nobody knows. Check a secret
// against it when there is no real hash (an unknown account name), so a
// wrong name costs as long as a wrong password. It is made at the first
// call, not at start-up: argon2id takes 64 MiB and a tenth of a second.
var Dummy = sync.OnceValue(func() string {
	secret := make([]byte, 32)
	rand.Read(secret)
	h, _ := Hash(string(secret))
	return h
})
