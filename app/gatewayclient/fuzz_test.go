package gatewayclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"maps"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/api"
	"github.com/digitalebalie/balie/app/domain"
)

// Fuzz targets for what the kiosk reads from the gateway. Run one for
// longer with
//
//	go test ./app/gatewayclient -run '^$' -fuzz '^FuzzDecodeAnswers$' -fuzztime 30s
//
// or all of them with bash .ci/fuzz.

// domainCodes are the codes a client error may carry: the domain's own,
// never a wire-only one such as bad_request.
var domainCodes = []domain.ErrorCode{domain.ESlotTaken, domain.ENotFound, domain.EUnavailable, domain.EInvalid,
	domain.EOffline, domain.ERateLimited, domain.EInternal, domain.EContactQuota, domain.EDeviceQuota}

// FuzzDecodeAnswers: every decoder on any body. What a decoder accepts is
// sane (a service has an id, a slot ends after it starts, an appointment
// has a code and a start and no contact) and, sent again the way the
// gateway sends it, decodes to the same. Any error answer maps to a domain
// error; an unknown code maps as no body at all would.
func FuzzDecodeAnswers(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(200, data)
			f.Add(422, data)
		}
	}
	for _, s := range []string{
		`{"services":[{"id":"x","durationMinutes":-5,"name":null,"prepare":[null]}]}`,
		`{"services":[{"id":"x","durationMinutes":153722867280912931}]}`,
		`{"serviceId":"energie","slots":[{"start":"2026-12-01T10:00:00+01:00","end":"2026-12-01T10:00:00+01:00"}]}`,
		`{"serviceId":"","slots":[{"start":"9999-12-31T23:30:00-01:00","end":"9999-12-31T23:45:00-01:00"}]}`,
		`{"code":"K7M-4PQ","start":"2026-12-01T09:00:00Z","contact":{"name":"x"}}`,
		`{"error":{"code":"invalid","message":"x","fields":{}}}`, `{"error":{"code":"bad_request","message":"x"}}`,
		`{"error":{"code":"offline"}}`, `{"error":null}`, `{"error":{"code":"not_found"}} trailing`, `null`, ``,
	} {
		f.Add(429, []byte(s))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if list, err := decodeServices(bytes.NewReader(body)); err == nil {
			wire := api.ServiceList{Services: []api.Service{}}
			for _, s := range list {
				if s.ID == "" {
					t.Fatalf("%q: a service without an id", body)
				}
				wire.Services = append(wire.Services, api.FromService(s, ""))
			}
			// Only what a gateway can send must come back the same: a
			// duration of more than 292 years is no time.Duration.
			if again, err := decodeServices(reencode(t, wire)); err != nil || len(again) != len(list) {
				t.Fatalf("%q: services sent again: %v", body, err)
			} else if !bytes.Contains(body, []byte("durationMinutes")) || saneMinutes(body) {
				for i := range list {
					if !sameService(list[i], again[i]) {
						t.Fatalf("%q: %+v comes back as %+v", body, list[i], again[i])
					}
				}
			}
		}
		if slots, err := decodeSlots(bytes.NewReader(body), "energie"); err == nil {
			wire := api.SlotList{ServiceID: "energie", Slots: []api.Slot{}}
			for _, s := range slots {
				if s.ServiceID != "energie" || s.Start.IsZero() || !s.End.After(s.Start) || s.Start.Location() != domain.Brussels {
					t.Fatalf("%q: slot %+v", body, s)
				}
				wire.Slots = append(wire.Slots, api.FromSlot(s))
			}
			if b, err := json.Marshal(wire); err == nil { // a year past 9999 in Brussels is not JSON
				again, err := decodeSlots(bytes.NewReader(b), "energie")
				if err != nil || len(again) != len(slots) {
					t.Fatalf("%q: slots sent again as %s: %v", body, b, err)
				}
				for i := range slots {
					if !sameInstant(again[i].Start, slots[i].Start) || !sameInstant(again[i].End, slots[i].End) {
						t.Fatalf("%q: slot %+v comes back as %+v", body, slots[i], again[i])
					}
				}
			}
		}
		if a, err := decodeAppointment(bytes.NewReader(body)); err == nil {
			if a.Code == "" || a.Start.IsZero() || a.Contact != (domain.Contact{}) {
				t.Fatalf("%q: appointment %+v", body, a)
			}
			if b, err := json.Marshal(api.FromAppointment(a)); err == nil {
				again, err := decodeAppointment(bytes.NewReader(b))
				if err != nil || again.Code != a.Code || !sameInstant(again.Start, a.Start) || !sameInstant(again.End, a.End) || again.Token != a.Token ||
					again.Cancelled != a.Cancelled || again.JoinURL != a.JoinURL || again.InterpreterLanguage != a.InterpreterLanguage {
					t.Fatalf("%q: appointment %+v comes back as %+v, %v", body, a, again, err)
				}
			}
		}
		status = 200 + (status%400+400)%400
		err := decodeError(status, bytes.NewReader(body))
		var de *domain.Error
		if !errors.As(err, &de) || !slices.Contains(domainCodes, de.Code) || err.Error() == "" {
			t.Fatalf("%d %q: %#v", status, body, err)
		}
		if de.Code == domain.EInvalid && len(de.Fields) == 0 && de.Err == nil {
			t.Fatalf("%d %q: invalid without fields or cause", status, body)
		}
		var eb api.ErrorBody
		if decodeJSON(bytes.NewReader(body), &eb) != nil || !slices.Contains(domainCodes, domain.ErrorCode(eb.Error.Code)) {
			if bare := domain.CodeOf(decodeError(status, strings.NewReader(""))); de.Code != bare {
				t.Fatalf("%d %q: %q, but %q without the body", status, body, de.Code, bare)
			}
		}
		// decodeJSON reads exactly one JSON value, as json.Unmarshal does.
		var one, all any
		if got, want := decodeJSON(bytes.NewReader(body), &one), json.Unmarshal(body, &all); (got == nil) != (want == nil) {
			t.Fatalf("%q: decodeJSON says %v, json.Unmarshal %v", body, got, want)
		}
	})
}

