package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"maps"
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
	"github.com/digitalebalie/balie/app/store"
	"github.com/digitalebalie/balie/i18n"
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
	// Checked when set: the error's exact message and fields, headers of
	// the answer (name, value pairs), and a string the answer must not
	// repeat.
	message string
	fields  map[string]string
	answer  []string
	hidden  string
}

// authenticate is the description's view of the device and staff tokens:
// a bearer token must be there, the scheme word in any case (RFC 9110, and
// the description says so). Whether the gateway knows the token is not the
// description's business, so "Bearer nope" follows it.
func authenticate(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	if in.SecurityScheme == nil || in.SecurityScheme.Type != "http" || in.SecurityScheme.Scheme != "bearer" {
		return errors.New("unexpected security scheme")
	}
	scheme, token, ok := strings.Cut(in.RequestValidationInput.Request.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
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
	if ex.message != "" || ex.fields != nil {
		var body api.ErrorBody
		json.Unmarshal(w.Body.Bytes(), &body)
		if ex.message != "" && body.Error.Message != ex.message {
			t.Errorf("message %q, want %q", body.Error.Message, ex.message)
		}
		if ex.fields != nil && !maps.Equal(body.Error.Fields, ex.fields) {
			t.Errorf("fields %v, want %v", body.Error.Fields, ex.fields)
		}
	}
	for i := 0; i+1 < len(ex.answer); i += 2 {
		if got := w.Header().Values(ex.answer[i]); len(got) != 1 || got[0] != ex.answer[i+1] {
			t.Errorf("%s: %q, want %q", ex.answer[i], got, ex.answer[i+1])
		}
	}
	if ex.hidden != "" && strings.Contains(strings.ToLower(w.Body.String()), strings.ToLower(ex.hidden)) {
		t.Errorf("the answer repeats %q: %s", ex.hidden, w.Body)
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
		if len(list.Slots) < 6 {
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
		{name: "services unknown token", method: "GET", path: "/v1/services", headers: []string{"Authorization", "Bearer nope"}, status: 401, code: "unauthorized",
			answer: []string{"WWW-Authenticate", `Bearer realm="balie-gateway"`}},
		// The scheme word is case-insensitive (RFC 9110).
		{name: "services bearer in lower case", method: "GET", path: "/v1/services", headers: []string{"Authorization", "bearer " + deviceToken}, status: 200},
		{name: "services BEARER in upper case", method: "GET", path: "/v1/services", headers: []string{"Authorization", "BEARER " + deviceToken}, status: 200},

		{name: "slots", method: "GET", path: "/v1/services/energie/slots", status: 200},
		{name: "slots for a day", method: "GET", path: "/v1/services/woonwijzer/slots?from=2026-11-24&days=1", status: 200},
		{name: "slots from yesterday", method: "GET", path: "/v1/services/energie/slots?from=2026-11-22&days=60", status: 200},
		{name: "slots on a closed day", method: "GET", path: "/v1/services/energie/slots?from=2026-11-28&days=1", status: 200},
		{name: "slots days 0", method: "GET", path: "/v1/services/energie/slots?days=0", status: 422, code: "invalid", request: breaks},
		{name: "slots days 61", method: "GET", path: "/v1/services/energie/slots?days=61", status: 422, code: "invalid", request: breaks},
		// Query parameters: unreadable is 400, readable but refused is 422.
		{name: "slots days not a number", method: "GET", path: "/v1/services/energie/slots?days=seven", status: 400, code: "bad_request", request: breaks,
			message: "a query parameter cannot be read; see fields", fields: map[string]string{"days": "wrong_type"}},
		{name: "slots days a fraction", method: "GET", path: "/v1/services/energie/slots?days=1.5", status: 400, code: "bad_request", request: breaks,
			fields: map[string]string{"days": "wrong_type"}},
		{name: "slots days beyond any int", method: "GET", path: "/v1/services/energie/slots?days=99999999999999999999", status: 422, code: "invalid", request: breaks,
			fields: map[string]string{"days": "out_of_range"}},
		{name: "slots from not a date", method: "GET", path: "/v1/services/energie/slots?from=24-11-2026", status: 400, code: "bad_request", request: breaks,
			fields: map[string]string{"from": "invalid_date"}},
		{name: "slots from no such day", method: "GET", path: "/v1/services/energie/slots?from=2026-02-30", status: 400, code: "bad_request", request: breaks,
			fields: map[string]string{"from": "invalid_date"}},
		{name: "slots both unreadable", method: "GET", path: "/v1/services/energie/slots?from=soon&days=seven", status: 400, code: "bad_request", request: breaks,
			fields: map[string]string{"from": "invalid_date", "days": "wrong_type"}},
		{name: "slots days 0 from not a date", method: "GET", path: "/v1/services/energie/slots?from=soon&days=0", status: 400, code: "bad_request", request: breaks,
			fields: map[string]string{"from": "invalid_date"}},
		{name: "slots from long ago", method: "GET", path: "/v1/services/energie/slots?from=1999-01-01", status: 422, code: "invalid"},
		{name: "slots from far ahead", method: "GET", path: "/v1/services/energie/slots?from=2099-01-01", status: 422, code: "invalid"},
		{name: "slots unknown service", method: "GET", path: "/v1/services/nope/slots", status: 404, code: "not_found", message: "no such service"},
		{name: "slots not by video", method: "GET", path: "/v1/services/burgerzaken/slots", status: 404, code: "not_found", message: "no such service"},
		{name: "slots without token", method: "GET", path: "/v1/services/energie/slots", headers: noToken, status: 401, code: "unauthorized", request: breaks},

		// No more than DefaultLimits.HelpBurst accepted help requests here,
		// nor FeedbackBurst ratings below: the kiosk's budget refills slowly.
		{name: "help", method: "POST", path: "/v1/help-requests", body: `{"language":"ar","screen":"contact"}`, status: 202},
		{name: "help without screen", method: "POST", path: "/v1/help-requests", body: `{"language":"nl"}`, status: 202},
		{name: "help without Content-Type", method: "POST", path: "/v1/help-requests", body: `{"language":"nl"}`, headers: []string{"Content-Type", ""}, status: 202, request: breaksBody},
		{name: "help screen too long", method: "POST", path: "/v1/help-requests", body: `{"language":"nl","screen":"` + strings.Repeat("s", 40) + `"}`, status: 422, code: "invalid", request: breaksBody},
		{name: "help without language", method: "POST", path: "/v1/help-requests", body: `{"screen":"welcome"}`, status: 422, code: "invalid", request: breaksBody},
		{name: "help unknown field", method: "POST", path: "/v1/help-requests", body: `{"language":"nl","name":"Amina"}`, status: 400, code: "bad_request", request: breaksBody},
		{name: "help not JSON", method: "POST", path: "/v1/help-requests", body: `language=nl`, headers: []string{"Content-Type", "application/x-www-form-urlencoded"}, status: 415, code: "bad_request", request: breaksBody},
		{name: "help without token", method: "POST", path: "/v1/help-requests", body: `{"language":"nl"}`, headers: noToken, status: 401, code: "unauthorized", request: breaks},

		{name: "feedback", method: "POST", path: "/v1/feedback", body: `{"language":"tr","rating":4,"serviceId":"energie"}`, status: 202},
		// Content-Type: the media type in any case, and no parameter but
		// charset=utf-8.
		{name: "feedback Application/JSON", method: "POST", path: "/v1/feedback", body: `{"language":"tr","rating":4}`, headers: []string{"Content-Type", "Application/JSON"}, status: 202},
		{name: "feedback charset=utf-8", method: "POST", path: "/v1/feedback", body: `{"language":"tr","rating":4}`, headers: []string{"Content-Type", "application/json; charset=utf-8"}, status: 202},
		{name: "feedback charset=UTF-8", method: "POST", path: "/v1/feedback", body: `{"language":"tr","rating":4}`, headers: []string{"Content-Type", "application/json;charset=\"UTF-8\""}, status: 202},
		{name: "feedback json-seq", method: "POST", path: "/v1/feedback", body: `{"language":"tr","rating":4}`, headers: []string{"Content-Type", "application/json-seq"}, status: 415, code: "bad_request", request: breaksBody},
		{name: "feedback jsonpatch", method: "POST", path: "/v1/feedback", body: `{"language":"tr","rating":4}`, headers: []string{"Content-Type", "application/jsonpatch"}, status: 415, code: "bad_request", request: breaksBody},
		{name: "feedback Latin-1", method: "POST", path: "/v1/feedback", body: `{"language":"tr","rating":4}`, headers: []string{"Content-Type", "application/json; charset=iso-8859-1"}, status: 415, code: "bad_request"}, // prose only, as the next one
		{name: "feedback unparsable type", method: "POST", path: "/v1/feedback", body: `{"language":"tr","rating":4}`, headers: []string{"Content-Type", "application/json; charset"}, status: 415, code: "bad_request"},
		{name: "feedback rating a fraction", method: "POST", path: "/v1/feedback", body: `{"language":"tr","rating":4.5}`, status: 400, code: "bad_request", request: breaksBody,
			message: "a field must be a JSON number; see fields", fields: map[string]string{"rating": "wrong_type"}},
		{name: "feedback null", method: "POST", path: "/v1/feedback", body: `null`, status: 400, code: "bad_request", request: breaksBody,
			message: "the request body must be one JSON object"},
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
		{name: "book unknown field", method: "POST", path: "/v1/appointments", body: with(`{`, `{"admin":true,`), status: 400, code: "bad_request", request: breaksBody,
			message: "the request body has a field this operation does not take; see fields", fields: map[string]string{"admin": "unknown_field"}},
		{name: "book time without offset", method: "POST", path: "/v1/appointments", body: with(start, "2026-11-24T09:00:00"), status: 400, code: "bad_request", request: breaksBody,
			fields: map[string]string{"start": "invalid_date"}},
		// Keys: each once, in the exact case, named by JSON path, and never
		// repeated unless they look like field names.
		{name: "book a key twice", method: "POST", path: "/v1/appointments", body: with(`{`, `{"serviceId":"ruimtevaart",`), status: 400, code: "bad_request", request: follows, // prose only: JSON Schema cannot see it
			fields: map[string]string{"serviceId": "duplicate_field"}},
		{name: "book a key twice in two cases", method: "POST", path: "/v1/appointments", body: with(`"serviceId":"energie"`, `"serviceId":"energie","SERVICEID":"ruimtevaart"`), status: 400, code: "bad_request", request: breaksBody,
			message: "field names are case-sensitive, and one differs from the API's only in case; see fields", fields: map[string]string{"SERVICEID": "wrong_case"}},
		{name: "book a key in another case", method: "POST", path: "/v1/appointments", body: with(`"serviceId"`, `"ServiceID"`), status: 400, code: "bad_request", request: breaksBody,
			message: "field names are case-sensitive, and one differs from the API's only in case; see fields", fields: map[string]string{"ServiceID": "wrong_case"}},
		{name: "book a nested key in another case", method: "POST", path: "/v1/appointments", body: with(`"email"`, `"Email"`), status: 400, code: "bad_request", request: breaksBody,
			fields: map[string]string{"contact.Email": "wrong_case"}},
		{name: "book a nested key twice", method: "POST", path: "/v1/appointments", body: with(`"name":"Amina Benali"`, `"name":"Amina Benali","name":"Someone Else"`), status: 400, code: "bad_request", request: follows,
			fields: map[string]string{"contact.name": "duplicate_field"}},
		{name: "book a nested unknown field", method: "POST", path: "/v1/appointments", body: with(`"name":`, `"nickname":"Mina","name":`), status: 400, code: "bad_request", request: breaksBody,
			fields: map[string]string{"contact.nickname": "unknown_field"}},
		{name: "book a nested wrong type", method: "POST", path: "/v1/appointments", body: with(`"0470 12 34 56"`, `470123456`), status: 400, code: "bad_request", request: breaksBody,
			message: "a field must be a JSON string; see fields", fields: map[string]string{"contact.phone": "wrong_type"}},
		{name: "book contact not an object", method: "POST", path: "/v1/appointments", body: `{"serviceId":"energie","start":"` + start + `","contact":"Amina"}`, status: 400, code: "bad_request", request: breaksBody,
			fields: map[string]string{"contact": "wrong_type"}},
		{name: "book an e-mail address as key", method: "POST", path: "/v1/appointments", body: with(`{`, `{"mina.peeters@example.be":true,`), status: 400, code: "bad_request", request: breaksBody,
			message: "the request body has a field this operation does not take; see fields", fields: map[string]string{"(invalid key)": "unknown_field"}, hidden: "peeters"},
		{name: "book markup as nested key", method: "POST", path: "/v1/appointments", body: with(`"name":`, `"<svg onload=1>":1,"name":`), status: 400, code: "bad_request", request: breaksBody,
			fields: map[string]string{"contact.(invalid key)": "unknown_field"}, hidden: "svg"},
		{name: "book a language not offered", method: "POST", path: "/v1/appointments", body: bookingBodyFor(tuesday[5].Start, "Joris Peeters", "joris@example.be", "", "xx"), status: 422, code: "invalid", request: breaksBody,
			fields: map[string]string{"language": "not_offered"}},
		{name: "book a language in another case", method: "POST", path: "/v1/appointments", body: bookingBodyFor(tuesday[5].Start, "Joris Peeters", "joris@example.be", "", "FR"), status: 422, code: "invalid", request: breaksBody,
			fields: map[string]string{"language": "not_offered"}},
		{name: "book in Dari", method: "POST", path: "/v1/appointments", body: bookingBodyFor(tuesday[5].Start, "Joris Peeters", "joris@example.be", "", "fa-AF"), status: 201},
		{name: "book too large", method: "POST", path: "/v1/appointments", body: huge, status: 413, code: "too_large", request: follows}, // the 16 KiB limit is prose only
		{name: "book not JSON", method: "POST", path: "/v1/appointments", body: good, headers: []string{"Content-Type", "text/plain"}, status: 415, code: "bad_request", request: breaksBody},
		{name: "book without key", method: "POST", path: "/v1/appointments", body: good, headers: []string{api.HeaderIdempotency, ""}, status: 400, code: "bad_request", request: breaks},
		{name: "book key too long", method: "POST", path: "/v1/appointments", body: good, headers: []string{api.HeaderIdempotency, strings.Repeat("k", 129)}, status: 400, code: "bad_request", request: breaks},
		{name: "book key not ASCII", method: "POST", path: "/v1/appointments", body: good, headers: []string{api.HeaderIdempotency, "clé-1"}, status: 400, code: "bad_request", request: breaks},
		{name: "book invalid e-mail", method: "POST", path: "/v1/appointments", body: with("amina@example.be", "amina@@example"), status: 422, code: "invalid", request: breaksBody},
		{name: "book e-mail without dot", method: "POST", path: "/v1/appointments", body: with("amina@example.be", "amina@example"), status: 422, code: "invalid"},
		{name: "book invalid phone", method: "POST", path: "/v1/appointments", body: with("0470 12 34 56", "12345"), status: 422, code: "invalid"},
		{name: "book landline", method: "POST", path: "/v1/appointments", body: with("0470 12 34 56", "09 234 56 78"), status: 422, code: "invalid"},
		{name: "book blank name", method: "POST", path: "/v1/appointments", body: with("Amina Benali", ""), status: 422, code: "invalid", request: breaksBody},
		{name: "book no contact", method: "POST", path: "/v1/appointments", body: `{"serviceId":"energie","start":"` + start + `"}`, status: 422, code: "invalid", request: breaksBody},
		{name: "book unknown service", method: "POST", path: "/v1/appointments", body: with(`"energie"`, `"ruimtevaart"`), status: 422, code: "invalid"},
		{name: "book not by video", method: "POST", path: "/v1/appointments", body: with(`"energie"`, `"burgerzaken"`), status: 422, code: "invalid"},
		{name: "book far past", method: "POST", path: "/v1/appointments", body: with(start, "1999-01-04T10:00:00+01:00"), status: 422, code: "invalid"},
		{name: "book not a slot", method: "POST", path: "/v1/appointments", body: with(start, tuesday[0].Start.Add(7*time.Minute).Format(time.RFC3339)), status: 422, code: "invalid"},
		{name: "book in UTC", method: "POST", path: "/v1/appointments", body: with(start, tuesday[2].Start.UTC().Format(time.RFC3339)), status: 201},
		// Amina's mobile number now has three appointments to come.
		{name: "book over the contact quota", method: "POST", path: "/v1/appointments", body: bookingBody(tuesday[4].Start), status: 409, code: "contact_quota"},
		{name: "book without token", method: "POST", path: "/v1/appointments", body: good, headers: noToken, status: 401, code: "unauthorized", request: breaks},

		{name: "find by e-mail", method: "GET", path: "/v1/appointments/" + appt.Code + "?check=AMINA@example.be", status: 200},
		{name: "find by phone, code as typed", method: "GET", path: "/v1/appointments/" + strings.ToLower(strings.ReplaceAll(appt.Code, "-", "%20")) + "?check=3456", status: 200},
		{name: "find wrong check", method: "GET", path: "/v1/appointments/" + appt.Code + "?check=0000", status: 404, code: "not_found"},
		{name: "find unknown code", method: "GET", path: "/v1/appointments/AAA-AAA?check=3456", status: 404, code: "not_found"},
		{name: "find impossible code", method: "GET", path: "/v1/appointments/12?check=3456", status: 404, code: "not_found"},
		{name: "find without check", method: "GET", path: "/v1/appointments/" + appt.Code, status: 404, code: "not_found", request: breaks},
		{name: "find without token", method: "GET", path: "/v1/appointments/" + appt.Code + "?check=3456", headers: noToken, status: 401, code: "unauthorized", request: breaks},
	})
	// The kiosk has spent its lookup budget: wait it out.
	f.clock.Add(DefaultLimits.DeviceEvery * time.Duration(DefaultLimits.DeviceBurst))
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

	// Rate limits: a kiosk tries ten codes, then it is held up for lookups
	// and cancellations alike.
	f.clock.Add(DefaultLimits.DeviceEvery * time.Duration(DefaultLimits.DeviceBurst))
	var limited []exchange
	for i := range DefaultLimits.DeviceBurst {
		limited = append(limited, exchange{name: "guess " + strconv.Itoa(i), method: "GET", path: "/v1/appointments/CCC-CCC?check=000" + strconv.Itoa(i), status: 404, code: "not_found"})
	}
	limited = append(limited,
		exchange{name: "find rate limited", method: "GET", path: "/v1/appointments/CCC-CCC?check=0009", status: 429, code: "rate_limited"},
		exchange{name: "cancel rate limited", method: "POST", path: "/v1/appointments/CCC-CCC/cancel", body: `{"check":"0009"}`, status: 429, code: "rate_limited"},
	)
	for _, ex := range limited { // at once: no time to refill
		t.Run(ex.name, func(t *testing.T) { s.check(t, f.gw, ex) })
	}

	// Help requests and ratings: each kiosk's own budget, spent at once.
	f.clock.Add(time.Hour) // everything refilled
	var signals []exchange
	for i := range DefaultLimits.HelpBurst {
		signals = append(signals, exchange{name: "help " + strconv.Itoa(i), method: "POST", path: "/v1/help-requests", body: `{"language":"nl"}`, status: 202})
	}
	signals = append(signals,
		exchange{name: "help refused costs nothing", method: "POST", path: "/v1/help-requests", body: `{"screen":"welcome"}`, status: 422, code: "invalid", request: breaksBody},
		exchange{name: "help rate limited", method: "POST", path: "/v1/help-requests", body: `{"language":"nl"}`, status: 429, code: "rate_limited",
			answer: []string{"Retry-After", seconds(DefaultLimits.HelpEvery)}})
	for i := range DefaultLimits.FeedbackBurst {
		signals = append(signals, exchange{name: "feedback " + strconv.Itoa(i), method: "POST", path: "/v1/feedback", body: `{"language":"nl","rating":5}`, status: 202})
	}
	signals = append(signals,
		exchange{name: "feedback rate limited", method: "POST", path: "/v1/feedback", body: `{"language":"nl","rating":5}`, status: 429, code: "rate_limited",
			answer: []string{"Retry-After", seconds(DefaultLimits.FeedbackEvery)}})
	for _, ex := range signals { // at once: no time to refill
		t.Run(ex.name, func(t *testing.T) { s.check(t, f.gw, ex) })
	}

	// Staff: their own token and realm, and the query rule.
	staffGW := New(Options{Store: f.store, Devices: map[string]string{deviceToken: "stadskantoor-1"},
		Staff: map[string]string{staffToken: "onthaal"}, Now: f.clock.Now})
	staff := []string{"Authorization", "Bearer " + staffToken}
	staffRealm := []string{"WWW-Authenticate", `Bearer realm="balie-gateway-staff"`}
	for _, ex := range []exchange{
		{name: "staff notices", method: "GET", path: "/v1/staff/notices", headers: staff, status: 200},
		{name: "staff notices sent", method: "GET", path: "/v1/staff/notices?state=sent", headers: staff, status: 200},
		{name: "staff bearer in lower case", method: "GET", path: "/v1/staff/notices", headers: []string{"Authorization", "bearer " + staffToken}, status: 200},
		{name: "staff unknown state", method: "GET", path: "/v1/staff/notices?state=lost", headers: staff, status: 400, code: "bad_request", request: breaks,
			message: "a query parameter cannot be read; see fields", fields: map[string]string{"state": "invalid"}},
		{name: "staff with a device token", method: "GET", path: "/v1/staff/notices", status: 401, code: "unauthorized", answer: staffRealm},
		{name: "staff without token", method: "GET", path: "/v1/staff/notices", headers: noToken, status: 401, code: "unauthorized", request: breaks, answer: staffRealm},
		{name: "device route on the staff gateway", method: "GET", path: "/v1/services", headers: staff, status: 401, code: "unauthorized",
			answer: []string{"WWW-Authenticate", `Bearer realm="balie-gateway"`}},
	} {
		t.Run(ex.name, func(t *testing.T) { s.check(t, staffGW, ex) })
	}

	// The booking system breaks down: the store is closed under the
	// gateway.
	f.clock.Add(time.Hour) // the kiosk's budgets refilled
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

// A kiosk over its hourly bookings gets 429 device_quota with Retry-After,
// as the description says.
func TestOpenAPIDeviceQuota(t *testing.T) {
	s := loadSpec(t)
	f := newFixture(t, func(o *store.Options) { o.DeviceBookingsPerHour = 2 })
	var list api.SlotList
	decode(t, f.call("GET", "/v1/services/energie/slots?from=2026-11-24&days=1", ""), http.StatusOK, &list)
	if len(list.Slots) < 3 {
		t.Fatalf("%d free slots", len(list.Slots))
	}
	for i, who := range []string{"An", "Bram", "Carla"} {
		ex := exchange{name: who, method: "POST", path: "/v1/appointments", status: 201,
			body: bookingBodyFor(list.Slots[i].Start, who+" Peeters", strings.ToLower(who)+"@example.be", "", "nl")}
		if i == 2 {
			ex.status, ex.code = http.StatusTooManyRequests, "device_quota"
			ex.answer = []string{"Retry-After", "3600"} // the first booking leaves the hour
		}
		t.Run(ex.name, func(t *testing.T) { s.check(t, f.gw, ex) })
	}
}

// bookingBodyFor is a booking by someone else than bookingBody's visitor.
func bookingBodyFor(start time.Time, name, email, phone, lang string) string {
	b, _ := json.Marshal(api.BookingRequest{
		ServiceID: "energie", Start: start, Language: lang,
		Contact: api.Contact{Name: name, Email: email, Phone: phone},
	})
	return string(b)
}

// seconds is d as a Retry-After value.
func seconds(d time.Duration) string { return strconv.Itoa(int(d.Seconds())) }

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

// The description's prose names the numbers the code uses: the offered
// languages, the kiosk's budgets, the quotas and the short check's tries.
// A limit changed in Go without the description fails here.
func TestOpenAPIProseMatchesTheCode(t *testing.T) {
	s := loadSpec(t)
	var prose strings.Builder
	prose.WriteString(s.doc.Info.Description)
	for _, item := range s.doc.Paths.Map() {
		for _, op := range item.Operations() {
			prose.WriteString(op.Description)
		}
	}
	text := prose.String()
	every := func(d time.Duration) string {
		if d%time.Minute == 0 {
			return strconv.Itoa(int(d/time.Minute)) + " minutes"
		}
		return strconv.Itoa(int(d/time.Second)) + " seconds"
	}
	for _, want := range []string{
		strconv.Itoa(DefaultLimits.DeviceBurst) + " at once and then one more every " + every(DefaultLimits.DeviceEvery),
		strconv.Itoa(DefaultLimits.HelpBurst) + " at once and then one more every " + every(DefaultLimits.HelpEvery),
		strconv.Itoa(DefaultLimits.FeedbackBurst) + " at once and then one more every " + every(DefaultLimits.FeedbackEvery),
		"after " + strconv.Itoa(domain.ShortCheckTries) + " wrong checks",
		strconv.Itoa(domain.MaxFutureAppointments) + " appointments still to come",
		"must be one of the " + strconv.Itoa(len(i18n.Offered)) + " languages the kiosk offers",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the description does not say %q", want)
		}
	}

	// A booking's language: empty, or one the kiosk offers, in the enum
	// and in the prose.
	lang := s.doc.Components.Schemas["BookingRequest"].Value.Properties["language"].Value
	var enum []string
	for _, v := range lang.Enum {
		enum = append(enum, v.(string))
	}
	if want := append([]string{""}, i18n.Tags()...); !slices.Equal(enum, want) {
		t.Errorf("BookingRequest.language enum %q, want %q", enum, want)
	}
	for _, tag := range i18n.Tags() {
		if !strings.Contains(s.doc.Info.Description, "`"+tag+"`") {
			t.Errorf("the introduction does not list %s", tag)
		}
	}
}
