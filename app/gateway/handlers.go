package gateway

import (
	"crypto/rand"
	_ "embed"
	"encoding/hex"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/digitalebalie/balie/app/api"
	"github.com/digitalebalie/balie/app/domain"
)

func (g *Gateway) health(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, api.Health{Status: "ok"})
}

func openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(api.OpenAPI)
}

func (g *Gateway) services(w http.ResponseWriter, r *http.Request) {
	lang := r.URL.Query().Get("lang")
	if len(lang) > 16 {
		g.fail(w, r, domain.Invalid(map[string]domain.FieldReason{"lang": domain.ReasonTooLong}))
		return
	}
	list, err := g.store.Services(r.Context())
	if err != nil {
		g.fail(w, r, err)
		return
	}
	out := api.ServiceList{Services: []api.Service{}}
	for _, s := range list {
		out.Services = append(out.Services, api.FromService(s, lang))
	}
	writeJSON(w, http.StatusOK, out)
}

// DefaultSlotDays is how many days a slot listing covers without ?days=.
const DefaultSlotDays = 7

func (g *Gateway) slots(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	fields := map[string]domain.FieldReason{}
	now := g.now().In(domain.Brussels)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, domain.Brussels)
	from := today
	if s := q.Get("from"); s != "" {
		d, err := time.ParseInLocation(time.DateOnly, s, domain.Brussels)
		switch {
		case err != nil:
			fields["from"] = "invalid_date"
		case d.Before(today.AddDate(0, 0, -1)), d.After(today.AddDate(0, 0, domain.MaxSlotDays)):
			fields["from"] = domain.ReasonOutOfRange
		case d.After(today):
			from = d
		}
	}
	days := DefaultSlotDays
	if s := q.Get("days"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > domain.MaxSlotDays {
			fields["days"] = domain.ReasonOutOfRange
		}
		days = n
	}
	if len(fields) > 0 {
		g.fail(w, r, domain.Invalid(fields))
		return
	}
	// Never list further ahead than a booking may be made.
	horizon := today.AddDate(0, 0, domain.MaxSlotDays)
	days = min(days, int(horizon.Sub(from).Hours()/24+0.5)+1)
	id := r.PathValue("id")
	list, err := g.store.Slots(r.Context(), id, from, days)
	if err != nil {
		if domain.FieldsOf(err)["serviceId"] == domain.ReasonUnknown {
			err = &domain.Error{Code: domain.ENotFound}
		}
		g.fail(w, r, err)
		return
	}
	out := api.SlotList{ServiceID: id, Slots: []api.Slot{}}
	for _, s := range list {
		out.Slots = append(out.Slots, api.FromSlot(s))
	}
	writeJSON(w, http.StatusOK, out)
}

func (g *Gateway) book(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get(api.HeaderIdempotency)
	if reason := checkIdempotencyKey(key); reason != "" {
		writeError(w, http.StatusBadRequest, api.ErrorBody{Error: api.ErrorDetail{
			Code: api.CodeBadRequest, Message: "a booking needs an Idempotency-Key header of 1 to 128 printable characters",
			Fields: map[string]string{api.HeaderIdempotency: reason}}})
		return
	}
	var req api.BookingRequest
	if e := decodeBody(w, r, &req); e != nil {
		writeError(w, e.status, e.body)
		return
	}
	// The key is the device's own: two kiosks may pick the same one.
	appt, err := g.store.BookOnce(r.Context(), deviceOf(r.Context())+"|"+key, req.Domain())
	if err != nil {
		g.fail(w, r, err)
		return
	}
	w.Header().Set("Location", api.Prefix+"/appointments/"+appt.Code)
	writeJSON(w, http.StatusCreated, api.FromAppointment(appt))
}

func checkIdempotencyKey(key string) string {
	switch {
	case key == "":
		return string(domain.ReasonRequired)
	case len(key) > api.MaxIdempotencyKey:
		return string(domain.ReasonTooLong)
	}
	for _, c := range key {
		if c > unicode.MaxASCII || !unicode.IsPrint(c) {
			return "invalid"
		}
	}
	return ""
}

func (g *Gateway) find(w http.ResponseWriter, r *http.Request) {
	code := domain.NormalizeCode(r.PathValue("code"))
	if !g.allowLookup(w, r, code) {
		return
	}
	appt, err := g.store.Find(r.Context(), code, r.URL.Query().Get("check"))
	if err != nil {
		g.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, api.FromAppointment(appt))
}

func (g *Gateway) cancel(w http.ResponseWriter, r *http.Request) {
	var req api.CancelRequest
	if e := decodeBody(w, r, &req); e != nil {
		writeError(w, e.status, e.body)
		return
	}
	code := domain.NormalizeCode(r.PathValue("code"))
	if !g.allowLookup(w, r, code) {
		return
	}
	if err := g.store.Cancel(r.Context(), code, req.Check); err != nil {
		g.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// allowLookup spends one try of the device's and the code's budget. A code
// that cannot exist is still counted, under its raw form, so malformed
// guesses are not free.
func (g *Gateway) allowLookup(w http.ResponseWriter, r *http.Request, code string) bool {
	// A code that cannot exist counts only against this kiosk: sharing one
	// bucket city-wide would let a few typos lock out everyone's typos.
	key := code
	if key == "" {
		key = "malformed|" + deviceOf(r.Context())
	}
	ok, wait := g.lookups.allow(deviceOf(r.Context()), key)
	if !ok {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(wait.Seconds())))))
		g.fail(w, r, &domain.Error{Code: domain.ERateLimited})
	}
	return ok
}

func (g *Gateway) help(w http.ResponseWriter, r *http.Request) {
	var req api.HelpRequest
	if e := decodeBody(w, r, &req); e != nil {
		writeError(w, e.status, e.body)
		return
	}
	device := deviceOf(r.Context())
	err := g.store.RequestHelp(r.Context(), domain.HelpRequest{Device: device, Language: req.Language, Screen: req.Screen, At: g.now()})
	if err != nil {
		g.fail(w, r, err)
		return
	}
	id := newID()
	// Staff watch this line: a visitor at this kiosk is waiting for them.
	g.log.Warn("help requested", "id", id, "device", device, "language", req.Language, "screen", req.Screen)
	writeJSON(w, http.StatusAccepted, api.Accepted{ID: id})
}

func (g *Gateway) feedback(w http.ResponseWriter, r *http.Request) {
	var req api.Feedback
	if e := decodeBody(w, r, &req); e != nil {
		writeError(w, e.status, e.body)
		return
	}
	fb := domain.Feedback{Device: deviceOf(r.Context()), Language: req.Language, ServiceID: req.ServiceID, Rating: req.Rating, At: g.now()}
	if err := g.store.SendFeedback(r.Context(), fb); err != nil {
		g.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, api.Accepted{ID: newID()})
}

// fail answers with a domain error. Unexpected ones are logged in full for
// the operator; the body never carries the cause.
func (g *Gateway) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, body := api.FromError(err)
	if status >= 500 {
		g.log.Error("request failed", "route", routeOf(r), "device", deviceOf(r.Context()), "err", err)
	}
	writeError(w, status, body)
}

func newID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return strings.ToUpper(hex.EncodeToString(b))
}
