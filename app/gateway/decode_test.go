package gateway

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/api"
)

// probe is a request type with every shape the walk knows: nested and
// pointed-to structs, arrays, maps, free values, numbers of several sizes,
// a time, a field without a tag and one left out of JSON.
type probe struct {
	Name  string            `json:"name"`
	Count int               `json:"count"`
	Small int8              `json:"small"`
	Ratio float64           `json:"ratio"`
	OK    bool              `json:"ok"`
	At    time.Time         `json:"at"`
	Inner probeInner        `json:"inner"`
	Ptr   *probeInner       `json:"ptr"`
	List  []probeInner      `json:"list"`
	Tags  map[string]string `json:"tags"`
	Any   any               `json:"any"`
	Skip  string            `json:"-"`
	Plain string
}

type probeInner struct {
	Name string `json:"name"`
	N    int    `json:"n,omitempty"`
}

// decodeProbe runs decodeBody on body with the given Content-Type headers
// (none when nil).
func decodeProbe(t *testing.T, body string, contentTypes ...string) (*probe, *apiError) {
	t.Helper()
	r := httptest.NewRequest("POST", "/v1/probe", strings.NewReader(body))
	for _, ct := range contentTypes {
		r.Header.Add("Content-Type", ct)
	}
	var p probe
	e := decodeBody(httptest.NewRecorder(), r, &p)
	return &p, e
}

func TestContentType(t *testing.T) {
	for _, tc := range []struct {
		headers []string // Content-Type headers, none when nil
		json    bool
	}{
		{nil, true}, // curl and older kiosks send none
		{[]string{""}, true},
		{[]string{"application/json"}, true},
		{[]string{"Application/JSON"}, true}, // media types are case-insensitive (RFC 9110)
		{[]string{"application/json; charset=utf-8"}, true},
		{[]string{"APPLICATION/JSON; CHARSET=UTF-8"}, true},
		{[]string{`application/json;charset="utf-8"`}, true},
		{[]string{"application/json ; charset=utf-8"}, true},
		{[]string{"application/jsonpatch"}, false}, // was taken for JSON by its prefix
		{[]string{"application/json-seq"}, false},
		{[]string{"application/jsonx"}, false},
		{[]string{"application/json+x"}, false},
		{[]string{"application/problem+json"}, false},
		{[]string{"text/json"}, false},
		{[]string{"text/plain"}, false},
		{[]string{"application/x-www-form-urlencoded"}, false},
		{[]string{"application/json; charset=iso-8859-1"}, false}, // JSON is UTF-8
		{[]string{"application/json; charset=utf-16"}, false},
		{[]string{"application/json; profile=x"}, false},
		{[]string{"application/json; charset"}, false}, // unparsable
		{[]string{"application/json,text/plain"}, false},
		{[]string{"application/json", "application/json"}, false}, // which one counts?
		{[]string{"application/json", "text/plain"}, false},
	} {
		_, e := decodeProbe(t, `{"name":"x"}`, tc.headers...)
		switch {
		case tc.json && e != nil:
			t.Errorf("%q: refused with %d %+v", tc.headers, e.status, e.body)
		case !tc.json && (e == nil || e.status != http.StatusUnsupportedMediaType):
			t.Errorf("%q: %+v, want 415", tc.headers, e)
		case !tc.json && (e.body.Error.Code != api.CodeBadRequest || e.body.Error.Message != "the request body must be application/json"):
			t.Errorf("%q: body %+v", tc.headers, e.body)
		}
	}
}

// messages are every sentence decodeBody may send, with the byte offset of
// a syntax error taken out: none repeats what the client sent.
var messages = []string{
	"the request body is empty",
	"the request body could not be read",
	"the request body ends in the middle of a JSON value",
	"the request body is not valid JSON (at byte N)",
	"the request body is not valid JSON",
	"the request body must be one JSON object",
	"the request body has data after its JSON object",
	"the request body has a field this operation does not take; see fields",
	"field names are case-sensitive, and one differs from the API's only in case; see fields",
	"the request body names a field twice; see fields",
	"a field must be a JSON string; see fields",
	"a field must be a JSON number; see fields",
	"a field must be a JSON boolean; see fields",
	"a field must be a JSON object; see fields",
	"a field must be a JSON array; see fields",
	"a field must be a JSON value; see fields",
	"times must be RFC 3339 with an offset, such as 2026-11-24T10:00:00+01:00",
	"the request body does not have the expected shape",
	"the request body must be application/json",
}

