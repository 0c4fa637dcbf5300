package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/digitalebalie/balie/app/api"
	"github.com/digitalebalie/balie/app/domain"
)

// The conformance tests drive real requests through the handler and check
// each request and each answer against app/api/openapi.json with
// kin-openapi, so the description cannot drift from the code.

// spec is the loaded description and a router over it.
type spec struct {
	doc    *openapi3.T
	router routers.Router
}

func loadSpec(t *testing.T) spec {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(api.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(t.Context()); err != nil {
		t.Fatal(err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return spec{doc: doc, router: router}
}

// How a request stands against the description.
type conformity int

const (
	// follows: the request follows the description in every part.
	follows conformity = iota
	// breaksBody: only its body breaks the description, which must say so;
	// without the body it follows.
	breaksBody
	// breaks: a header, the query or the credentials break the description,
	// which must say so.
	breaks
)

// exchange is one request and the answer the gateway must give.
type exchange struct {
	name               string
	method, path, body string
	headers            []string // name, value pairs; an empty value removes the header
	status             int
	code               string // the error code, for an error answer
	request            conformity
}

// authenticate is the description's view of the device token: a Bearer
// token must be there. Whether the gateway knows it is not the
// description's business, so "Bearer nope" follows it.
func authenticate(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	if in.SecurityScheme == nil || in.SecurityScheme.Type != "http" || in.SecurityScheme.Scheme != "bearer" {
		return errors.New("unexpected security scheme")
	}
	token, ok := strings.CutPrefix(in.RequestValidationInput.Request.Header.Get("Authorization"), "Bearer ")
	if !ok || strings.TrimSpace(token) == "" {
		return errors.New("no bearer token")
	}
	return nil
}

// newRequest builds ex's request as f.call does: the test device's token,
// a JSON Content-Type with a body, and an Idempotency-Key on a booking,
// then ex's own headers.
func newRequest(ex exchange) *http.Request {
	var body io.Reader
	if ex.body != "" {
		body = strings.NewReader(ex.body)
	}
	req := httptest.NewRequest(ex.method, ex.path, body)
	req.Header.Set("Authorization", "Bearer "+deviceToken)
	if ex.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if ex.method == http.MethodPost && ex.path == "/v1/appointments" {
		req.Header.Set(api.HeaderIdempotency, "conformance "+ex.name)
	}
	for i := 0; i+1 < len(ex.headers); i += 2 {
		if ex.headers[i+1] == "" {
			req.Header.Del(ex.headers[i])
		} else {
			req.Header.Set(ex.headers[i], ex.headers[i+1])
		}
	}
	return req
}

// check sends ex to h and checks the request, the status and code, and the
// answer against the description. It returns the answer.
func (s spec) check(t *testing.T, h http.Handler, ex exchange) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, newRequest(ex))
	if w.Code != ex.status {
		t.Fatalf("status %d, want %d; body %s", w.Code, ex.status, w.Body)
	}
	if ex.code != "" {
		if got := errorCode(t, w); got != ex.code {
			t.Fatalf("code %q, want %q; body %s", got, ex.code, w.Body)
		}
	}

	// The request, on a copy of its own.
	req := newRequest(ex)
	route, params, err := s.router.FindRoute(req)
	switch {
	case ex.code == api.CodeNoRoute:
		if !errors.Is(err, routers.ErrPathNotFound) {
			t.Fatalf("the description has a route for %s %s: %v", ex.method, ex.path, err)
		}
		s.checkOutside(t, req, "NoRoute", w)
		return w
	case ex.code == api.CodeMethodNotAllowed:
		if !errors.Is(err, routers.ErrMethodNotAllowed) {
			t.Fatalf("the description does not refuse %s %s: %v", ex.method, ex.path, err)
		}
		s.checkOutside(t, req, "MethodNotAllowed", w)
		return w
	case err != nil:
		t.Fatalf("no route in the description: %v", err)
	}
	in := &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{
			AuthenticationFunc: authenticate,
			MultiError:         true,
			// The description says "format: email"; check it with
			// kin-openapi's loose pattern rather than not at all.
			SchemaValidationOptions: []openapi3.SchemaValidationOption{
				openapi3.WithStringFormatValidator("email", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForEmail)),
			},
		},
	}
	err = openapi3filter.ValidateRequest(t.Context(), in)
	switch ex.request {
	case follows:
		if err != nil {
			t.Errorf("the request breaks the description: %v", err)
		}
	case breaksBody, breaks:
		if err == nil {
			t.Errorf("the description accepts a request the gateway refuses")
		}
	}
	if ex.request == breaksBody {
		// Without its body, the request must follow the description, so
		// the body is what breaks it.
		again := *in
		again.Request = newRequest(ex)
		opts := *in.Options
		opts.ExcludeRequestBody = true
		again.Options = &opts
		if err := openapi3filter.ValidateRequest(t.Context(), &again); err != nil {
			t.Errorf("besides its body, the request breaks the description: %v", err)
		}
	}
	s.checkAnswer(t, in, w)
	return w
}

