package gateway

import (
	"bytes"
	stdjson "encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/api"
	"github.com/digitalebalie/balie/app/domain"
)

// The fuzz targets of this file send arbitrary bodies to every POST route
// besides the booking (FuzzBookingBody): whatever a kiosk or a member of
// staff sends, the gateway answers with one of the route's statuses, never
// a 5xx; an error answer is the API's error envelope and repeats nothing
// the caller sent; an accepted body, re-encoded the way the kiosk's client
// encodes it (encoding/json), decodes to the same value. Seed corpora in
// testdata/fuzz/<name>; run one for longer with
//
//	go test ./app/gateway -run '^$' -fuzz '^FuzzVisitsBody$' -fuzztime 30s
//
// or all of them with bash .ci/fuzz.

// FuzzBodyRoundTrip: the body decoder on its own, for every request type
// (FuzzDecodeBody in decode_test.go probes it with a made-up type).
// An accepted body round-trips; a refused one is a 400 or 413 envelope.
func FuzzBodyRoundTrip(f *testing.F) {
	for _, s := range []string{
		`{"check":"amina@example.be"}`, `{"id":"h-1","language":"ar","screen":"contact","location":"Stadskantoor"}`,
		`{"language":"tr","rating":4,"serviceId":"energie","suggestion":"grotere knoppen"}`,
		`{"visits":[{"id":"v-1","start":"2026-11-23T10:00:00.5+01:00","durationSeconds":240,"language":"nl","outcome":"booked"}]}`,
		`{"name":"an","password":"geheim-an"}`, `{"state":"on-the-way"}`,
		`{"serviceId":"energie","start":"2026-11-24T09:00:00+01:00","contact":{"name":"An","email":"a@b.be"}}`,
		`{"check":"a","check":"b"}`, `{"Check":"x"}`, `{"chéck":1}`, `{"visits":[{"start":"24:00"}]}`,
		`{"start":"2026-11-24T09:00:00.123456789-23:59"}`, `{"rating":1e400}`, `{"rating":-0}`, `{} {}`, `[`, "\xff",
		`{"a\u0000b":null}`, `{"visits":[` + strings.Repeat(`{},`, 50) + `{}]}`,
	} {
		f.Add(s)
	}
	types := []func() any{
		func() any { return new(api.BookingRequest) }, func() any { return new(api.CancelRequest) },
		func() any { return new(api.HelpRequest) }, func() any { return new(api.Feedback) },
		func() any { return new(api.VisitBatch) }, func() any { return new(api.StaffSignIn) },
		func() any { return new(api.HelpStateChange) },
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, newV := range types {
			v := newV()
			if e := fuzzDecode(body, v); e != nil {
				if e.status != http.StatusBadRequest && e.status != http.StatusRequestEntityTooLarge {
					t.Fatalf("%T: status %d for %q", v, e.status, body)
				}
				w := httptest.NewRecorder()
				writeError(w, e.status, e.body)
				fuzzEnvelope(t, w)
				continue
			}
			fuzzRoundTrip(t, v, body)
		}
	})
}

// FuzzCancelBody: POST /v1/appointments/{code}/cancel with any code and
// body. "{code}" in the code stands for the fixture's booking, whose owner
// check is amina@example.be. Only the owner's check cancels.
func FuzzCancelBody(f *testing.F) {
	fx, gw := fuzzGateway(f)
	code := fuzzBook(f, fx)
	for _, s := range [][2]string{
		{"{code}", `{"check":"amina@example.be"}`}, {"{code}", `{"check":"3456"}`}, {"{code}", `{"check":"0470 12 34 56"}`},
		{"{code}", `{"check":"AMINA@EXAMPLE.BE "}`}, {"{code}", `{"check":""}`}, {"{code}", `{}`}, {"{code}", `{"check":null}`},
		{"k7m-4pq", `{"check":"x"}`}, {"", `{"check":"x"}`}, {"..", `{}`}, {"a/b", `{}`}, {"{code}", `{"check":["amina@example.be"]}`},
		{"{code}", `{"check":"amina@example.be","reason":"ziek"}`}, {"{code}", `{"check":"\u0000"}`}, {"%2F", "\x00"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, c, body string) {
		c = strings.ReplaceAll(c, "{code}", code)
		w := fuzzPost(gw, "/v1/appointments/", c, "/cancel", body, deviceToken)
		if fuzzUnclean(t, c, w) {
			return
		}
		fuzzAnswer(t, w, body, 204, 400, 404, 413, 422)
		if w.Code == http.StatusNoContent {
			var req api.CancelRequest
			fuzzRoundTrip(t, &req, body)
			owner := domain.Appointment{Contact: domain.Contact{Email: "amina@example.be", Phone: "+32470123456"}}
			if domain.NormalizeCode(c) != code || !owner.MatchesCheck(req.Check, true) {
				t.Fatalf("cancelled %q with check %q", c, req.Check)
			}
		}
	})
}