var byteOffset = regexp.MustCompile(`\(at byte [0-9]+\)`)

// fixedMessage tells whether msg is one of the fixed sentences.
func fixedMessage(msg string) bool {
	for _, m := range messages {
		if byteOffset.ReplaceAllString(msg, "(at byte N)") == m {
			return true
		}
	}
	return false
}

func TestBodyKeysAndTypes(t *testing.T) {
	long := strings.Repeat("k", 64)
	deep := strings.Repeat("[", 2000) + strings.Repeat("]", 2000)
	for _, tc := range []struct {
		name, body string
		fields     map[string]string // nil: the body is accepted
		message    string            // checked when set
	}{
		{"all shapes", `{"name":"a","count":-3,"small":127,"ratio":0.5,"ok":true,"at":"2026-11-24T09:00:00+01:00",
			"inner":{"name":"b","n":1},"ptr":{"name":"c"},"list":[{"name":"d"},{"name":"e"}],"tags":{"a":"1","b":"2"},
			"any":{"x":[1,{"y":null}],"X2":"free"},"Plain":"p"}`, nil, ""},
		{"nulls", `{"inner":null,"ptr":null,"list":null,"tags":null,"any":null,"at":null,"name":null}`, nil, ""},
		{"escaped key", `{"na\u006de":"x"}`, nil, ""}, // the same key, written otherwise
		{"deep free value", `{"any":` + deep + `}`, nil, ""},

		// Twice: encoding/json would keep the last.
		{"root twice", `{"name":"a","name":"b"}`, map[string]string{"name": "duplicate_field"},
			"the request body names a field twice; see fields"},
		// The same name in another case names no field: encoding/json would
		// have taken it.
		{"root twice in two cases", `{"name":"a","NAME":"b"}`, map[string]string{"NAME": "wrong_case"}, ""},
		{"nested twice", `{"inner":{"name":"a","name":"b"}}`, map[string]string{"inner.name": "duplicate_field"}, ""},
		{"pointed-to twice", `{"ptr":{"n":1,"N":2}}`, map[string]string{"ptr.N": "wrong_case"}, ""},
		{"in an array", `{"list":[{"name":"a"},{"name":"b","Name":"c"}]}`, map[string]string{"list[1].Name": "wrong_case"}, ""},
		{"in a map", `{"tags":{"a":"1","a":"2"}}`, map[string]string{"tags.a": "duplicate_field"}, ""},
		{"map keys are data, in any case", `{"tags":{"lang":"1","LANG":"2"}}`, nil, ""},
		{"in a free value", `{"any":[{"k":1,"k":2}]}`, map[string]string{"any[0].k": "duplicate_field"}, ""},
		{"free value twice", `{"any":1,"any":2}`, map[string]string{"any": "duplicate_field"}, ""},

		// Another case: encoding/json would take it.
		{"root in another case", `{"Name":"a"}`, map[string]string{"Name": "wrong_case"},
			"field names are case-sensitive, and one differs from the API's only in case; see fields"},
		{"nested in another case", `{"inner":{"NAME":"a"}}`, map[string]string{"inner.NAME": "wrong_case"}, ""},
		{"untagged field in another case", `{"plain":"a"}`, map[string]string{"plain": "wrong_case"}, ""},
		{"Kelvin sign", `{"o\u212a":true}`, map[string]string{"(invalid key)": "unknown_field"}, ""}, // EqualFold says "ok"
		{"long s", `{"Plaſn":"a"}`, map[string]string{"(invalid key)": "unknown_field"}, ""},

		// Unknown, named by path.
		{"root unknown", `{"nickname":"a"}`, map[string]string{"nickname": "unknown_field"},
			"the request body has a field this operation does not take; see fields"},
		{"nested unknown", `{"inner":{"nickname":"a"}}`, map[string]string{"inner.nickname": "unknown_field"}, ""},
		{"unknown in an array", `{"list":[{"name":"a"},{"x":1}]}`, map[string]string{"list[1].x": "unknown_field"}, ""},
		{"left out of JSON", `{"Skip":"a"}`, map[string]string{"Skip": "unknown_field"}, ""},
		{"dash", `{"-":"a"}`, map[string]string{"(invalid key)": "unknown_field"}, ""},
		{"64 characters", `{"` + long + `":1}`, map[string]string{long: "unknown_field"}, ""},
		{"65 characters", `{"` + long + `k":1}`, map[string]string{"(invalid key)": "unknown_field"}, ""},
		{"empty key", `{"":1}`, map[string]string{"(invalid key)": "unknown_field"}, ""},
		{"e-mail address", `{"amina@example.be":1}`, map[string]string{"(invalid key)": "unknown_field"}, ""},
		{"markup", `{"inner":{"<svg onload=1>":1}}`, map[string]string{"inner.(invalid key)": "unknown_field"}, ""},
		{"map key in a path", `{"tags":{"amina@example.be":7}}`, map[string]string{"tags.(invalid key)": "wrong_type"}, ""},

		// Wrong types, named by path.
		{"string as number", `{"count":"3"}`, map[string]string{"count": "wrong_type"}, "a field must be a JSON number; see fields"},
		{"fraction as int", `{"count":1.5}`, map[string]string{"count": "wrong_type"}, ""},
		{"exponent as int", `{"count":1e3}`, map[string]string{"count": "wrong_type"}, ""},
		{"over int8", `{"small":128}`, map[string]string{"small": "wrong_type"}, ""},
		{"over int64", `{"count":9223372036854775808}`, map[string]string{"count": "wrong_type"}, ""},
		{"number as string", `{"name":7}`, map[string]string{"name": "wrong_type"}, "a field must be a JSON string; see fields"},
		{"nested number as string", `{"inner":{"name":7}}`, map[string]string{"inner.name": "wrong_type"}, ""},
		{"string as bool", `{"ok":"yes"}`, map[string]string{"ok": "wrong_type"}, "a field must be a JSON boolean; see fields"},
		{"string as object", `{"inner":"x"}`, map[string]string{"inner": "wrong_type"}, "a field must be a JSON object; see fields"},
		{"object as array", `{"list":{}}`, map[string]string{"list": "wrong_type"}, "a field must be a JSON array; see fields"},
		{"array as string", `{"list":[{"name":[]}]}`, map[string]string{"list[0].name": "wrong_type"}, ""},
		{"number in a map", `{"tags":{"a":1}}`, map[string]string{"tags.a": "wrong_type"}, ""},
		{"time as number", `{"at":5}`, map[string]string{"at": "wrong_type"}, "a field must be a JSON string; see fields"},
		{"time without offset", `{"at":"2026-11-24T09:00:00"}`, map[string]string{"at": "invalid_date"},
			"times must be RFC 3339 with an offset, such as 2026-11-24T10:00:00+01:00"},

		// Not one object.
		{"empty", ``, map[string]string{}, "the request body is empty"},
		{"blank", " \n", map[string]string{}, "the request body is empty"},
		{"null", `null`, map[string]string{}, "the request body must be one JSON object"},
		{"array", `[{"name":"a"}]`, map[string]string{}, "the request body must be one JSON object"},
		{"string", `"name"`, map[string]string{}, "the request body must be one JSON object"},
		{"two objects", `{}{}`, map[string]string{}, "the request body has data after its JSON object"},
		{"junk after", `{"name":"a"} x`, map[string]string{}, "the request body has data after its JSON object"},
		{"cut short", `{"name":`, map[string]string{}, "the request body ends in the middle of a JSON value"},
		{"cut in a key", `{"na`, map[string]string{}, "the request body ends in the middle of a JSON value"},
		{"no colon", `{"name" "a"}`, map[string]string{}, "the request body is not valid JSON (at byte 8)"},
		{"single quotes", `{'name':'a'}`, map[string]string{}, ""},
		{"trailing comma", `{"name":"a",}`, map[string]string{}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, e := decodeProbe(t, tc.body, "application/json")
			if tc.fields == nil {
				if e != nil {
					t.Fatalf("refused: %d %+v", e.status, e.body)
				}
				return
			}
			if e == nil {
				t.Fatal("accepted")
			}
			if e.status != http.StatusBadRequest || e.body.Error.Code != api.CodeBadRequest {
				t.Fatalf("%d %+v, want 400 bad_request", e.status, e.body)
			}
			if got := e.body.Error.Fields; !maps.Equal(got, tc.fields) {
				t.Errorf("fields %v, want %v", got, tc.fields)
			}
			if tc.message != "" && e.body.Error.Message != tc.message {
				t.Errorf("message %q, want %q", e.body.Error.Message, tc.message)
			}
			if !fixedMessage(e.body.Error.Message) {
				t.Errorf("message %q is not one of the fixed sentences", e.body.Error.Message)
			}
		})
	}
}