// FuzzClientAnswers: the whole client against a gateway that answers every
// call with the same status, type and body. Every call ends in a value or
// a domain error with a domain code, never a panic or a hang.
func FuzzClientAnswers(f *testing.F) {
	for _, file := range []string{"services.json", "slots.json", "appointment.json", "error_invalid.json", "proxy_502.html", "accepted.json", "health.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(200, "application/json", data)
		f.Add(422, "application/json; charset=utf-8", data)
		f.Add(503, "text/html", data)
	}
	f.Add(201, "application/json", []byte(`{"token":"t","name":"an","idleSeconds":1800}`))
	f.Add(200, "application/json", []byte(`{"id":"h-1","state":"on-the-way"}`))
	f.Add(302, "", []byte(`<a href="http://portal">`))
	f.Add(429, "application/json", []byte(`{"error":{"code":"rate_limited","message":"wait"}}`))
	f.Add(200, "application/problem+json", []byte(`{"helpRequests":[{"id":"1","at":"x"}]}`))
	var answer struct {
		sync.Mutex
		status      int
		contentType string
		body        []byte
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		answer.Lock()
		defer answer.Unlock()
		w.Header().Set("Content-Type", answer.contentType)
		w.WriteHeader(answer.status)
		w.Write(answer.body)
	}))
	f.Cleanup(srv.Close)
	c := New(Options{BaseURL: srv.URL, DeviceToken: "fuzz", Retries: -1, Timeout: 2 * time.Second})
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		answer.Lock()
		answer.status = 200 + (status%400+400)%400
		answer.contentType = strings.Map(func(r rune) rune { // a header value the server can send
			if r < ' ' || r > '~' {
				return -1
			}
			return r
		}, contentType)
		answer.body = body
		answer.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		start := time.Date(2026, 12, 1, 9, 0, 0, 0, domain.Brussels)
		var errs []error
		_, err := c.Services(ctx)
		errs = append(errs, err)
		_, err = c.Slots(ctx, "energie", start, 3)
		errs = append(errs, err)
		a, err := c.Book(ctx, domain.BookingRequest{ServiceID: "energie", Start: start, Language: "nl", Contact: domain.Contact{Name: "An", Email: "an@example.be"}})
		if err == nil && (a.Code == "" || a.Contact.Email != "an@example.be") {
			t.Fatalf("booked %+v", a)
		}
		errs = append(errs, err)
		a, err = c.Find(ctx, "K7M-4PQ", "an@example.be")
		if err == nil && a.Contact != (domain.Contact{}) {
			t.Fatalf("found %+v", a)
		}
		errs = append(errs, err, c.Cancel(ctx, "K7M-4PQ", "3456"),
			c.RequestHelp(ctx, domain.HelpRequest{Ref: "h-1", Language: "nl"}), c.SendFeedback(ctx, domain.Feedback{Language: "nl", Rating: 4}))
		_, err = c.HelpState(ctx, "h-1")
		errs = append(errs, err)
		s, err := c.StaffSignIn(ctx, "an", "geheim")
		errs = append(errs, err)
		_, err = c.HelpQueue(ctx, s)
		errs = append(errs, err, c.Health(ctx))
		for i, err := range errs {
			if err != nil && !slices.Contains(domainCodes, domain.CodeOf(err)) {
				t.Fatalf("call %d: %d %q %q: %v (%q)", i, answer.status, contentType, body, err, domain.CodeOf(err))
			}
		}
	})
}