// FuzzHelpBody: POST /v1/help-requests. A 202 is only for a request that
// validates, and carries an id.
func FuzzHelpBody(f *testing.F) {
	_, gw := fuzzGateway(f)
	for _, s := range []string{
		`{"language":"ar","screen":"contact"}`, `{"id":"h-77","language":"ar","screen":"contact","location":"Stadskantoor"}`,
		`{"id":"../../x","language":"nl"}`, `{"id":"` + strings.Repeat("a", 41) + `","language":"nl"}`,
		`{"language":"` + strings.Repeat("x", 17) + `"}`, `{"language":"nl","location":"` + strings.Repeat("é", 65) + `"}`,
		`{"language":"nl","screen":"<script>"}`, `{"language":""}`, `{"language":1}`, `{"LANGUAGE":"nl"}`, `{"language":"nl","device":"x"}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		w := fuzzPost(gw, "/v1/help-requests", "", "", body, deviceToken)
		fuzzAnswer(t, w, body, 202, 400, 413, 422)
		if w.Code == http.StatusAccepted {
			var req api.HelpRequest
			fuzzRoundTrip(t, &req, body)
			if err := domain.ValidateHelpRequest(domain.HelpRequest{Ref: req.ID, Language: req.Language, Screen: req.Screen, Location: req.Location}); err != nil {
				t.Fatalf("accepted %q: %v", body, err)
			}
			var acc api.Accepted
			if stdjson.Unmarshal(w.Body.Bytes(), &acc) != nil || acc.ID == "" {
				t.Fatalf("202 with %s", w.Body)
			}
		}
	})
}

// FuzzFeedbackBody: POST /v1/feedback. A 202 is only for a rating of 1 to
// 5, or none with a suggestion.
func FuzzFeedbackBody(f *testing.F) {
	_, gw := fuzzGateway(f)
	for _, s := range []string{
		`{"language":"tr","rating":4}`, `{"language":"nl","rating":5,"serviceId":"energie","suggestion":"grotere letters"}`,
		`{"language":"nl","suggestion":"mail me op an@example.be of 0470 12 34 56, code K7M-4PQ"}`,
		`{"language":"nl","rating":0,"suggestion":"   "}`, `{"language":"nl","rating":6}`, `{"language":"nl","rating":-1}`,
		`{"language":"nl","rating":4.5}`, `{"language":"nl","rating":"4"}`, `{"language":"nl","rating":9223372036854775808}`,
		`{"language":"nl","suggestion":"` + strings.Repeat("ü", 501) + `"}`, `{"rating":3}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		w := fuzzPost(gw, "/v1/feedback", "", "", body, deviceToken)
		fuzzAnswer(t, w, body, 202, 400, 413, 422)
		if w.Code == http.StatusAccepted {
			var req api.Feedback
			fuzzRoundTrip(t, &req, body)
			if req.Rating < 0 || req.Rating > 5 || req.Language == "" {
				t.Fatalf("accepted %q", body)
			}
		}
	})
}