// What the walk accepts decodes as encoding/json alone would decode it.
func TestAcceptedBodiesDecodeAsUsual(t *testing.T) {
	body := `{"name":"a","count":-3,"small":127,"ratio":0.5,"ok":true,"at":"2026-11-24T09:00:00Z",` +
		`"inner":{"name":"b","n":1},"ptr":{"name":"c"},"list":[{"name":"d"}],"tags":{"a":"1"},"any":[1,"x"],"Plain":"p"}`
	got, e := decodeProbe(t, body)
	if e != nil {
		t.Fatalf("refused: %+v", e.body)
	}
	var want probe
	if err := json.Unmarshal([]byte(body), &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*got, want) {
		t.Fatalf("decoded %+v, want %+v", *got, want)
	}
}

// No answer repeats a key or a value the client sent, whatever the kind of
// mistake, in the message or, unless it is a plausible field name, in the
// fields.
func TestDecodeErrorsNeverRepeatTheBody(t *testing.T) {
	for _, secret := range []string{"amina.peeters@example.be", "<svg onload=1>", `"><img src=x>`, "0470 12 34 56", "Ünïcødé", strings.Repeat("x", 65)} {
		key, _ := json.Marshal(secret)
		for _, body := range []string{
			`{` + string(key) + `:1}`,
			`{"inner":{` + string(key) + `:1}}`,
			`{"list":[{"name":"a"},{` + string(key) + `:true}]}`,
			`{"tags":{` + string(key) + `:5}}`,
			`{"tags":{` + string(key) + `:"a",` + string(key) + `:"b"}}`,
			`{"any":{` + string(key) + `:1,` + string(key) + `:2}}`,
			`{"count":` + string(key) + `}`,
			`{"at":` + string(key) + `}`,
			`{"name":` + string(key) + `,"name":` + string(key) + `}`,
			`[` + string(key) + `]`,
			`{"name":"a"}` + string(key),
			`{"name":` + string(key),
			string(key),
		} {
			_, e := decodeProbe(t, body)
			if e == nil {
				t.Errorf("%s: accepted", body)
				continue
			}
			answer, _ := json.Marshal(e.body)
			if strings.Contains(string(answer), strings.Trim(string(key), `"`)) || strings.Contains(string(answer), secret) {
				t.Errorf("%s: the answer repeats it: %s", body, answer)
			}
			if !fixedMessage(e.body.Error.Message) {
				t.Errorf("%s: message %q is not one of the fixed sentences", body, e.body.Error.Message)
			}
			for path := range e.body.Error.Fields {
				for _, seg := range strings.Split(path, ".") {
					seg, _, _ = strings.Cut(seg, "[")
					if seg != invalidKey && !plausibleKey.MatchString(seg) {
						t.Errorf("%s: path %q has segment %q", body, path, seg)
					}
				}
			}
		}
	}
}

