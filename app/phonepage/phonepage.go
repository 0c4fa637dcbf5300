// Package phonepage is the page the kiosk's QR code opens on the visitor's
// phone: {publicBase}/a/{token}. It shows the appointment (theme, date and
// time, what to prepare, the booking code), a join button that works from
// domain.JoinOpensBefore the start until the end, an .ics file for the
// phone's calendar, and a way to cancel. balie-gateway mounts it at /a/.
//
// The page is plain HTML from html/template with a little inline CSS and no
// JavaScript, so it loads fast on a cheap phone and reads well with a screen
// reader. Every visible word comes from the i18n message files, in the
// visitor's language with Dutch underneath (Flemish language law).
//
// It may import the domain, the i18n package, html/template, the iCalendar
// library and x/text's language tags (for Accept-Language); it reaches the
// bookings only through the Appointments interface, and never imports Fyne.
package phonepage

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"log/slog"
	"net/http"
	"strings"
	"time"
	"unicode"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/i18n"
)

// Appointments is what the page needs from a booking system; the embedded
// store implements it.
type Appointments interface {
	// FindByToken returns the appointment a QR token points to; ENotFound
	// for an unknown token.
	FindByToken(ctx context.Context, token string) (domain.Appointment, error)
	// CancelByToken cancels it and frees its slot.
	CancelByToken(ctx context.Context, token string) error
	// Services is the catalogue, for the theme's name and what to prepare.
	Services(ctx context.Context) ([]domain.Service, error)
}

// Config configures the page.
type Config struct {
	Appointments Appointments
	Catalog      *i18n.Catalog
	Now          func() time.Time // time.Now when nil
	// HelpPhone is the city's help line, for the page's call button; its
	// name comes from the Catalog's place.
	HelpPhone string
	// CSRFKey signs the cancel form. Random when nil, which is fine for one
	// gateway process; several behind one address need the same key.
	CSRFKey []byte
	Log     *slog.Logger // slog.Default() when nil
}

type handler struct {
	cfg   Config
	cross *http.CrossOriginProtection
}

// New returns the handler for GET /a/{token}, GET /a/{token}/calendar.ics,
// GET /a/{token}/cancel and POST /a/{token}/cancel. HEAD works wherever GET
// does; any other method gets 405, any other path under /a/ the kind
// not-found page.
func New(cfg Config) http.Handler {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.CSRFKey == nil {
		cfg.CSRFKey = make([]byte, 32)
		if _, err := rand.Read(cfg.CSRFKey); err != nil {
			panic(err) // crypto/rand never fails on supported platforms
		}
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	h := &handler{cfg: cfg, cross: http.NewCrossOriginProtection()}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /a/{token}", h.withAppointment(h.page))
	mux.HandleFunc("GET /a/{token}/calendar.ics", h.withAppointment(h.calendar))
	mux.HandleFunc("GET /a/{token}/cancel", h.withAppointment(h.confirmCancel))
	mux.HandleFunc("POST /a/{token}/cancel", h.withAppointment(h.cancel))
	// The same paths without a method catch every other method: a 405 with
	// our headers rather than the not-found page below.
	mux.Handle("/a/{token}", methodNotAllowed("GET, HEAD"))
	mux.Handle("/a/{token}/calendar.ics", methodNotAllowed("GET, HEAD"))
	mux.Handle("/a/{token}/cancel", methodNotAllowed("GET, HEAD, POST"))
	mux.HandleFunc("/a/", h.notFound)
	return securityHeaders(mux)
}

// securityHeaders sets what every answer carries. The URL holds the token,
// so no referrer may leave the page and nothing may be cached.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Cache-Control", "no-store")
		hd.Set("X-Robots-Tag", "noindex, nofollow")
		next.ServeHTTP(w, r)
	})
}

func methodNotAllowed(allow string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	})
}

// request is one visitor's request with the appointment it is about.
type request struct {
	token   string
	lang    string
	appt    domain.Appointment
	service domain.Service
	now     time.Time
}

// withAppointment looks up the token and the visitor's language before the
// page itself runs; an unknown token gets the not-found page.
func (h *handler) withAppointment(next func(http.ResponseWriter, *http.Request, request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token := cleanToken(r.PathValue("token"))
		if !plausibleToken(token) {
			h.notFound(w, r)
			return
		}
		appt, err := h.cfg.Appointments.FindByToken(r.Context(), token)
		if domain.CodeOf(err) == domain.ENotFound {
			h.notFound(w, r)
			return
		}
		if err != nil {
			h.fail(w, r, token, "find appointment", err)
			return
		}
		services, err := h.cfg.Appointments.Services(r.Context())
		if err != nil {
			h.fail(w, r, token, "list services", err)
			return
		}
		svc, ok := domain.FindService(services, appt.ServiceID)
		if !ok {
			// A theme dropped from the catalogue still has a name to show.
			svc = domain.Service{ID: appt.ServiceID, Name: domain.Text{domain.ReferenceLanguage: appt.ServiceID}}
		}
		next(w, r, request{
			token: token, appt: appt, service: svc, now: h.cfg.Now(),
			lang: h.appointmentLang(r, appt),
		})
	}
}

// cleanToken drops what a phone's link detector may have taken into the
// link around the token: whitespace and invisible direction marks. An older
// SMS in Arabic, Dari or Pashto ended its link in U+2069, and the phone
// then opens /a/{token}%E2%81%A9; the router has decoded that already.
// Tokens are URL-safe base64, so nothing real is trimmed.
func cleanToken(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		switch {
		case unicode.IsSpace(r),
			r >= '\u200B' && r <= '\u200F', // zero-width space and joiners, LRM, RLM
			r >= '\u202A' && r <= '\u202E', // embeddings and overrides
			r >= '\u2066' && r <= '\u2069', // isolates
			r == '\u061C', r == '\uFEFF':   // Arabic letter mark, zero-width no-break space
			return true
		}
		return false
	})
}

// plausibleToken refuses what cannot be a token (domain.NewToken makes 43
// URL-safe base64 characters) before it reaches the store.
func plausibleToken(s string) bool {
	if len(s) < 16 || len(s) > 128 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// fail shows the visitor a kind error page and logs the cause for the
// operator, without the token.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, token, what string, err error) {
	h.cfg.Log.Error("phone page: "+what, "code", domain.CodeOf(err),
		"err", strings.ReplaceAll(err.Error(), token, "[token]"))
	status := http.StatusInternalServerError
	if domain.CodeOf(err) == domain.EUnavailable {
		status = http.StatusServiceUnavailable
	}
	h.message(w, r, status, h.guessLang(r), "PhoneErrorTitle", "PhoneErrorText", "")
}

// csrfField is the hidden field of the cancel form: only this server can
// make it, so another site cannot post a cancel for a token it learned.
func (h *handler) csrfField(token string) string {
	mac := hmac.New(sha256.New, h.cfg.CSRFKey)
	mac.Write([]byte("cancel\x00" + token))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

func (h *handler) validCSRF(r *http.Request, token string) bool {
	if h.cross.Check(r) != nil { // Sec-Fetch-Site or Origin says another site
		return false
	}
	got := r.PostFormValue("csrf")
	return hmac.Equal([]byte(got), []byte(h.csrfField(token)))
}