// FuzzVisitsBody: POST /v1/visits. A 200 counts every visit of the batch,
// each one valid, and what is counted is what the kiosk sent: the
// durations in seconds come back unchanged from the stored visit.
func FuzzVisitsBody(f *testing.F) {
	_, gw := fuzzGateway(f)
	visit := func(fields string) string {
		return `{"visits":[{"id":"v-1","start":"2026-11-23T10:00:00+01:00","language":"nl","outcome":"booked"` + fields + `}]}`
	}
	for _, s := range []string{
		visit(`,"durationSeconds":240,"toBookSeconds":200,"theme":"energie","score":5,"readAloud":true`),
		visit(`,"durationSeconds":86401`), visit(`,"durationSeconds":-1`), visit(`,"toBookSeconds":10`), visit(`,"score":6`),
		visit(`,"durationSeconds":9223372036854775807`), visit(`,"durationSeconds":1e3`), visit(`,"name":"Amina"`),
		`{"visits":[]}`, `{"visits":null}`, `{"visits":[{"id":"v-2","start":"0001-01-01T00:00:00Z","language":"nl","outcome":"joined"}]}`,
		`{"visits":[{"id":"v-3","start":"9999-12-31T23:59:59.999999999-23:59","language":"nl","outcome":"timed-out"}]}`,
		`{"visits":[` + strings.Repeat(`{"id":"v","start":"2026-11-23T10:00:00Z","language":"nl","outcome":"help"},`, 100) + `{}]}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		w := fuzzPost(gw, "/v1/visits", "", "", body, deviceToken)
		fuzzAnswer(t, w, body, 200, 400, 413, 422)
		if w.Code != http.StatusOK {
			return
		}
		var batch api.VisitBatch
		fuzzRoundTrip(t, &batch, body)
		var rec api.VisitsRecorded
		if stdjson.Unmarshal(w.Body.Bytes(), &rec) != nil || rec.Recorded+rec.Duplicates != len(batch.Visits) {
			t.Fatalf("200 with %s for %d visits", w.Body, len(batch.Visits))
		}
		for _, v := range batch.Visits {
			kept := api.FromVisit(v.ToVisit("kiosk"))
			if kept.DurationSeconds != v.DurationSeconds || kept.ToBookSeconds != v.ToBookSeconds {
				t.Fatalf("sent durationSeconds %d, toBookSeconds %d; counted %d, %d",
					v.DurationSeconds, v.ToBookSeconds, kept.DurationSeconds, kept.ToBookSeconds)
			}
		}
	})
}

// FuzzStaffSignInBody: POST /v1/staff/sessions from a kiosk. A session is
// only ever made for the right name and password of a role that may use
// it; a wrong one is a 401 that says which realm.
func FuzzStaffSignInBody(f *testing.F) {
	_, gw := fuzzGateway(f)
	for _, s := range []string{
		`{"name":"an","password":"geheim-an"}`, `{"name":"mo","password":"geheim-mo"}`, `{"name":"an","password":"nee"}`,
		`{"name":"locked","password":"x"}`, `{"name":"cas","password":"geheim-cas"}`, `{"name":"an"}`, `{}`,
		`{"name":"an","password":"geheim-an","role":"admin"}`, `{"Name":"an","password":"geheim-an"}`,
		`{"name":"an","password":"geheim-an","name":"mo"}`, `{"name":"an\u0000","password":"geheim-an\u0000"}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		w := fuzzPost(gw, "/v1/staff/sessions", "", "", body, deviceToken)
		fuzzAnswer(t, w, body, 201, 400, 401, 403, 413, 429)
		switch w.Code {
		case http.StatusCreated:
			var req api.StaffSignIn
			fuzzRoundTrip(t, &req, body)
			var sess api.StaffSession
			if stdjson.Unmarshal(w.Body.Bytes(), &sess) != nil || sess.Token == "" || sess.Name != req.Name ||
				(req.Name != "an" && req.Name != "mo") || req.Password != "geheim-"+req.Name {
				t.Fatalf("201 %s for %q", w.Body, body)
			}
		case http.StatusUnauthorized:
			if w.Header().Get("WWW-Authenticate") == "" {
				t.Fatalf("401 without WWW-Authenticate for %q", body)
			}
		}
	})
}

