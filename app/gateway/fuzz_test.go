package gateway

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/api"
)

// Whatever a client sends as a booking, the gateway answers with a 2xx or a
// 4xx and a well-formed body, never a 500 or a panic. The seed corpus is in
// testdata/fuzz/FuzzBookingBody; run more with
//
//	go test ./app/gateway -run '^$' -fuzz FuzzBookingBody -fuzztime 60s
func FuzzBookingBody(f *testing.F) {
	fx := newFixture(f)
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, monday.Location())
	f.Add(bookingBody(start))
	f.Add(`{"serviceId":"energie","start":"2026-11-24T09:45:00+01:00","language":"ar","contact":{"name":"محمد","phone":"+32 470 12 34 56"}}`)
	f.Add(`{"serviceId":"energie","start":"2026-11-24T09:00:00Z","contact":{"name":"x","email":"a@b"}}`)
	f.Add(`{"contact":null}`)
	f.Add(`{"start":"0000-01-01T00:00:00+00:00"}`)
	f.Add(`{"start":"9999-12-31T23:59:59+14:00","serviceId":"energie"}`)
	f.Add(`{"interpreter":1}`)
	f.Add(`"just a string"`)
	f.Add(`{"contact":{"name":"` + strings.Repeat("é", 300) + `"}}`)
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest("POST", "/v1/appointments", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+deviceToken)
		req.Header.Set(api.HeaderIdempotency, "fuzz")
		w := httptest.NewRecorder()
		fx.gw.ServeHTTP(w, req)
		switch w.Code {
		case http.StatusCreated:
			var appt api.Appointment
			if err := json.Unmarshal(w.Body.Bytes(), &appt); err != nil || appt.Code == "" {
				t.Fatalf("201 with body %s", w.Body)
			}
		case 400, 409, 413, 422:
			var e api.ErrorBody
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
				t.Fatalf("%d with body %s", w.Code, w.Body)
			}
		default:
			t.Fatalf("status %d for %q: %s", w.Code, body, w.Body)
		}
	})
}

// Any code and check in a lookup give 200, 404 or 429, never a 500.
func FuzzLookup(f *testing.F) {
	fx := newFixture(f)
	fx.gw.limits.DeviceEvery, fx.gw.limits.DeviceBurst = time.Nanosecond, 1<<30
	f.Add("K7M-4PQ", "amina@example.be")
	f.Add("k7m4pq", "3456")
	f.Add("", "")
	f.Add("../../etc/passwd", "%00")
	f.Add("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "١٢٣٤")
	f.Fuzz(func(t *testing.T, code, check string) {
		req := httptest.NewRequest("GET", "/v1/appointments/x?check=x", nil)
		req.URL.Path = "/v1/appointments/" + code
		req.URL.RawPath = ""
		req.URL.RawQuery = url.Values{"check": {check}}.Encode()
		req.Header.Set("Authorization", "Bearer "+deviceToken)
		w := httptest.NewRecorder()
		fx.gw.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("status %d for code %q check %q: %s", w.Code, code, check, w.Body)
		}
	})
}
