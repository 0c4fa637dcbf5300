package backoffice

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"
)

// Role is what a member of staff may do in the back office.
type Role string

const (
	// RoleCounter sees and serves the appointments of their themes.
	RoleCounter Role = "counter"
	// RoleLead is a counter who also sets their themes' capacity.
	RoleLead Role = "lead"
	// RolePhone books, moves and cancels for callers, in any theme.
	RolePhone Role = "phone"
	// RolePrivacy reads the audit log.
	RolePrivacy Role = "privacy"
	// RoleSupport is digital-support staff beside the kiosks: they answer
	// the visitors' calls for help.
	RoleSupport Role = "support"
	// RoleAdmin may do everything.
	RoleAdmin Role = "admin"
)

// Roles lists every role, for `staff add` and the OIDC group mapping.
var Roles = []Role{RoleCounter, RoleLead, RolePhone, RolePrivacy, RoleSupport, RoleAdmin}

// ParseRole reads a role's name.
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	if slices.Contains(Roles, r) {
		return r, nil
	}
	return "", fmt.Errorf("unknown role %q: use one of %v", s, Roles)
}

// Staff is who is signed in.
type Staff struct {
	Name   string // the account name, or the OIDC subject's e-mail
	Role   Role
	Themes []string // the themes of a counter or lead
}

// Who is how the audit log names them.
func (s Staff) Who() string { return string(s.Role) + ":" + s.Name }

// theme tells whether s works on theme: leads and counters on theirs,
// phone agents and admins on all.
func (s Staff) theme(id string) bool {
	switch s.Role {
	case RoleAdmin, RolePhone:
		return true
	case RoleCounter, RoleLead:
		return slices.Contains(s.Themes, id)
	}
	return false
}

// may tells whether s may use a capability.
func (s Staff) may(c capability) bool {
	switch c {
	case seeAgenda, serve:
		return s.Role == RoleCounter || s.Role == RoleLead || s.Role == RoleAdmin || s.Role == RolePhone && c == seeAgenda
	case setCapacity:
		return s.Role == RoleLead || s.Role == RoleAdmin
	case bookForCaller:
		return s.Role == RolePhone || s.Role == RoleCounter || s.Role == RoleLead || s.Role == RoleAdmin
	case readAudit:
		return s.Role == RolePrivacy || s.Role == RoleAdmin
	case keepAccounts:
		return s.Role == RoleAdmin
	case answerHelp:
		return s.Role == RoleSupport || s.Role == RoleAdmin
	}
	return false
}

// capability is one thing the back office lets staff do.
type capability int

const (
	seeAgenda     capability = iota // the agenda and the day list, without contact details
	serve                           // join, show contact details, mark done or no-show
	setCapacity                     // opening hours, counters and closures of a theme
	bookForCaller                   // book, move and cancel for someone
	readAudit                       // the audit log and its export
	keepAccounts                    // add, change and remove local accounts
	answerHelp                      // see and answer the visitors' calls for help
)

// Passwords are hashed with argon2id, the parameters RFC 9106 recommends
// for a machine with little memory (64 MiB, 3 passes), kept in the PHC
// string with the hash so they can be raised later.
const (
	argonTime    = 3
	argonMemory  = 64 * 1024
	argonThreads = 2
	argonKeyLen  = 32
)

// HashPassword returns the argon2id PHC string of password.
func HashPassword(password string) (string, error) {
	if len(password) < 12 {
		return "", errors.New("a password needs at least 12 characters")
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// checkPassword tells whether password matches the PHC string hash.
func checkPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	var memory, passes uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &passes, &threads); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, passes, memory, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked against when an account does not exist, so a wrong
// name takes as long as a wrong password. It is made at the first such
// sign-in, not when the gateway starts: argon2id takes 64 MiB and a tenth
// of a second.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("no such account, but the same work")
	return h
})

// lockout counts failed sign-ins per account name: after maxFailures in a
// row the account is locked for lockFor, whoever tries.
type lockout struct {
	mu       sync.Mutex
	failures map[string]int
	until    map[string]time.Time
}

const (
	maxFailures = 5
	lockFor     = 15 * time.Minute
	// maxTracked bounds the names remembered: a flood of made-up names
	// cannot grow memory.
	maxTracked = 10000
)

func newLockout() *lockout {
	return &lockout{failures: map[string]int{}, until: map[string]time.Time{}}
}

// locked tells whether name may not try now.
func (l *lockout) locked(name string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return now.Before(l.until[name])
}

// failed counts a failure and says whether the account is now locked.
func (l *lockout) failed(name string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.failures) >= maxTracked {
		clear(l.failures)
	}
	l.failures[name]++
	if l.failures[name] >= maxFailures {
		l.until[name] = now.Add(lockFor)
		l.failures[name] = 0
		return true
	}
	return false
}

func (l *lockout) succeeded(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failures, name)
}

// sessions keeps who is signed in, by a random session id in a cookie. A
// session ends after IdleTimeout without a request, or on sign-out.
type sessions struct {
	mu   sync.Mutex
	byID map[string]*session
	idle time.Duration
}

type session struct {
	staff    Staff
	csrf     string
	lastSeen time.Time
}

// IdleTimeout ends a session nobody used for this long.
const IdleTimeout = 30 * time.Minute

func newSessions() *sessions { return &sessions{byID: map[string]*session{}, idle: IdleTimeout} }

func randomID() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// start opens a session for staff and returns its id.
func (s *sessions) start(staff Staff, now time.Time) (id string, sess *session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, old := range s.byID { // forget the expired ones
		if now.Sub(old.lastSeen) > s.idle {
			delete(s.byID, id)
		}
	}
	id = randomID()
	sess = &session{staff: staff, csrf: randomID(), lastSeen: now}
	s.byID[id] = sess
	return id, sess
}

// get returns the live session with id, and keeps it alive.
func (s *sessions) get(id string, now time.Time) (*session, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.byID[id]
	if !ok {
		return nil, false
	}
	if now.Sub(sess.lastSeen) > s.idle {
		delete(s.byID, id)
		return nil, false
	}
	sess.lastSeen = now
	return sess, true
}

// endFor ends every session of the account name: a removed account is
// signed out at once.
func (s *sessions) endFor(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, sess := range s.byID {
		if sess.staff.Name == name {
			delete(s.byID, id)
		}
	}
}

func (s *sessions) end(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.byID, id)
}
