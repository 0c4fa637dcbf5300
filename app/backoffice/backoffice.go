// Package backoffice is the city side of the Digitale Balie: the pages
// where counter staff see and serve their video appointments, team leads
// set capacity, phone agents book for callers and the privacy officer reads
// the audit log. It is server-rendered html/template in Dutch, with a few
// lines of plain script for the agenda's refresh, served by balie-gateway on
// its own listener under /staff/.
package backoffice

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/oidcsignin"
	"github.com/digitalebalie/balie/app/store"
	"github.com/digitalebalie/balie/i18n"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Options configure the back office.
type Options struct {
	Store *store.Store
	Now   func() time.Time
	Log   *slog.Logger
	// Insecure leaves the Secure flag off the session cookie: only for a
	// listener on loopback over plain http (development and tests).
	Insecure bool
	// OIDC signs staff in with the city's identity provider; nil offers
	// local accounts only.
	OIDC *oidcsignin.Provider
	// GroupRoles maps an identity provider's group to a role and themes.
	GroupRoles map[string]Staff
	// FeedBase is the public base URL of the calendar feeds, e.g.
	// https://balie.gent.be; empty hides the feeds page.
	FeedBase string
}

// Server is the back office's HTTP handler.
type Server struct {
	opts     Options
	pages    map[string]*template.Template
	sessions *sessions
	lockout  *lockout
	cross    *http.CrossOriginProtection
	mux      *http.ServeMux
}

// New returns the back office, to be mounted at /staff/.
func New(opts Options) (*Server, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	s := &Server{opts: opts, pages: pages, sessions: newSessions(), lockout: newLockout(), cross: http.NewCrossOriginProtection()}
	s.routes()
	return s, nil
}

func (s *Server) routes() {
	m := http.NewServeMux()
	static, _ := fs.Sub(staticFiles, "static")
	m.Handle("GET /staff/static/", http.StripPrefix("/staff/static/", http.FileServerFS(static)))
	m.HandleFunc("GET /staff/signin", s.signInPage)
	m.HandleFunc("POST /staff/signin", s.signIn)
	m.HandleFunc("GET /staff/oidc/start", s.oidcStart)
	m.HandleFunc("GET /staff/oidc/callback", s.oidcCallback)
	m.Handle("POST /staff/signout", s.signedIn(s.signOut))
	m.Handle("GET /staff/{$}", s.signedIn(s.home))
	m.Handle("GET /staff/agenda", s.can(seeAgenda, s.agenda))
	m.Handle("GET /staff/agenda/version", s.can(seeAgenda, s.agendaVersion))
	m.Handle("GET /staff/print", s.can(seeAgenda, s.printDay))
	m.Handle("GET /staff/a/{code}", s.can(seeAgenda, s.appointment))
	m.Handle("POST /staff/a/{code}/contact", s.can(serve, s.showContact))
	m.Handle("POST /staff/a/{code}/outcome", s.can(serve, s.setOutcome))
	m.Handle("GET /staff/book", s.can(bookForCaller, s.bookPage))
	m.Handle("POST /staff/book", s.can(bookForCaller, s.book))
	m.Handle("GET /staff/a/{code}/move", s.can(bookForCaller, s.movePage))
	m.Handle("POST /staff/a/{code}/move", s.can(bookForCaller, s.move))
	m.Handle("GET /staff/a/{code}/cancel", s.can(bookForCaller, s.cancelPage))
	m.Handle("POST /staff/a/{code}/cancel", s.can(bookForCaller, s.cancel))
	m.Handle("GET /staff/capacity", s.can(setCapacity, s.capacityPage))
	m.Handle("POST /staff/capacity", s.can(setCapacity, s.saveCapacity))
	m.Handle("GET /staff/feeds", s.can(seeAgenda, s.feedsPage))
	m.Handle("POST /staff/feeds", s.can(seeAgenda, s.makeFeed))
	m.Handle("POST /staff/feeds/revoke", s.can(seeAgenda, s.revokeFeed))
	m.Handle("GET /staff/help", s.can(answerHelp, s.helpPage))
	m.Handle("GET /staff/help/version", s.can(answerHelp, s.helpVersion))
	m.Handle("POST /staff/help", s.can(answerHelp, s.answerHelp))
	m.Handle("GET /staff/figures", s.can(seeFigures, s.figuresPage))
	m.Handle("GET /staff/figures/chart/{kind}", s.can(seeFigures, s.figuresChart))
	m.Handle("GET /staff/figures/visits.csv", s.can(seeFigures, s.figuresVisitsCSV))
	m.Handle("GET /staff/figures/days.csv", s.can(seeFigures, s.figuresDaysCSV))
	m.Handle("GET /staff/research", s.can(readResearch, s.researchPage))
	m.Handle("GET /staff/research.csv", s.can(readResearch, s.researchCSV))
	m.Handle("GET /staff/accounts", s.can(keepAccounts, s.accountsPage))
	m.Handle("POST /staff/accounts", s.can(keepAccounts, s.saveAccount))
	m.Handle("POST /staff/accounts/delete", s.can(keepAccounts, s.deleteAccount))
	m.Handle("GET /staff/audit", s.can(readAudit, s.auditPage))
	m.Handle("GET /staff/audit.csv", s.can(readAudit, s.auditCSV))
	s.mux = m
}

