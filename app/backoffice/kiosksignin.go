package backoffice

import (
	"errors"
	"strings"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/store"
)

// ErrWrongPassword is a wrong name or password at a kiosk's staff mode.
var ErrWrongPassword = errors.New("wrong name or password")

// CheckPassword signs a member of staff in at a kiosk's staff mode with
// their local account, under the same lockout as the back office's own
// sign-in: five wrong tries lock the name for a quarter of an hour, and a
// locked name answers ERateLimited. Accounts of the city's single sign-on
// have no password here.
func (s *Server) CheckPassword(name, password string) (Staff, error) {
	now := s.opts.Now()
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 100 {
		return Staff{}, ErrWrongPassword
	}
	if s.lockout.locked(name, now) {
		return Staff{}, &domain.Error{Code: domain.ERateLimited, RetryAfter: lockFor}
	}
	acc, found, err := s.opts.Store.Staff(name)
	if err != nil {
		return Staff{}, err
	}
	hash := dummyHash()
	if found {
		hash = acc.Hash
	}
	if !checkPassword(hash, password) || !found {
		if s.lockout.failed(name, now) {
			s.opts.Log.Warn("back office: account locked after failed sign-ins at a kiosk", "account", name)
		}
		s.opts.Store.Record("?:"+name, store.AuditSignInFailed, "", "kiosk")
		return Staff{}, ErrWrongPassword
	}
	s.lockout.succeeded(name)
	role, err := ParseRole(acc.Role)
	if err != nil {
		return Staff{}, ErrWrongPassword
	}
	staff := Staff{Name: acc.Name, Role: role, Themes: acc.Themes}
	s.opts.Store.Record(staff.Who(), store.AuditSignIn, "", "kiosk")
	return staff, nil
}

// AnswersHelp tells whether s may see and answer the visitors' calls.
func (s Staff) AnswersHelp() bool { return s.may(answerHelp) }

// SeesFigures tells whether s may read the city's figures.
func (s Staff) SeesFigures() bool { return s.may(seeFigures) }
