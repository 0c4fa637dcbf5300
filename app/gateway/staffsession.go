package gateway

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/digitalebalie/balie/app/api"
	"github.com/digitalebalie/balie/app/domain"
)

// HelpDesk is what the help endpoints need of the store.
type HelpDesk interface {
	HelpState(device, ref string) (domain.HelpRequest, error)
	HelpQueue() ([]domain.HelpRequest, error)
	SetHelpState(id string, state domain.HelpState, who string) error
}

// StaffGrant is what a member of staff who signed in at a kiosk may do
// through the API, as their back-office role allows.
type StaffGrant struct {
	Who     string // e.g. "support:An", for the audit log
	Name    string
	Help    bool // follow and answer help requests
	Figures bool // read the figures
}

// ErrWrongCredentials is what a StaffSignIn returns for an unknown name
// or a wrong password; it answers 401 without saying which.
var ErrWrongCredentials = errors.New("wrong name or password")

// StaffSignIn checks a member of staff's back-office name and password
// (with the back office's lockout). A locked account answers a
// *domain.Error with ERateLimited and RetryAfter.
type StaffSignIn func(ctx context.Context, name, password string) (StaffGrant, error)

// StaffIdle is how long an API staff session lasts unused.
const StaffIdle = 30 * time.Minute

// maxStaffSessions bounds the sessions held, whatever callers send.
const maxStaffSessions = 1000

// staffSessions are the API sessions of staff who signed in at a kiosk,
// in memory only: a gateway restart signs them out.
type staffSessions struct {
	mu     sync.Mutex
	byHash map[[sha256.Size]byte]*staffSession
}

type staffSession struct {
	grant StaffGrant
	used  time.Time
}

func (s *staffSessions) start(grant StaffGrant, now time.Time) string {
	buf := make([]byte, 32)
	rand.Read(buf)
	token := base64.RawURLEncoding.EncodeToString(buf)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.byHash == nil {
		s.byHash = map[[sha256.Size]byte]*staffSession{}
	}
	if len(s.byHash) >= maxStaffSessions {
		s.dropIdle(now)
	}
	for h := range s.byHash { // still full: the oldest goes
		if len(s.byHash) < maxStaffSessions {
			break
		}
		delete(s.byHash, h)
	}
	s.byHash[sha256.Sum256([]byte(token))] = &staffSession{grant: grant, used: now}
	return token
}

// get returns the session of the request's bearer token, if it is one
// and still in use, and marks it used.
func (s *staffSessions) get(hash [sha256.Size]byte, now time.Time) (StaffGrant, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.byHash[hash]
	if !ok {
		return StaffGrant{}, false
	}
	if now.Sub(sess.used) > StaffIdle {
		delete(s.byHash, hash)
		return StaffGrant{}, false
	}
	sess.used = now
	return sess.grant, true
}

func (s *staffSessions) dropIdle(now time.Time) {
	for h, sess := range s.byHash {
		if now.Sub(sess.used) > StaffIdle {
			delete(s.byHash, h)
		}
	}
}

type staffGrantKey struct{}

// staffMay lets in a staff tool's token (which may do everything) or a
// signed-in staff member's session that may do what may asks.
func (g *Gateway) staffMay(may func(StaffGrant) bool, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hash := bearer(r)
		grant, ok := g.sessions.get(hash, g.now())
		if !ok {
			name, tool := g.staffTokens[hash]
			if !tool {
				w.Header().Set("WWW-Authenticate", `Bearer realm="balie-gateway-staff"`)
				writeError(w, http.StatusUnauthorized, api.NewError(api.CodeUnauthorized, nil))
				return
			}
			grant = StaffGrant{Who: "tool:" + name, Name: name, Help: true, Figures: true}
		}
		if !may(grant) {
			writeError(w, http.StatusForbidden, api.NewError(api.CodeForbidden, nil))
			return
		}
		if info, ok := r.Context().Value(requestInfoKey{}).(*requestInfo); ok {
			info.device = "staff:" + grant.Name
		}
		h(w, r.WithContext(context.WithValue(r.Context(), staffGrantKey{}, grant)))
	})
}

func grantOf(ctx context.Context) StaffGrant {
	g, _ := ctx.Value(staffGrantKey{}).(StaffGrant)
	return g
}

func mayHelp(g StaffGrant) bool    { return g.Help }
func mayFigures(g StaffGrant) bool { return g.Figures }

// staffSignIn is POST /v1/staff/sessions: a member of staff at a kiosk
// signs in with their back-office account. Only a kiosk may ask (its
// device token), and the back office's lockout bounds the guesses.
func (g *Gateway) staffSignIn(w http.ResponseWriter, r *http.Request) {
	var req api.StaffSignIn
	if e := decodeBody(w, r, &req); e != nil {
		writeError(w, e.status, e.body)
		return
	}
	refuse := func() {
		w.Header().Set("WWW-Authenticate", `Bearer realm="balie-gateway"`)
		writeError(w, http.StatusUnauthorized, api.NewError(api.CodeUnauthorized, nil))
	}
	if g.signIn == nil {
		refuse()
		return
	}
	if !g.allow(w, r, "signin", g.limits.help()) {
		return
	}
	grant, err := g.signIn(r.Context(), req.Name, req.Password)
	if errors.Is(err, ErrWrongCredentials) {
		g.log.Warn("staff sign-in refused at a kiosk", "device", deviceOf(r.Context()))
		refuse()
		return
	}
	if err != nil {
		g.fail(w, r, err)
		return
	}
	if !grant.Help && !grant.Figures {
		writeError(w, http.StatusForbidden, api.NewError(api.CodeForbidden, nil))
		return
	}
	token := g.sessions.start(grant, g.now())
	writeJSON(w, http.StatusCreated, api.StaffSession{Token: token, Name: grant.Name, IdleSeconds: int(StaffIdle.Seconds())})
}

// helpQueue is GET /v1/staff/help-requests: the open calls, oldest first.
func (g *Gateway) helpQueue(w http.ResponseWriter, r *http.Request) {
	desk, ok := g.store.(HelpDesk)
	if !ok {
		writeJSON(w, http.StatusOK, api.HelpQueue{HelpRequests: []api.HelpCall{}})
		return
	}
	list, err := desk.HelpQueue()
	if err != nil {
		g.fail(w, r, err)
		return
	}
	out := api.HelpQueue{HelpRequests: make([]api.HelpCall, 0, len(list))}
	for _, h := range list {
		out.HelpRequests = append(out.HelpRequests, api.HelpCall{ID: h.ID, Device: h.Device, Location: h.Location,
			Language: h.Language, Screen: h.Screen, At: h.At.UTC(), State: string(h.State), TakenBy: h.TakenBy})
	}
	writeJSON(w, http.StatusOK, out)
}

// setHelpState is POST /v1/staff/help-requests/{id}: on the way, or
// handled, in the audit log under the staff member's name.
func (g *Gateway) setHelpState(w http.ResponseWriter, r *http.Request) {
	var req api.HelpStateChange
	if e := decodeBody(w, r, &req); e != nil {
		writeError(w, e.status, e.body)
		return
	}
	desk, ok := g.store.(HelpDesk)
	if !ok {
		g.fail(w, r, &domain.Error{Code: domain.ENotFound})
		return
	}
	if err := desk.SetHelpState(r.PathValue("id"), domain.HelpState(req.State), grantOf(r.Context()).Who); err != nil {
		g.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
