package gateway

import (
	"crypto/rand"
	_ "embed"
	"encoding/hex"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/digitalebalie/balie/app/api"
	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/scrub"
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
	// A value that cannot be read as its type is 400 (unreadable); one
	// that can but is refused is 422 (fields).
	q := r.URL.Query()
	unreadable := map[string]string{}
	fields := map[string]domain.FieldReason{}
	now := g.now().In(domain.Brussels)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, domain.Brussels)
	from := today
	if s := q.Get("from"); s != "" {
		d, err := time.ParseInLocation(time.DateOnly, s, domain.Brussels)
		switch {
		case err != nil:
			unreadable["from"] = api.ReasonInvalidDate
		case d.Before(today.AddDate(0, 0, -1)), d.After(today.AddDate(0, 0, domain.MaxSlotDays)):
			fields["from"] = domain.ReasonOutOfRange
		case d.After(today):
			from = d
		}
	}
	days := DefaultSlotDays
	if s := q.Get("days"); s != "" {
		n, whole := wholeNumber(s)
		switch {
		case !whole:
			unreadable["days"] = api.ReasonWrongType
		case n < 1, n > domain.MaxSlotDays:
			fields["days"] = domain.ReasonOutOfRange
		}
		days = n
	}
	if len(unreadable) > 0 {
		badQuery(w, unreadable)
		return
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
			// not_found, as for a booking code, but with its own sentence.
			writeError(w, http.StatusNotFound, api.ErrorBody{Error: api.ErrorDetail{
				Code: string(domain.ENotFound), Message: "no such service"}})
			return
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
	booking := req.Domain()
	booking.Device = deviceOf(r.Context()) // its quota
	// The key is the device's own: two kiosks may pick the same one.
	appt, err := g.store.BookOnce(r.Context(), booking.Device+"|"+key, booking)
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
	if !g.allow(w, r, "lookup", g.limits.lookups()) {
		return
	}
	appt, err := g.store.Find(r.Context(), domain.NormalizeCode(r.PathValue("code")), r.URL.Query().Get("check"))
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
	if !g.allow(w, r, "lookup", g.limits.lookups()) {
		return
	}
	if err := g.store.Cancel(r.Context(), domain.NormalizeCode(r.PathValue("code")), req.Check); err != nil {
		g.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// allow spends one try of the calling kiosk's budget for what; over it,
// the answer is 429 with Retry-After.
func (g *Gateway) allow(w http.ResponseWriter, r *http.Request, what string, budget rule) bool {
	ok, wait := g.limiter.allow(what+"|"+deviceOf(r.Context()), budget)
	if !ok {
		g.fail(w, r, &domain.Error{Code: domain.ERateLimited, RetryAfter: wait})
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
	help := domain.HelpRequest{Ref: req.ID, Device: device, Location: req.Location, Language: req.Language, Screen: req.Screen, At: g.now()}
	if err := domain.ValidateHelpRequest(help); err != nil { // a refused request costs the budget nothing
		g.fail(w, r, err)
		return
	}
	if !g.allow(w, r, "help", g.limits.help()) {
		return
	}
	if err := g.store.RequestHelp(r.Context(), help); err != nil {
		g.fail(w, r, err)
		return
	}
	// Staff watch this line, and the back office's help page: a visitor at
	// this kiosk is waiting for them.
	g.log.Warn("help requested", "ref", help.Ref, "device", device, "location", help.Location, "language", req.Language, "screen", req.Screen)
	writeJSON(w, http.StatusAccepted, api.Accepted{ID: newID()})
}

// helpStatus is GET /v1/help-requests/{id}: the kiosk that sent a help
// request asks whether someone is on the way. Another kiosk's request is
// not found.
func (g *Gateway) helpStatus(w http.ResponseWriter, r *http.Request) {
	desk, ok := g.store.(HelpDesk)
	if !ok {
		g.fail(w, r, &domain.Error{Code: domain.ENotFound})
		return
	}
	if !g.allow(w, r, "helpstate", g.limits.helpState()) {
		return
	}
	h, err := desk.HelpState(deviceOf(r.Context()), r.PathValue("id"))
	if err != nil {
		g.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, api.HelpStatus{ID: h.Ref, State: string(h.State)})
}

func (g *Gateway) feedback(w http.ResponseWriter, r *http.Request) {
	var req api.Feedback
	if e := decodeBody(w, r, &req); e != nil {
		writeError(w, e.status, e.body)
		return
	}
	fb := domain.Feedback{Device: deviceOf(r.Context()), Language: req.Language, ServiceID: req.ServiceID, Rating: req.Rating,
		// The kiosk stripped what looks personal already; the gateway
		// does not trust a kiosk with the city's data.
		Suggestion: scrub.Suggestion(req.Suggestion), At: g.now()}
	if err := domain.ValidateFeedback(fb); err != nil {
		g.fail(w, r, err)
		return
	}
	if !g.allow(w, r, "feedback", g.limits.feedback()) {
		return
	}
	if err := g.store.SendFeedback(r.Context(), fb); err != nil {
		g.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, api.Accepted{ID: newID()})
}

// fail answers with a domain error, with Retry-After when it says when to
// come back. Unexpected ones are logged in full for the operator; the body
// never carries the cause.
func (g *Gateway) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, body := api.FromError(err)
	var de *domain.Error
	if errors.As(err, &de) && de.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(de.RetryAfter.Seconds())))))
	}
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