// The rule that hides implausible keys can never hide a real field: every
// request body's field names are plausible. And otherCase knows every
// field: it does not follow embedded structs, so none may be embedded.
func TestRequestFieldNamesArePlausible(t *testing.T) {
	var check func(reflect.Type)
	check = func(t0 reflect.Type) {
		for f := range t0.Fields() {
			if f.Anonymous {
				t.Errorf("%s embeds %s, which otherCase does not follow", t0, f.Type)
			}
		}
		for name, ft := range fieldNames(t0) {
			if !plausibleKey.MatchString(name) {
				t.Errorf("%s: field name %q would be reported as %s", t0, name, invalidKey)
			}
			if ft.Kind() == reflect.Struct && ft != reflect.TypeFor[time.Time]() {
				check(ft)
			}
		}
	}
	for _, v := range []any{api.BookingRequest{}, api.CancelRequest{}, api.HelpRequest{}, api.Feedback{}} {
		check(reflect.TypeOf(v))
	}
}

// Through the gateway: a booking's nested fields are named by path, and the
// query parameters follow one rule (400 unreadable, 422 refused).
func TestBookingKeysThroughTheGateway(t *testing.T) {
	f := newFixture(t)
	good := bookingBody(f.firstSlot(t).Start)
	for _, tc := range []struct {
		name, body string
		fields     map[string]string
	}{
		{"serviceId twice", strings.Replace(good, `"serviceId":"energie"`, `"serviceId":"energie","serviceId":"ruimtevaart"`, 1),
			map[string]string{"serviceId": "duplicate_field"}},
		{"serviceId twice in two cases", strings.Replace(good, `"serviceId":"energie"`, `"serviceId":"energie","SERVICEID":"ruimtevaart"`, 1),
			map[string]string{"SERVICEID": "wrong_case"}},
		{"serviceId in another case", strings.Replace(good, `"serviceId"`, `"ServiceID"`, 1), map[string]string{"ServiceID": "wrong_case"}},
		{"nickname in contact", strings.Replace(good, `"name":`, `"nickname":"Mina","name":`, 1), map[string]string{"contact.nickname": "unknown_field"}},
		{"phone as a number", strings.Replace(good, `"0470 12 34 56"`, `470123456`, 1), map[string]string{"contact.phone": "wrong_type"}},
	} {
		w := f.call("POST", "/v1/appointments", tc.body)
		var body api.ErrorBody
		decode(t, w, http.StatusBadRequest, &body)
		if body.Error.Code != api.CodeBadRequest || !maps.Equal(body.Error.Fields, tc.fields) {
			t.Errorf("%s: %s, want fields %v", tc.name, w.Body, tc.fields)
		}
	}
	if n, _ := f.store.CountAppointments(); n != 0 {
		t.Errorf("refused bodies booked %d appointments", n)
	}
}