// checkAnswer validates the answer against the route's responses; a status
// the description does not list fails.
func (s spec) checkAnswer(t *testing.T, in *openapi3filter.RequestValidationInput, w *httptest.ResponseRecorder) {
	t.Helper()
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 w.Code,
		Header:                 w.Header(),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	out.SetBodyBytes(w.Body.Bytes())
	if err := openapi3filter.ValidateResponse(t.Context(), out); err != nil {
		t.Errorf("the answer breaks the description: %v\nbody %s", err, w.Body)
	}
}

// checkOutside validates an answer to a request the description has no
// operation for (404 no_route, 405) against the named response under
// components.
func (s spec) checkOutside(t *testing.T, req *http.Request, response string, w *httptest.ResponseRecorder) {
	t.Helper()
	ref := s.doc.Components.Responses[response]
	if ref == nil {
		t.Fatalf("no response %s under components", response)
	}
	op := openapi3.NewOperation()
	op.Responses = openapi3.NewResponses(openapi3.WithStatus(w.Code, ref))
	route := &routers.Route{Spec: s.doc, Path: req.URL.Path, Method: req.Method, Operation: op}
	s.checkAnswer(t, &openapi3filter.RequestValidationInput{Request: req, Route: route}, w)
}

func TestOpenAPIConformance(t *testing.T) {
	s := loadSpec(t)
	f := newFixture(t)
	run := func(t *testing.T, table []exchange) {
		t.Helper()
		for _, ex := range table {
			t.Run(ex.name, func(t *testing.T) {
				// A little over the kiosk's refill time between requests,
				// so only the rate-limit rows meet the kiosk's limit.
				f.clock.Add(DefaultLimits.DeviceEvery + time.Second)
				s.check(t, f.gw, ex)
			})
		}
	}
	slots := func(t *testing.T, query string) []api.Slot {
		var list api.SlotList
		decode(t, f.call("GET", "/v1/services/energie/slots?"+query, ""), http.StatusOK, &list)
		if len(list.Slots) < 3 {
			t.Fatalf("%d free slots", len(list.Slots))
		}
		return list.Slots
	}
	tuesday := slots(t, "from=2026-11-24&days=1") // clear of the lead time as the clock runs
	good := bookingBody(tuesday[0].Start)
	with := func(old, new string) string { return strings.Replace(good, old, new, 1) }
	start := tuesday[0].Start.Format(time.RFC3339)
	huge := with(`"Amina Benali"`, `"`+strings.Repeat("A", api.MaxBodyBytes)+`"`)
	noToken := []string{"Authorization", ""}

	run(t, []exchange{
		{name: "health without token", method: "GET", path: "/v1/health", headers: noToken, status: 200},
		{name: "openapi.json without token", method: "GET", path: "/v1/openapi.json", headers: noToken, status: 200},

		{name: "services", method: "GET", path: "/v1/services", status: 200},
		{name: "services in French", method: "GET", path: "/v1/services?lang=fr", status: 200},
		{name: "services in an unknown language", method: "GET", path: "/v1/services?lang=xx", status: 200},
		{name: "services lang too long", method: "GET", path: "/v1/services?lang=" + strings.Repeat("x", 17), status: 422, code: "invalid", request: breaks},
		{name: "services without token", method: "GET", path: "/v1/services", headers: noToken, status: 401, code: "unauthorized", request: breaks},
		{name: "services with Basic", method: "GET", path: "/v1/services", headers: []string{"Authorization", "Basic " + deviceToken}, status: 401, code: "unauthorized", request: breaks},
		// The description cannot know which tokens the gateway knows.
		{name: "services unknown token", method: "GET", path: "/v1/services", headers: []string{"Authorization", "Bearer nope"}, status: 401, code: "unauthorized"},

		{name: "slots", method: "GET", path: "/v1/services/energie/slots", status: 200},
		{name: "slots for a day", method: "GET", path: "/v1/services/woonwijzer/slots?from=2026-11-24&days=1", status: 200},
		{name: "slots from yesterday", method: "GET", path: "/v1/services/energie/slots?from=2026-11-22&days=60", status: 200},
		{name: "slots on a closed day", method: "GET", path: "/v1/services/energie/slots?from=2026-11-28&days=1", status: 200},
		{name: "slots days 0", method: "GET", path: "/v1/services/energie/slots?days=0", status: 422, code: "invalid", request: breaks},
		{name: "slots days 61", method: "GET", path: "/v1/services/energie/slots?days=61", status: 422, code: "invalid", request: breaks},
		{name: "slots days not a number", method: "GET", path: "/v1/services/energie/slots?days=seven", status: 422, code: "invalid", request: breaks},
		{name: "slots from not a date", method: "GET", path: "/v1/services/energie/slots?from=24-11-2026", status: 422, code: "invalid", request: breaks},
		{name: "slots from long ago", method: "GET", path: "/v1/services/energie/slots?from=1999-01-01", status: 422, code: "invalid"},
		{name: "slots from far ahead", method: "GET", path: "/v1/services/energie/slots?from=2099-01-01", status: 422, code: "invalid"},
		{name: "slots unknown service", method: "GET", path: "/v1/services/nope/slots", status: 404, code: "not_found"},
		{name: "slots not by video", method: "GET", path: "/v1/services/burgerzaken/slots", status: 404, code: "not_found"},
		{name: "slots without token", method: "GET", path: "/v1/services/energie/slots", headers: noToken, status: 401, code: "unauthorized", request: breaks},

		{name: "help", method: "POST", path: "/v1/help-requests", body: `{"language":"ar","screen":"contact"}`, status: 202},
		{name: "help without screen", method: "POST", path: "/v1/help-requests", body: `{"language":"nl"}`, status: 202},
		{name: "help without Content-Type", method: "POST", path: "/v1/help-requests", body: `{"language":"nl"}`, headers: []string{"Content-Type", ""}, status: 202, request: breaksBody},
		{name: "help screen too long", method: "POST", path: "/v1/help-requests", body: `{"language":"nl","screen":"` + strings.Repeat("s", 40) + `"}`, status: 422, code: "invalid", request: breaksBody},
		{name: "help without language", method: "POST", path: "/v1/help-requests", body: `{"screen":"welcome"}`, status: 422, code: "invalid", request: breaksBody},
		{name: "help unknown field", method: "POST", path: "/v1/help-requests", body: `{"language":"nl","name":"Amina"}`, status: 400, code: "bad_request", request: breaksBody},
		{name: "help not JSON", method: "POST", path: "/v1/help-requests", body: `language=nl`, headers: []string{"Content-Type", "application/x-www-form-urlencoded"}, status: 415, code: "bad_request", request: breaksBody},
		{name: "help without token", method: "POST", path: "/v1/help-requests", body: `{"language":"nl"}`, headers: noToken, status: 401, code: "unauthorized", request: breaks},

		{name: "feedback", method: "POST", path: "/v1/feedback", body: `{"language":"tr","rating":4,"serviceId":"energie"}`, status: 202},
		{name: "feedback rating 9", method: "POST", path: "/v1/feedback", body: `{"language":"tr","rating":9}`, status: 422, code: "invalid", request: breaksBody},
		{name: "feedback without language", method: "POST", path: "/v1/feedback", body: `{"rating":3}`, status: 422, code: "invalid", request: breaksBody},
		{name: "feedback rating as text", method: "POST", path: "/v1/feedback", body: `{"language":"tr","rating":"4"}`, status: 400, code: "bad_request", request: breaksBody},
		{name: "feedback empty", method: "POST", path: "/v1/feedback", status: 400, code: "bad_request", request: breaksBody},
		{name: "feedback too large", method: "POST", path: "/v1/feedback", body: `{"language":"tr","rating":4,"serviceId":"` + strings.Repeat("e", api.MaxBodyBytes) + `"}`, status: 413, code: "too_large", request: breaksBody},

		{name: "unknown path", method: "GET", path: "/v1/nothing", status: 404, code: "no_route"},
		{name: "unknown path without token", method: "POST", path: "/v1/services/energie", headers: noToken, status: 404, code: "no_route"},
		{name: "appointment without code", method: "GET", path: "/v1/appointments/", status: 404, code: "no_route"},
		{name: "PUT services", method: "PUT", path: "/v1/services", status: 405, code: "method_not_allowed"},
		{name: "GET appointments", method: "GET", path: "/v1/appointments", status: 405, code: "method_not_allowed"},
		{name: "DELETE appointment", method: "DELETE", path: "/v1/appointments/AAA-AAA", status: 405, code: "method_not_allowed"},
		{name: "POST health without token", method: "POST", path: "/v1/health", headers: noToken, status: 405, code: "method_not_allowed"},
	})

	// Booking.
	key := []string{api.HeaderIdempotency, "conformance booking"}
	w := s.check(t, f.gw, exchange{name: "book", method: "POST", path: "/v1/appointments", body: good, headers: key, status: 201})
	var appt api.Appointment
	decode(t, w, http.StatusCreated, &appt)
	run(t, []exchange{
		{name: "book again with the same key", method: "POST", path: "/v1/appointments", body: good, headers: key, status: 201},
		{name: "book a taken slot", method: "POST", path: "/v1/appointments", body: good, status: 409, code: "slot_taken"},
		{name: "book with phone only", method: "POST", path: "/v1/appointments", body: strings.Replace(bookingBody(tuesday[1].Start), `"email":"amina@example.be",`, "", 1), status: 201},
		{name: "book empty body", method: "POST", path: "/v1/appointments", status: 400, code: "bad_request", request: breaksBody},
		{name: "book malformed JSON", method: "POST", path: "/v1/appointments", body: `{"serviceId":`, status: 400, code: "bad_request", request: breaksBody},
		{name: "book not an object", method: "POST", path: "/v1/appointments", body: `[1,2,3]`, status: 400, code: "bad_request", request: breaksBody},
		{name: "book wrong type", method: "POST", path: "/v1/appointments", body: with(`"interpreter":false`, `"interpreter":"yes"`), status: 400, code: "bad_request", request: breaksBody},
		{name: "book contact wrong type", method: "POST", path: "/v1/appointments", body: with(`"Amina Benali"`, `7`), status: 400, code: "bad_request", request: breaksBody},
		{name: "book unknown field", method: "POST", path: "/v1/appointments", body: with(`{`, `{"admin":true,`), status: 400, code: "bad_request", request: breaksBody},
		{name: "book time without offset", method: "POST", path: "/v1/appointments", body: with(start, "2026-11-24T09:00:00"), status: 400, code: "bad_request", request: breaksBody},
		{name: "book too large", method: "POST", path: "/v1/appointments", body: huge, status: 413, code: "too_large", request: follows}, // the 16 KiB limit is prose only
		{name: "book not JSON", method: "POST", path: "/v1/appointments", body: good, headers: []string{"Content-Type", "text/plain"}, status: 415, code: "bad_request", request: breaksBody},
		{name: "book without key", method: "POST", path: "/v1/appointments", body: good, headers: []string{api.HeaderIdempotency, ""}, status: 400, code: "bad_request", request: breaks},
		{name: "book key too long", method: "POST", path: "/v1/appointments", body: good, headers: []string{api.HeaderIdempotency, strings.Repeat("k", 129)}, status: 400, code: "bad_request", request: breaks},
		{name: "book key not ASCII", method: "POST", path: "/v1/appointments", body: good, headers: []string{api.HeaderIdempotency, "clé-1"}, status: 400, code: "bad_request", request: breaks},
		{name: "book invalid e-mail", method: "POST", path: "/v1/appointments", body: with("amina@example.be", "amina@@example"), status: 422, code: "invalid", request: breaksBody},
		{name: "book e-mail without dot", method: "POST", path: "/v1/appointments", body: with("amina@example.be", "amina@example"), status: 422, code: "invalid"},
		{name: "book invalid phone", method: "POST", path: "/v1/appointments", body: with("0470 12 34 56", "12345"), status: 422, code: "invalid"},
		{name: "book landline", method: "POST", path: "/v1/appointments", body: with("0470 12 34 56", "09 210 10 10"), status: 422, code: "invalid"},
		{name: "book blank name", method: "POST", path: "/v1/appointments", body: with("Amina Benali", ""), status: 422, code: "invalid", request: breaksBody},
		{name: "book no contact", method: "POST", path: "/v1/appointments", body: `{"serviceId":"energie","start":"` + start + `"}`, status: 422, code: "invalid", request: breaksBody},
		{name: "book unknown service", method: "POST", path: "/v1/appointments", body: with(`"energie"`, `"ruimtevaart"`), status: 422, code: "invalid"},
		{name: "book not by video", method: "POST", path: "/v1/appointments", body: with(`"energie"`, `"burgerzaken"`), status: 422, code: "invalid"},
		{name: "book far past", method: "POST", path: "/v1/appointments", body: with(start, "1999-01-04T10:00:00+01:00"), status: 422, code: "invalid"},
		{name: "book not a slot", method: "POST", path: "/v1/appointments", body: with(start, tuesday[0].Start.Add(7*time.Minute).Format(time.RFC3339)), status: 422, code: "invalid"},
		{name: "book in UTC", method: "POST", path: "/v1/appointments", body: with(start, tuesday[2].Start.UTC().Format(time.RFC3339)), status: 201},
		{name: "book without token", method: "POST", path: "/v1/appointments", body: good, headers: noToken, status: 401, code: "unauthorized", request: breaks},

		{name: "find by e-mail", method: "GET", path: "/v1/appointments/" + appt.Code + "?check=AMINA@example.be", status: 200},
		{name: "find by phone, code as typed", method: "GET", path: "/v1/appointments/" + strings.ToLower(strings.ReplaceAll(appt.Code, "-", "%20")) + "?check=3456", status: 200},
		{name: "find wrong check", method: "GET", path: "/v1/appointments/" + appt.Code + "?check=0000", status: 404, code: "not_found"},
		{name: "find unknown code", method: "GET", path: "/v1/appointments/AAA-AAA?check=3456", status: 404, code: "not_found"},
		{name: "find impossible code", method: "GET", path: "/v1/appointments/12?check=3456", status: 404, code: "not_found"},
		{name: "find without check", method: "GET", path: "/v1/appointments/" + appt.Code, status: 404, code: "not_found", request: breaks},
		{name: "find without token", method: "GET", path: "/v1/appointments/" + appt.Code + "?check=3456", headers: noToken, status: 401, code: "unauthorized", request: breaks},
	})
	// The code has had four of its five tries: wait them out.
	f.clock.Add(DefaultLimits.CodeEvery * time.Duration(DefaultLimits.CodeBurst))
	run(t, []exchange{
		{name: "cancel wrong check", method: "POST", path: "/v1/appointments/" + appt.Code + "/cancel", body: `{"check":"0000"}`, status: 404, code: "not_found"},
		{name: "cancel without check", method: "POST", path: "/v1/appointments/" + appt.Code + "/cancel", body: `{}`, status: 404, code: "not_found", request: breaksBody},
		{name: "cancel malformed", method: "POST", path: "/v1/appointments/" + appt.Code + "/cancel", body: `{"check":`, status: 400, code: "bad_request", request: breaksBody},
		{name: "cancel unknown field", method: "POST", path: "/v1/appointments/" + appt.Code + "/cancel", body: `{"check":"3456","code":"x"}`, status: 400, code: "bad_request", request: breaksBody},
		{name: "cancel not JSON", method: "POST", path: "/v1/appointments/" + appt.Code + "/cancel", body: `check=3456`, headers: []string{"Content-Type", "text/plain"}, status: 415, code: "bad_request", request: breaksBody},
		{name: "cancel too large", method: "POST", path: "/v1/appointments/" + appt.Code + "/cancel", body: `{"check":"` + strings.Repeat("3", api.MaxBodyBytes) + `"}`, status: 413, code: "too_large"},
		{name: "cancel without token", method: "POST", path: "/v1/appointments/" + appt.Code + "/cancel", body: `{"check":"3456"}`, headers: noToken, status: 401, code: "unauthorized", request: breaks},
		{name: "cancel", method: "POST", path: "/v1/appointments/" + appt.Code + "/cancel", body: `{"check":"amina@example.be"}`, status: 204},
		{name: "cancel again", method: "POST", path: "/v1/appointments/" + appt.Code + "/cancel", body: `{"check":"3456"}`, status: 204},
		{name: "find cancelled", method: "GET", path: "/v1/appointments/" + appt.Code + "?check=3456", status: 200},
	})

	// Rate limits: one code tried five times, then locked for lookups and
	// cancellations alike.
	var limited []exchange
	for i := range DefaultLimits.CodeBurst {
		limited = append(limited, exchange{name: "guess " + strconv.Itoa(i), method: "GET", path: "/v1/appointments/CCC-CCC?check=000" + strconv.Itoa(i), status: 404, code: "not_found"})
	}
	limited = append(limited,
		exchange{name: "find rate limited", method: "GET", path: "/v1/appointments/CCC-CCC?check=0009", status: 429, code: "rate_limited"},
		exchange{name: "cancel rate limited", method: "POST", path: "/v1/appointments/CCC-CCC/cancel", body: `{"check":"0009"}`, status: 429, code: "rate_limited"},
	)
	run(t, limited)

	// The booking system breaks down: the store is closed under the
	// gateway.
	f.store.Close()
	run(t, []exchange{
		{name: "services from the catalogue", method: "GET", path: "/v1/services", status: 200},
		{name: "slots unavailable", method: "GET", path: "/v1/services/energie/slots", status: 503, code: "unavailable"},
		{name: "book unavailable", method: "POST", path: "/v1/appointments", body: bookingBody(tuesday[3].Start), status: 503, code: "unavailable"},
		{name: "find unavailable", method: "GET", path: "/v1/appointments/DDD-DDD?check=3456", status: 503, code: "unavailable"},
		{name: "cancel unavailable", method: "POST", path: "/v1/appointments/DDD-DDD/cancel", body: `{"check":"3456"}`, status: 503, code: "unavailable"},
		{name: "help unavailable", method: "POST", path: "/v1/help-requests", body: `{"language":"nl"}`, status: 503, code: "unavailable"},
		{name: "feedback unavailable", method: "POST", path: "/v1/feedback", body: `{"language":"nl","rating":5}`, status: 503, code: "unavailable"},
	})
}