// FuzzRetryAfter: any Retry-After value is a wait of zero or more, or none.
func FuzzRetryAfter(f *testing.F) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for _, s := range []string{"3", "0", "-1", "soon", now.Add(90 * time.Second).Format(http.TimeFormat), "Mon, 02 Jan 2006 15:04:05 GMT",
		"99999999999999999999", "9223372036", "1e3", " 3", "+3", "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		h := http.Header{}
		h.Set("Retry-After", v)
		if d, ok := retryAfter(h, now); d < 0 || !ok && d != 0 {
			t.Fatalf("Retry-After %q: %v, %v", v, d, ok)
		}
	})
}

// reencode is v as the gateway writes it.
func reencode(t *testing.T, v any) *bytes.Reader {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%+v: %v", v, err)
	}
	return bytes.NewReader(b)
}

// saneMinutes tells whether every durationMinutes in a services body fits
// a time.Duration.
func saneMinutes(body []byte) bool {
	var list api.ServiceList
	if json.Unmarshal(body, &list) != nil {
		return false
	}
	for _, s := range list.Services {
		if s.DurationMinutes > math.MaxInt64/int(time.Minute) || s.DurationMinutes < math.MinInt64/int(time.Minute) {
			return false
		}
	}
	return true
}

func sameService(a, b domain.Service) bool {
	if a.ID != b.ID || a.Icon != b.Icon || a.Duration != b.Duration || a.ByVideo != b.ByVideo ||
		!maps.Equal(a.Name, b.Name) || !maps.Equal(a.Summary, b.Summary) || !maps.Equal(a.InPerson, b.InPerson) || len(a.Prepare) != len(b.Prepare) {
		return false
	}
	for i := range a.Prepare {
		if !maps.Equal(a.Prepare[i], b.Prepare[i]) {
			return false
		}
	}
	return true
}

// sameInstant tells whether a time sent again is the same instant. Before
// 1892 Brussels kept local mean time, +00:17:30, and RFC 3339 writes an
// offset in whole minutes: such a time may come back up to a minute off.
func sameInstant(a, b time.Time) bool {
	d := a.Sub(b)
	return a.Equal(b) || a.Year() < 1900 && d > -time.Minute && d < time.Minute
}
