// Package gateway is balie-gateway's HTTP side: the kiosk API under /v1
// (JSON, described by app/api's OpenAPI file) over a Store, and the phone
// page mounted at /a/. It knows HTTP and the domain; it does not know bbolt,
// Fyne or where its configuration comes from.
package gateway

import (
	"context"
	"crypto/sha256"
	"log/slog"
	"net/http"
	"time"

	"github.com/digitalebalie/balie/app/api"
	"github.com/digitalebalie/balie/app/domain"
)

// Store is the booking system behind the gateway: the embedded store, or
// later another adapter that can keep idempotency keys with its bookings.
type Store interface {
	domain.Backend
	domain.Signals
	// BookOnce books like Book, but a repeat with the same key returns the
	// first booking instead of making a second.
	BookOnce(ctx context.Context, key string, req domain.BookingRequest) (domain.Appointment, error)
}

// Options configure the gateway's handler.
type Options struct {
	Store Store
	// Devices maps each kiosk's bearer token to the kiosk's name, which is
	// what logs and help requests show.
	Devices map[string]string
	// Staff maps each staff member's or tool's bearer token to a name, for
	// the staff-only endpoints (failed e-mails and SMS).
	Staff map[string]string
	// PhonePage serves /a/{token}; nil leaves it out.
	PhonePage http.Handler
	// Feeds serves the staff's calendar feeds, /feed/{secret}.ics, where
	// a calendar service on the internet can fetch them; nil leaves it out.
	Feeds http.Handler
	// StaffSignIn checks the back-office account of a member of staff who
	// signs in at a kiosk (POST /v1/staff/sessions); nil refuses them all.
	StaffSignIn StaffSignIn
	// Limits bound each kiosk's lookups, help requests and feedback; the
	// zero value takes DefaultLimits.
	Limits Limits
	Now    func() time.Time
	Log    *slog.Logger
}

// Gateway is the whole HTTP surface.
type Gateway struct {
	store       Store
	devices     map[[sha256.Size]byte]string
	staffTokens map[[sha256.Size]byte]string
	signIn      StaffSignIn
	sessions    staffSessions
	limits      Limits
	limiter     *limiter
	now         func() time.Time
	log         *slog.Logger
	mux         *http.ServeMux
}

// New builds the gateway's handler.
func New(opts Options) *Gateway {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.Limits == (Limits{}) {
		opts.Limits = DefaultLimits
	}
	g := &Gateway{
		store:       opts.Store,
		devices:     hashDevices(opts.Devices),
		staffTokens: hashDevices(opts.Staff),
		signIn:      opts.StaffSignIn,
		limits:      opts.Limits,
		limiter:     newLimiter(opts.Limits, opts.Now),
		now:         opts.Now,
		log:         opts.Log,
		mux:         http.NewServeMux(),
	}
	g.routes(opts.PhonePage)
	if opts.Feeds != nil {
		g.mux.Handle("GET /feed/{file}", opts.Feeds)
	}
	return g
}

func (g *Gateway) routes(phonePage http.Handler) {
	p := api.Prefix
	routes := []struct {
		method, path string
		h            http.Handler
	}{
		{"GET", p + "/health", http.HandlerFunc(g.health)},
		{"GET", p + "/openapi.json", http.HandlerFunc(openAPI)},
		{"GET", p + "/services", g.device(g.services)},
		{"GET", p + "/services/{id}/slots", g.device(g.slots)},
		{"POST", p + "/appointments", g.device(g.book)},
		{"GET", p + "/appointments/{code}", g.device(g.find)},
		{"POST", p + "/appointments/{code}/cancel", g.device(g.cancel)},
		{"POST", p + "/help-requests", g.device(g.help)},
		{"GET", p + "/help-requests/{id}", g.device(g.helpStatus)},
		{"POST", p + "/feedback", g.device(g.feedback)},
		{"POST", p + "/visits", g.device(g.visits)},
		{"GET", p + "/staff/notices", g.staff(g.notices)},
		{"POST", p + "/staff/sessions", g.device(g.staffSignIn)},
		{"GET", p + "/staff/help-requests", g.staffMay(mayHelp, g.helpQueue)},
		{"POST", p + "/staff/help-requests/{id}", g.staffMay(mayHelp, g.setHelpState)},
		{"GET", p + "/stats", g.staffMay(mayFigures, g.stats)},
	}
	for _, rt := range routes {
		g.mux.Handle(rt.method+" "+rt.path, rt.h)
		// Any other method on a known path: a JSON 405 rather than the
		// mux's plain-text one. (GET also allows HEAD.)
		g.mux.HandleFunc(rt.path, func(w http.ResponseWriter, r *http.Request) {
			allow := rt.method
			if allow == "GET" {
				allow = "GET, HEAD"
			}
			w.Header().Set("Allow", allow)
			writeError(w, http.StatusMethodNotAllowed, api.NewError(api.CodeMethodNotAllowed, nil))
		})
	}
	g.mux.HandleFunc(p+"/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, api.NewError(api.CodeNoRoute, nil))
	})
	if phonePage != nil {
		g.mux.Handle("/a/", phonePage)
	}
}

// ServeHTTP logs every request without its query (a check travels there) and
// without the path's code or token, and turns a panic into a 500.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	// The token check fills in who called on this shared record: the
	// request it passes on is a copy, which the log would never see.
	info := &requestInfo{}
	r = r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, info))
	defer func() {
		if p := recover(); p != nil {
			g.log.Error("panic", "pattern", r.Pattern, "panic", p)
			writeError(rec, http.StatusInternalServerError, api.NewError(string(domain.EInternal), nil))
		}
		g.log.Info("request", "method", r.Method, "route", routeOf(r), "status", rec.status,
			"ms", time.Since(start).Milliseconds(), "device", info.device)
	}()
	g.mux.ServeHTTP(rec, r)
}

// routeOf names the request's route by its pattern, never its raw path.
func routeOf(r *http.Request) string {
	if r.Pattern != "" {
		return r.Pattern
	}
	return "unmatched"
}

// requestInfo is what the request log learns from the handlers: which
// kiosk or staff member called.
type requestInfo struct{ device string }

type requestInfoKey struct{}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// NewServer is the http.Server balie-gateway runs the handler in, with
// timeouts that keep slow or stalled clients from holding connections; the
// load benchmark serves through the same.
func NewServer(h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}