// brokenStore fails every call with an error that is not a domain error,
// as a faulty adapter might: the gateway answers 500 internal.
type brokenStore struct{}

var _ Store = brokenStore{}

var errBroken = errors.New("disk on fire")

func (brokenStore) Services(context.Context) ([]domain.Service, error) { return nil, errBroken }
func (brokenStore) Slots(context.Context, string, time.Time, int) ([]domain.Slot, error) {
	return nil, errBroken
}
func (brokenStore) Book(context.Context, domain.BookingRequest) (domain.Appointment, error) {
	return domain.Appointment{}, errBroken
}
func (brokenStore) BookOnce(context.Context, string, domain.BookingRequest) (domain.Appointment, error) {
	return domain.Appointment{}, errBroken
}
func (brokenStore) Find(context.Context, string, string) (domain.Appointment, error) {
	return domain.Appointment{}, errBroken
}
func (brokenStore) Cancel(context.Context, string, string) error          { return errBroken }
func (brokenStore) RequestHelp(context.Context, domain.HelpRequest) error { return errBroken }
func (brokenStore) SendFeedback(context.Context, domain.Feedback) error   { return errBroken }

func TestOpenAPIInternalErrors(t *testing.T) {
	s := loadSpec(t)
	gw := New(Options{Store: brokenStore{}, Devices: map[string]string{deviceToken: "stadskantoor-1"}, Now: func() time.Time { return monday }})
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, domain.Brussels)
	for _, ex := range []exchange{
		{name: "services", method: "GET", path: "/v1/services"},
		{name: "slots", method: "GET", path: "/v1/services/energie/slots"},
		{name: "book", method: "POST", path: "/v1/appointments", body: bookingBody(start)},
		{name: "find", method: "GET", path: "/v1/appointments/AAA-AAA?check=3456"},
		{name: "cancel", method: "POST", path: "/v1/appointments/AAA-AAA/cancel", body: `{"check":"3456"}`},
		{name: "help", method: "POST", path: "/v1/help-requests", body: `{"language":"nl"}`},
		{name: "feedback", method: "POST", path: "/v1/feedback", body: `{"language":"nl","rating":5}`},
	} {
		t.Run(ex.name, func(t *testing.T) {
			ex.status, ex.code = http.StatusInternalServerError, "internal"
			w := s.check(t, gw, ex)
			if strings.Contains(w.Body.String(), errBroken.Error()) {
				t.Errorf("the answer carries the cause: %s", w.Body)
			}
		})
	}
}