// FuzzHelpStateBody: POST /v1/staff/help-requests/{id} by a staff tool,
// with any id and body. "{id}" in the id stands for the fixture's open
// help request. Only on-the-way and handled are states.
func FuzzHelpStateBody(f *testing.F) {
	fx, gw := fuzzGateway(f)
	id := fuzzHelpRequest(f, fx, gw)
	for _, s := range [][2]string{
		{"{id}", `{"state":"on-the-way"}`}, {"{id}", `{"state":"handled"}`}, {"{id}", `{"state":"open"}`}, {"{id}", `{"state":"lunch"}`},
		{"{id}", `{"state":""}`}, {"{id}", `{"state":"ON-THE-WAY"}`}, {"{id}", `{"state":"handled","takenBy":"x"}`},
		{"nope", `{"state":"handled"}`}, {"", `{"state":"handled"}`}, {"{id}x", `{"state":"handled"}`}, {"a b", `{}`},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, target, body string) {
		target = strings.ReplaceAll(target, "{id}", id)
		w := fuzzPost(gw, "/v1/staff/help-requests/", target, "", body, staffToken)
		if fuzzUnclean(t, target, w) {
			return
		}
		fuzzAnswer(t, w, body, 204, 400, 404, 413, 422)
		if w.Code == http.StatusNoContent {
			var req api.HelpStateChange
			fuzzRoundTrip(t, &req, body)
			if target != id || req.State != string(domain.HelpOnTheWay) && req.State != string(domain.HelpHandled) {
				t.Fatalf("204 for id %q, state %q", target, req.State)
			}
		}
	})
}

// fuzzGateway is the fixture's store behind a gateway that knows a staff
// tool (staffToken) and the fake back office fakeSignIn, with
// limits roomy enough that the fuzzer reaches the store, not the 429.
func fuzzGateway(f *testing.F) (*fixture, *Gateway) {
	fx := newFixture(f)
	roomy := Limits{MaxBuckets: 100}
	roomy.DeviceEvery, roomy.HelpEvery, roomy.FeedbackEvery, roomy.HelpStateEvery, roomy.VisitsEvery =
		time.Nanosecond, time.Nanosecond, time.Nanosecond, time.Nanosecond, time.Nanosecond
	roomy.DeviceBurst, roomy.HelpBurst, roomy.FeedbackBurst, roomy.HelpStateBurst, roomy.VisitsBurst =
		1<<30, 1<<30, 1<<30, 1<<30, 1<<30
	gw := New(Options{Store: fx.store, Devices: map[string]string{deviceToken: "stadskantoor-1"},
		Staff: map[string]string{staffToken: "rapport"}, StaffSignIn: fakeSignIn, Now: fx.clock.Now, Limits: roomy})
	return fx, gw
}

// fuzzBook makes the booking FuzzCancelBody cancels, and returns its code.
func fuzzBook(f *testing.F, fx *fixture) string {
	var list api.SlotList
	if err := stdjson.Unmarshal(fx.call("GET", "/v1/services/energie/slots?days=3", "").Body.Bytes(), &list); err != nil || len(list.Slots) == 0 {
		f.Fatalf("no slots: %v", err)
	}
	var appt api.Appointment
	w := fx.call("POST", "/v1/appointments", bookingBody(list.Slots[0].Start))
	if err := stdjson.Unmarshal(w.Body.Bytes(), &appt); err != nil || w.Code != http.StatusCreated {
		f.Fatalf("booking: %d %s", w.Code, w.Body)
	}
	return appt.Code
}

// fuzzHelpRequest asks for help as the kiosk and returns the id staff see.
func fuzzHelpRequest(f *testing.F, fx *fixture, gw *Gateway) string {
	if w := fuzzPost(gw, "/v1/help-requests", "", "", `{"id":"h-1","language":"ar","screen":"contact"}`, deviceToken); w.Code != http.StatusAccepted {
		f.Fatalf("help: %d %s", w.Code, w.Body)
	}
	var q api.HelpQueue
	w := call(gw, "GET", "/v1/staff/help-requests", "", "Bearer "+staffToken)
	if err := stdjson.Unmarshal(w.Body.Bytes(), &q); err != nil || len(q.HelpRequests) != 1 {
		f.Fatalf("queue: %s", w.Body)
	}
	return q.HelpRequests[0].ID
}

// fuzzPost sends body to prefix+id+suffix as the holder of token, with id
// escaped as one path segment, the way the kiosk's client sends it.
func fuzzPost(gw *Gateway, prefix, id, suffix, body, token string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", "/", strings.NewReader(body))
	req.URL.Path = prefix + id + suffix
	req.URL.RawPath = prefix + url.PathEscape(id) + suffix
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	gw.ServeHTTP(w, req)
	return w
}

// fuzzUnclean tells whether id makes the path unclean ("//", "/../"):
// the router redirects such a path before any handler runs, so only "no
// 5xx" is asked of it.
func fuzzUnclean(t *testing.T, id string, w *httptest.ResponseRecorder) bool {
	t.Helper()
	if id != "" && id != "." && id != ".." {
		return false
	}
	if w.Code >= 500 {
		t.Fatalf("status %d for id %q: %s", w.Code, id, w.Body)
	}
	return true
}