func TestQueryParametersFollowOneRule(t *testing.T) {
	f := newFixture(t)
	staffGW := New(Options{Store: f.store, Staff: map[string]string{staffToken: "onthaal"}, Now: f.clock.Now})
	for _, tc := range []struct {
		path   string
		status int
		fields map[string]string
	}{
		{"/v1/services/energie/slots?days=seven", 400, map[string]string{"days": "wrong_type"}},
		{"/v1/services/energie/slots?days=-", 400, map[string]string{"days": "wrong_type"}},
		{"/v1/services/energie/slots?days=2.0", 400, map[string]string{"days": "wrong_type"}},
		{"/v1/services/energie/slots?from=24-11-2026", 400, map[string]string{"from": "invalid_date"}},
		{"/v1/services/energie/slots?from=2026-11-24T00:00:00Z", 400, map[string]string{"from": "invalid_date"}},
		{"/v1/services/energie/slots?from=x&days=y", 400, map[string]string{"from": "invalid_date", "days": "wrong_type"}},
		{"/v1/services/energie/slots?from=x&days=0", 400, map[string]string{"from": "invalid_date"}}, // unreadable first
		{"/v1/services/energie/slots?days=0", 422, map[string]string{"days": "out_of_range"}},
		{"/v1/services/energie/slots?days=-1", 422, map[string]string{"days": "out_of_range"}},
		{"/v1/services/energie/slots?days=61", 422, map[string]string{"days": "out_of_range"}},
		{"/v1/services/energie/slots?days=99999999999999999999", 422, map[string]string{"days": "out_of_range"}},
		{"/v1/services/energie/slots?from=1999-01-01", 422, map[string]string{"from": "out_of_range"}},
		{"/v1/services/energie/slots?from=1999-01-01&days=61", 422, map[string]string{"from": "out_of_range", "days": "out_of_range"}},
		{"/v1/services/energie/slots?days=&from=", 200, nil},       // empty is absent
		{"/v1/services/energie/slots?days=2&days=seven", 200, nil}, // the first counts
		{"/v1/services/energie/slots?unknown=1", 200, nil},         // not listed: ignored
		{"/v1/services?lang=" + strings.Repeat("x", 17), 422, map[string]string{"lang": "too_long"}},
		{"staff:/v1/staff/notices?state=lost", 400, map[string]string{"state": "invalid"}},
		{"staff:/v1/staff/notices?state=FAILED", 400, map[string]string{"state": "invalid"}},
		{"staff:/v1/staff/notices?state=", 200, nil},
	} {
		var w *httptest.ResponseRecorder
		if path, ok := strings.CutPrefix(tc.path, "staff:"); ok {
			req := httptest.NewRequest("GET", path, nil)
			req.Header.Set("Authorization", "Bearer "+staffToken)
			w = httptest.NewRecorder()
			staffGW.ServeHTTP(w, req)
		} else {
			w = f.call("GET", tc.path, "")
		}
		if w.Code != tc.status {
			t.Errorf("%s: %d, want %d (%s)", tc.path, w.Code, tc.status, w.Body)
			continue
		}
		if tc.fields == nil {
			continue
		}
		var body api.ErrorBody
		json.Unmarshal(w.Body.Bytes(), &body)
		wantCode := map[int]string{400: api.CodeBadRequest, 422: "invalid"}[tc.status]
		if body.Error.Code != wantCode || !maps.Equal(body.Error.Fields, tc.fields) {
			t.Errorf("%s: %s, want %s with fields %v", tc.path, w.Body, wantCode, tc.fields)
		}
	}
}