// routeList reads the routes that Gateway.routes registers from its source,
// as "METHOD /path".
func routeList(t *testing.T) []string {
	t.Helper()
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "gateway.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, decl := range file.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Name.Name != "routes" || fn.Recv == nil {
			continue
		}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok || len(lit.Elts) != 3 {
				return true
			}
			method, ok := stringLit(lit.Elts[0])
			if !ok {
				return true
			}
			path, ok := routePath(lit.Elts[1])
			if !ok {
				t.Fatalf("%s: cannot read the route's path", fset.Position(lit.Pos()))
			}
			out = append(out, method+" "+path)
			return false
		})
	}
	if len(out) == 0 {
		t.Fatal("no routes found in gateway.go")
	}
	slices.Sort(out)
	return out
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// routePath reads `p + "/health"`, where p is api.Prefix.
func routePath(e ast.Expr) (string, bool) {
	bin, ok := e.(*ast.BinaryExpr)
	if !ok || bin.Op != token.ADD {
		return stringLit(e)
	}
	if id, ok := bin.X.(*ast.Ident); !ok || id.Name != "p" {
		return "", false
	}
	rest, ok := stringLit(bin.Y)
	return api.Prefix + rest, ok
}

// Every route the gateway registers is in the description, and every
// operation in the description reaches a handler.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	s := loadSpec(t)
	var described []string
	for path, item := range s.doc.Paths.Map() {
		for method := range item.Operations() {
			described = append(described, method+" "+path)
		}
	}
	slices.Sort(described)
	registered := routeList(t)
	if !slices.Equal(described, registered) {
		t.Fatalf("routes in gateway.go:\n\t%s\noperations in openapi.json:\n\t%s",
			strings.Join(registered, "\n\t"), strings.Join(described, "\n\t"))
	}

	// And the handler agrees: each described operation is routed, and
	// every other method on its path gets 405.
	f := newFixture(t)
	sample := strings.NewReplacer("{id}", "energie", "{code}", "AAA-AAA")
	for _, op := range described {
		method, path, _ := strings.Cut(op, " ")
		path = sample.Replace(path)
		body := ""
		if method == http.MethodPost {
			body = "{}"
		}
		if code := errorCodeOf(f.call(method, path, body)); code == api.CodeNoRoute || code == api.CodeMethodNotAllowed {
			t.Errorf("%s: %s", op, code)
		}
		for _, other := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
			if other == method {
				continue
			}
			w := f.call(other, path, "")
			allow := method
			if method == http.MethodGet {
				allow = "GET, HEAD"
			}
			if w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != allow {
				t.Errorf("%s %s: %d Allow=%q, want 405 Allow=%s", other, path, w.Code, w.Header().Get("Allow"), allow)
			}
		}
	}
}

// errorCodeOf is the code of an error answer, or "" for any other.
func errorCodeOf(w *httptest.ResponseRecorder) string {
	var body api.ErrorBody
	if json.Unmarshal(w.Body.Bytes(), &body) != nil {
		return ""
	}
	return body.Error.Code
}
