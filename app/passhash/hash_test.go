package passhash

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"
)

func TestHashCheckRoundTrip(t *testing.T) {
	h, err := Hash("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Errorf("hash %q is not the expected PHC string", h)
	}
	if !Check(h, "correct horse battery") {
		t.Error("the right secret does not match")
	}
	if Check(h, "correct horse batterY") || Check(h, "") {
		t.Error("a wrong secret matches")
	}
	if h2, _ := Hash("correct horse battery"); h2 == h {
		t.Error("two hashes of one secret are equal: the salt is not random")
	}
}

func TestDummyMatchesNothingObvious(t *testing.T) {
	if !strings.HasPrefix(Dummy(), "$argon2id$") || Dummy() != Dummy() {
		t.Fatalf("dummy hash %q", Dummy())
	}
	if Check(Dummy(), "") {
		t.Error("the dummy hash matches the empty secret")
	}
}

// Malformed and hostile hashes never match and are refused before any
// argon2 work: a crafted config must not allocate gigabytes.
func TestCheckRefusesMalformedAndHostile(t *testing.T) {
	good, err := Hash("1234")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, "$")
	salt, key := parts[4], parts[5]
	with := func(params string) string { return "$argon2id$v=19$" + params + "$" + salt + "$" + key }
	for name, h := range map[string]string{
		"empty":             "",
		"plain text":        "1234",
		"bcrypt":            "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"argon2i":           "$argon2i$v=19$m=65536,t=3,p=2$" + salt + "$" + key,
		"old version":       "$argon2id$v=16$m=65536,t=3,p=2$" + salt + "$" + key,
		"missing key":       "$argon2id$v=19$m=65536,t=3,p=2$" + salt,
		"extra field":       good + "$x",
		"text before":       "x" + good,
		"4 GiB memory":      with("m=4194304,t=3,p=2"),
		"max memory":        with("m=4294967295,t=3,p=2"),
		"257 MiB":           with("m=263168,t=3,p=2"),
		"many passes":       with("m=65536,t=4294967295,p=2"),
		"11 passes":         with("m=65536,t=11,p=2"),
		"zero passes":       with("m=65536,t=0,p=2"),
		"many threads":      with("m=65536,t=3,p=255"),
		"zero threads":      with("m=65536,t=3,p=0"),
		"too little memory": with("m=1,t=1,p=1"),
		"negative":          with("m=-1,t=3,p=2"),
		"plus sign":         with("m=+65536,t=3,p=2"),
		"trailing junk":     with("m=65536,t=3,p=2x"),
		"reordered":         with("t=3,m=65536,p=2"),
		"overflow":          with("m=99999999999999999999,t=3,p=2"),
		"bad base64":        "$argon2id$v=19$m=65536,t=3,p=2$!!!$" + key,
		"short salt":        "$argon2id$v=19$m=65536,t=3,p=2$YWJj$" + key,
		"short key":         "$argon2id$v=19$m=65536,t=3,p=2$" + salt + "$YWJj",
		"huge key":          "$argon2id$v=19$m=65536,t=3,p=2$" + salt + "$" + strings.Repeat("A", 4000),
		"huge string":       strings.Repeat("$", 1<<20),
	} {
		// Check hashes only what parse accepts.
		if _, ok := parse(h); ok {
			t.Errorf("%s: parsed", name)
		}
		start := time.Now()
		if Check(h, "1234") {
			t.Errorf("%s: matches", name)
		}
		// Loose, for a loaded CI machine: argon2 with these parameters
		// would take seconds or run out of memory.
		if d := time.Since(start); d > 500*time.Millisecond {
			t.Errorf("%s: took %v, want it refused before hashing", name, d)
		}
	}
	if !Check(good, "1234") {
		t.Error("the well-formed hash does not match")
	}
}

// A hash with the highest parameters Check accepts still works, so the
// cost can be raised later.
func TestCheckAcceptsRaisedParameters(t *testing.T) {
	if testing.Short() {
		t.Skip("256 MiB of argon2")
	}
	salt := []byte("0123456789abcdef")
	h := "$argon2id$v=19$m=262144,t=1,p=4$" + b64.EncodeToString(salt) + "$"
	key := argon2.IDKey([]byte("s3cret"), salt, 1, 262144, 4, 32)
	if !Check(h+b64.EncodeToString(key), "s3cret") {
		t.Error("a hash at the memory bound does not match")
	}
}
