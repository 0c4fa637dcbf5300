package backoffice

import (
	"net/http"
	"strings"
	"time"

	"github.com/digitalebalie/balie/app/oidcsignin"
	"github.com/digitalebalie/balie/app/store"
)

type signInView struct {
	Name  string
	Error string
	OIDC  bool
}

func (s *Server) signInPage(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.current(r); ok {
		http.Redirect(w, r, "/staff/", http.StatusSeeOther)
		return
	}
	s.render(w, r, nil, "signin", page{Title: "Aanmelden", Main: signInView{OIDC: s.opts.OIDC != nil}})
}

// signIn checks a local account's password. Five wrong tries in a row lock
// the account for a quarter of an hour; the answer is the same for a wrong
// name, a wrong password and a locked account.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request) {
	now := s.opts.Now()
	name := strings.TrimSpace(r.PostFormValue("name"))
	password := r.PostFormValue("password")
	refuse := func(msg string) {
		w.WriteHeader(http.StatusUnauthorized)
		s.render(w, r, nil, "signin", page{Title: "Aanmelden", Main: signInView{Name: name, Error: msg, OIDC: s.opts.OIDC != nil}})
	}
	const wrong = "Naam of wachtwoord klopt niet. Na vijf foute pogingen wordt het account een kwartier geblokkeerd."
	if name == "" || len(name) > 100 || s.lockout.locked(name, now) {
		refuse(wrong)
		return
	}
	acc, found, err := s.opts.Store.Staff(name)
	if err != nil {
		s.failed(w, r, nil, err)
		return
	}
	hash := ""
	if found {
		hash = acc.Hash
	} else {
		hash = dummyHash()
	}
	if !checkPassword(hash, password) || !found {
		if s.lockout.failed(name, now) {
			s.opts.Log.Warn("back office: account locked after failed sign-ins", "account", name)
		}
		s.opts.Store.Record("?:"+name, store.AuditSignInFailed, "", "")
		refuse(wrong)
		return
	}
	s.lockout.succeeded(name)
	role, err := ParseRole(acc.Role)
	if err != nil {
		refuse(wrong)
		return
	}
	s.startSession(w, r, Staff{Name: acc.Name, Role: role, Themes: acc.Themes}, "wachtwoord")
}

// startSession signs staff in: a new session id (never one from before the
// sign-in) in a Secure, HttpOnly, SameSite=Strict cookie.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, staff Staff, how string) {
	id, _ := s.sessions.start(staff, s.opts.Now())
	http.SetCookie(w, &http.Cookie{
		Name: s.cookieName(), Value: id, Path: "/", HttpOnly: true, Secure: !s.opts.Insecure,
		SameSite: http.SameSiteStrictMode, MaxAge: int(IdleTimeout / time.Second),
	})
	s.opts.Store.Record(staff.Who(), store.AuditSignIn, "", how)
	http.Redirect(w, r, "/staff/", http.StatusSeeOther)
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request, sess *session) {
	if c, err := r.Cookie(s.cookieName()); err == nil {
		s.sessions.end(c.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(), Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: !s.opts.Insecure, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/staff/signin", http.StatusSeeOther)
}

// The OIDC sign-in keeps its state, nonce and PKCE verifier in a
// short-lived cookie until the provider sends the browser back.
const oidcCookie = "balie_oidc"

func (s *Server) oidcStart(w http.ResponseWriter, r *http.Request) {
	if s.opts.OIDC == nil {
		http.NotFound(w, r)
		return
	}
	url, pending, err := s.opts.OIDC.Start()
	if err != nil {
		s.failed(w, r, nil, err)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: oidcCookie, Value: pending.State + "." + pending.Nonce + "." + pending.Verifier, Path: "/staff/oidc/",
		HttpOnly: true, Secure: !s.opts.Insecure, SameSite: http.SameSiteLaxMode, MaxAge: 600,
	})
	http.Redirect(w, r, url, http.StatusFound)
}

// oidcCallback finishes the sign-in and maps the identity's groups to a
// role: the first of its groups that the configuration maps.
func (s *Server) oidcCallback(w http.ResponseWriter, r *http.Request) {
	if s.opts.OIDC == nil {
		http.NotFound(w, r)
		return
	}
	refuse := func(msg string) {
		w.WriteHeader(http.StatusUnauthorized)
		s.render(w, r, nil, "signin", page{Title: "Aanmelden", Main: signInView{Error: msg, OIDC: true}})
	}
	c, err := r.Cookie(oidcCookie)
	parts := strings.Split(func() string {
		if err != nil {
			return ""
		}
		return c.Value
	}(), ".")
	if len(parts) != 3 {
		refuse("De aanmelding is verlopen. Probeer opnieuw.")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: oidcCookie, Value: "", Path: "/staff/oidc/", MaxAge: -1})
	id, err := s.opts.OIDC.Finish(r.Context(), oidcsignin.Pending{State: parts[0], Nonce: parts[1], Verifier: parts[2]}, r.URL.Query())
	if err != nil {
		s.opts.Log.Warn("back office: OIDC sign-in refused", "err", err)
		refuse("De aanmelding bij de stad is mislukt. Probeer opnieuw of vraag de dienst ICT.")
		return
	}
	staff, ok := s.roleOf(id)
	if !ok {
		s.opts.Store.Record("?:"+id.Email, store.AuditSignInFailed, "", "geen rol voor de groepen")
		refuse("U bent aangemeld, maar uw account heeft geen rol in de Digitale Balie. Vraag het aan uw teamleider.")
		return
	}
	s.startSession(w, r, staff, "OIDC")
}

// roleOf maps an identity to staff by its groups.
func (s *Server) roleOf(id oidcsignin.Identity) (Staff, bool) {
	name := id.Email
	if name == "" {
		name = id.Subject
	}
	for _, g := range id.Groups {
		if st, ok := s.opts.GroupRoles[g]; ok {
			st.Name = name
			return st, true
		}
	}
	return Staff{}, false
}
