package backoffice

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/digitalebalie/balie/app/passhash"
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
	// RoleManagement reads the city's figures: anonymous counts and charts.
	RoleManagement Role = "management"
	// RoleResearch reads the contacts of visitors who agreed to be asked
	// about the service; nobody else does, not even an admin.
	RoleResearch Role = "research"
	// RoleAdmin may do everything but read research contacts.
	RoleAdmin Role = "admin"
)

// Roles lists every role, for `staff add` and the OIDC group mapping.
var Roles = []Role{RoleCounter, RoleLead, RolePhone, RolePrivacy, RoleSupport, RoleManagement, RoleResearch, RoleAdmin}

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
	case seeFigures:
		return s.Role == RoleManagement || s.Role == RoleAdmin
	case readResearch:
		return s.Role == RoleResearch
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
	seeFigures                      // the anonymous figures, their charts and export
	readResearch                    // contacts of visitors who agreed to be asked later
)

// HashPassword returns the argon2id PHC string of a staff password.
func HashPassword(password string) (string, error) {
	if len(password) < 12 {
		return "", errors.New("a password needs at least 12 characters")
	}
	return passhash.Hash(password)
}

// checkPassword tells whether password matches the PHC string hash.
func checkPassword(hash, password string) bool { return passhash.Check(hash, password) }

// dummyHash is checked against when an account does not exist, so a wrong
// name takes as long as a wrong password.
var dummyHash = passhash.Dummy

// After maxFailures wrong passwords in a row an account is locked for
// lockFor, whoever tries.
const (
	maxFailures = 5
	lockFor     = 15 * time.Minute
)

// lockout counts failed sign-ins per account name.
type lockout struct{ l *passhash.Lockout }

func newLockout() *lockout { return &lockout{passhash.NewLockout(maxFailures, lockFor)} }

// locked tells whether name may not try now.
func (l *lockout) locked(name string, now time.Time) bool {
	locked, _ := l.l.Locked(name, now)
	return locked
}

// failed counts a failure and says whether the account is now locked.
func (l *lockout) failed(name string, now time.Time) bool { return l.l.Failed(name, now) }

func (l *lockout) succeeded(name string) { l.l.Succeeded(name) }

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