// ServeHTTP serves the back office with the headers every answer carries.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Robots-Tag", "noindex, nofollow")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		// Every form carries the session's token, and the browser must
		// say the request comes from this site.
		if err := s.cross.Check(r); err != nil {
			http.Error(w, "Verzoek van een andere website geweigerd.", http.StatusForbidden)
			return
		}
	}
	s.mux.ServeHTTP(w, r)
}

// cookieName is the session cookie; __Host- makes the browser refuse it
// unless it is Secure, for this host and path /.
func (s *Server) cookieName() string {
	if s.opts.Insecure {
		return "balie_staff"
	}
	return "__Host-balie_staff"
}

// current returns the signed-in staff member's session, if any.
func (s *Server) current(r *http.Request) (*session, bool) {
	c, err := r.Cookie(s.cookieName())
	if err != nil {
		return nil, false
	}
	return s.sessions.get(c.Value, s.opts.Now())
}

type staffKey struct{}

// signedIn lets only a signed-in member of staff through, with a valid
// form token on a POST; anyone else goes to the sign-in page.
func (s *Server) signedIn(next func(http.ResponseWriter, *http.Request, *session)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess, ok := s.current(r)
		if !ok {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/staff/signin", http.StatusSeeOther)
				return
			}
			http.Error(w, "Niet aangemeld.", http.StatusUnauthorized)
			return
		}
		if r.Method == http.MethodPost && !sameToken(r.PostFormValue("csrf"), sess.csrf) {
			http.Error(w, "Het formulier is verlopen. Laad de pagina opnieuw.", http.StatusForbidden)
			return
		}
		next(w, r, sess)
	})
}

// can lets through only staff whose role has the capability.
func (s *Server) can(c capability, next func(http.ResponseWriter, *http.Request, *session)) http.Handler {
	return s.signedIn(func(w http.ResponseWriter, r *http.Request, sess *session) {
		if !sess.staff.may(c) {
			s.forbidden(w, r, sess)
			return
		}
		next(w, r, sess)
	})
}

func (s *Server) forbidden(w http.ResponseWriter, r *http.Request, sess *session) {
	w.WriteHeader(http.StatusForbidden)
	s.render(w, r, sess, "message", page{Title: "Geen toegang", Message: "Uw rol geeft geen toegang tot deze pagina of dit thema."})
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request, sess *session) {
	w.WriteHeader(http.StatusNotFound)
	s.render(w, r, sess, "message", page{Title: "Niet gevonden", Message: "Deze afspraak bestaat niet (meer)."})
}

func (s *Server) failed(w http.ResponseWriter, r *http.Request, sess *session, err error) {
	s.opts.Log.Error("back office", "path", r.URL.Path, "err", err)
	w.WriteHeader(http.StatusServiceUnavailable)
	s.render(w, r, sess, "message", page{Title: "Er liep iets mis", Message: "Probeer het zo meteen opnieuw."})
}

// home sends each role to where its work is.
func (s *Server) home(w http.ResponseWriter, r *http.Request, sess *session) {
	switch {
	case sess.staff.may(seeAgenda):
		http.Redirect(w, r, "/staff/agenda", http.StatusSeeOther)
	case sess.staff.may(answerHelp):
		http.Redirect(w, r, "/staff/help", http.StatusSeeOther)
	case sess.staff.may(readAudit):
		http.Redirect(w, r, "/staff/audit", http.StatusSeeOther)
	case sess.staff.may(seeFigures):
		http.Redirect(w, r, "/staff/figures", http.StatusSeeOther)
	case sess.staff.may(readResearch):
		http.Redirect(w, r, "/staff/research", http.StatusSeeOther)
	default:
		s.forbidden(w, r, sess)
	}
}

// themes lists the services sess may work on, in catalogue order.
func (s *Server) themes(ctx context.Context, sess *session) []domain.Service {
	all, _ := s.opts.Store.Services(ctx)
	var out []domain.Service
	for _, svc := range all {
		if svc.ByVideo && sess.staff.theme(svc.ID) {
			out = append(out, svc)
		}
	}
	return out
}

// theme picks the theme a page is about: the one asked for, if sess may
// see it, else their first.
func (s *Server) theme(r *http.Request, sess *session) (domain.Service, []domain.Service, error) {
	themes := s.themes(r.Context(), sess)
	if len(themes) == 0 {
		return domain.Service{}, nil, errNoTheme
	}
	want := r.URL.Query().Get("theme")
	if want == "" {
		want = r.PostFormValue("theme")
	}
	if want == "" {
		return themes[0], themes, nil
	}
	i := slices.IndexFunc(themes, func(t domain.Service) bool { return t.ID == want })
	if i < 0 {
		return domain.Service{}, themes, errNoTheme
	}
	return themes[i], themes, nil
}

var errNoTheme = errors.New("not one of the staff member's themes")

// languageName is a language's Dutch name: "Arabisch".
func languageName(tag string) string {
	if tag == "und" {
		return "een andere taal (vragen)"
	}
	return i18n.NameIn(i18n.Reference, tag)
}