var (
	// fuzzFieldPath is a field's name in an error's fields: plausible keys
	// and "(invalid key)" joined by dots, array indexes ("[2]", also for a
	// key of digits), or a header's name.
	fuzzFieldPath = regexp.MustCompile(`^(\[[0-9]+\]|[A-Za-z0-9_]{1,64}|\(invalid key\))(\[[0-9]+\]|\.([A-Za-z0-9_]{1,64}|\(invalid key\)))*$|^Idempotency-Key$`)
	// fuzzReason is why a field was refused: a word of the API's.
	fuzzReason = regexp.MustCompile(`^[a-z_]{1,32}$`)
	// fuzzSentence is an error message: fixed English words, never the
	// caller's (no quotes, @, <, non-ASCII).
	fuzzSentence = regexp.MustCompile(`^[A-Za-z0-9 ,;:.()'+-]+$`)
	// fuzzKnownCodes are the codes an error envelope may carry.
	fuzzKnownCodes = []string{
		string(domain.ESlotTaken), string(domain.ENotFound), string(domain.EUnavailable), string(domain.EInvalid),
		string(domain.ERateLimited), string(domain.EInternal), string(domain.EContactQuota), string(domain.EDeviceQuota),
		api.CodeBadRequest, api.CodeTooLarge, api.CodeUnauthorized, api.CodeForbidden, api.CodeRateLimited,
		api.CodeMethodNotAllowed, api.CodeNoRoute,
	}
)

// fuzzAnswer fails unless the answer's status is one of want (never a
// 5xx), and an error answer is the API's envelope.
func fuzzAnswer(t *testing.T, w *httptest.ResponseRecorder, body string, want ...int) {
	t.Helper()
	if !slices.Contains(want, w.Code) {
		t.Fatalf("status %d (want one of %v) for body %q: %s", w.Code, want, body, w.Body)
	}
	if w.Code >= 400 {
		fuzzEnvelope(t, w)
	}
}

// fuzzEnvelope fails unless w holds one JSON error envelope with a known
// code, a fixed sentence and plausible field names and reasons.
func fuzzEnvelope(t *testing.T, w *httptest.ResponseRecorder) {
	t.Helper()
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("error answer of type %q: %s", ct, w.Body)
	}
	var e api.ErrorBody
	dec := stdjson.NewDecoder(bytes.NewReader(w.Body.Bytes()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil || dec.More() {
		t.Fatalf("not an error envelope (%v): %s", err, w.Body)
	}
	if !slices.Contains(fuzzKnownCodes, e.Error.Code) || !fuzzSentence.MatchString(e.Error.Message) {
		t.Fatalf("error code %q, message %q", e.Error.Code, e.Error.Message)
	}
	for path, reason := range e.Error.Fields {
		if !fuzzFieldPath.MatchString(path) || !fuzzReason.MatchString(reason) {
			t.Fatalf("error field %q: %q", path, reason)
		}
	}
}

// fuzzDecode decodes body as the gateway decodes a request's.
func fuzzDecode(body string, v any) *apiError {
	req := httptest.NewRequest("POST", "/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	return decodeBody(httptest.NewRecorder(), req, v)
}

// fuzzRoundTrip decodes an accepted body into v, as the gateway did, and
// checks that the kiosk's client (encoding/json) encodes that value into a
// body the gateway reads back the same.
func fuzzRoundTrip(t *testing.T, v any, body string) {
	t.Helper()
	if e := fuzzDecode(body, v); e != nil {
		t.Fatalf("accepted %q, but it does not decode: %+v", body, e.body)
	}
	again, err := stdjson.Marshal(v)
	if err != nil {
		t.Fatalf("%q decodes to %+v, which does not encode: %v", body, v, err)
	}
	back := reflect.New(reflect.TypeOf(v).Elem()).Interface()
	if e := fuzzDecode(string(again), back); e != nil {
		t.Fatalf("%q re-encoded as %s is refused: %+v", body, again, e.body)
	}
	if third, _ := stdjson.Marshal(back); !bytes.Equal(third, again) {
		t.Fatalf("%q re-encoded as %s comes back as %s", body, again, third)
	}
}
