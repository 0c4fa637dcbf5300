package backoffice

import (
	"net/http"
	"slices"
	"strings"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/store"
)

// Local accounts, kept by an admin: after the first `balie-gateway staff
// add`, a city adds, changes and removes them here. (Accounts from the
// city's identity provider are kept there, by group.)

type accountsView struct {
	Accounts []store.StaffAccount
	Roles    []Role
	Themes   []domain.Service
	Error    string
	Saved    string
	Form     store.StaffAccount
}

func (s *Server) accountsPage(w http.ResponseWriter, r *http.Request, sess *session) {
	s.showAccounts(w, r, sess, accountsView{}, http.StatusOK)
}

func (s *Server) showAccounts(w http.ResponseWriter, r *http.Request, sess *session, v accountsView, status int) {
	var err error
	if v.Accounts, err = s.opts.Store.StaffAccounts(); err != nil {
		s.failed(w, r, sess, err)
		return
	}
	v.Roles, v.Themes = Roles, s.themes(r.Context(), sess)
	w.WriteHeader(status)
	s.render(w, r, sess, "accounts", page{Title: "Accounts", Main: v})
}

// saveAccount adds an account or replaces one (a new password, role or
// themes). The password is hashed here and never stored or logged.
func (s *Server) saveAccount(w http.ResponseWriter, r *http.Request, sess *session) {
	r.ParseForm()
	form := store.StaffAccount{Name: strings.TrimSpace(r.PostFormValue("name")), Role: r.PostFormValue("role"), Themes: r.PostForm["themes"]}
	v := accountsView{Form: form}
	refuse := func(msg string) {
		v.Error = msg
		s.showAccounts(w, r, sess, v, http.StatusUnprocessableEntity)
	}
	role, err := ParseRole(form.Role)
	switch {
	case form.Name == "" || len(form.Name) > 100 || strings.ContainsAny(form.Name, " \t:"):
		refuse("Een naam zonder spaties of dubbele punt, hoogstens 100 tekens, bv. an.peeters.")
		return
	case err != nil:
		refuse("Kies een rol.")
		return
	case (role == RoleCounter || role == RoleLead) && len(form.Themes) == 0:
		refuse("Een loketmedewerker of teamleider heeft minstens één thema.")
		return
	}
	known := s.themes(r.Context(), sess)
	for _, t := range form.Themes {
		if !slices.ContainsFunc(known, func(k domain.Service) bool { return k.ID == t }) {
			refuse("Onbekend thema.")
			return
		}
	}
	if role != RoleCounter && role != RoleLead {
		form.Themes = nil // the other roles work on every theme, or on none
	}
	hash, err := HashPassword(r.PostFormValue("password"))
	if err != nil {
		refuse("Het wachtwoord heeft minstens 12 tekens.")
		return
	}
	form.Hash, form.CreatedAt, form.Role = hash, s.opts.Now(), string(role)
	if err := s.opts.Store.PutStaff(form, sess.staff.Who()); err != nil {
		s.failed(w, r, sess, err)
		return
	}
	s.showAccounts(w, r, sess, accountsView{Saved: "Account " + form.Name + " bewaard."}, http.StatusOK)
}

func (s *Server) deleteAccount(w http.ResponseWriter, r *http.Request, sess *session) {
	name := r.PostFormValue("name")
	if name == sess.staff.Name {
		s.showAccounts(w, r, sess, accountsView{Error: "U kunt uw eigen account niet verwijderen."}, http.StatusUnprocessableEntity)
		return
	}
	if err := s.opts.Store.DeleteStaff(name, sess.staff.Who()); err != nil && domain.CodeOf(err) != domain.ENotFound {
		s.failed(w, r, sess, err)
		return
	}
	s.sessions.endFor(name)
	http.Redirect(w, r, "/staff/accounts", http.StatusSeeOther)
}