// An unknown service's 404 keeps the code not_found, so the kiosk's client
// needs no change, but not the sentence about booking codes.
func TestUnknownServiceHasItsOwnMessage(t *testing.T) {
	f := newFixture(t)
	for _, id := range []string{"nope", "burgerzaken"} {
		w := f.call("GET", "/v1/services/"+id+"/slots", "")
		var body api.ErrorBody
		decode(t, w, http.StatusNotFound, &body)
		if body.Error.Code != "not_found" || body.Error.Message != "no such service" {
			t.Errorf("%s: %s", id, w.Body)
		}
	}
}

func FuzzDecodeBody(f *testing.F) {
	for _, seed := range []string{
		`{"name":"a","inner":{"name":"b"},"list":[{"name":"c"}],"tags":{"k":"v"},"any":[{"a":1}]}`,
		`{"name":"a","NAME":"b"}`, `{"o\u212a":true}`, `{"at":"2026-11-24T09:00:00+01:00"}`, `{"count":1e400}`,
		`{"tags":{"a@b":"c"}}`, `{} {}`, `{"any":[[[[[]]]]]}`, "{\"name\":\"\xff\"}",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		got, e := decodeProbe(t, body)
		if e != nil {
			if e.status != http.StatusBadRequest || !fixedMessage(e.body.Error.Message) {
				t.Fatalf("%q: %d %q", body, e.status, e.body.Error.Message)
			}
			return
		}
		// Accepted: encoding/json agrees and reads the same value.
		var want probe
		if err := json.Unmarshal([]byte(body), &want); err != nil {
			t.Fatalf("%q: accepted, but encoding/json says %v", body, err)
		}
		if !reflect.DeepEqual(*got, want) {
			t.Fatalf("%q: decoded %+v, want %+v", body, *got, want)
		}
	})
}
