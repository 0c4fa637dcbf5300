package gatewayclient

import (
	"context"
	"encoding/json"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/domain"
)

var (
	testStart   = time.Date(2026, 12, 1, 9, 0, 0, 0, domain.Brussels)
	testContact = domain.Contact{Name: "An Peeters", Email: "an@example.be", Phone: "+32470123456"}
	testBooking = domain.BookingRequest{
		ServiceID: "energie", Start: testStart, Language: "fr",
		Contact: testContact, ConsentResearch: true, Interpreter: true,
	}
)

func TestEndpoints(t *testing.T) {
	tests := []struct {
		name   string
		reply  reply
		call   func(context.Context, *Client) (any, error)
		method string
		path   string
		query  string
		body   string // JSON the request must carry, compared as values
		check  func(t *testing.T, got any)
	}{
		{
			name:   "health",
			reply:  reply{status: 200, fixture: "health.json"},
			call:   func(ctx context.Context, c *Client) (any, error) { return nil, c.Health(ctx) },
			method: "GET", path: "/v1/health",
		},
		{
			name:   "services in every language",
			reply:  reply{status: 200, fixture: "services.json"},
			call:   func(ctx context.Context, c *Client) (any, error) { return c.Services(ctx) },
			method: "GET", path: "/v1/services",
			check: func(t *testing.T, got any) {
				list := got.([]domain.Service)
				if len(list) != 2 {
					t.Fatalf("got %d services", len(list))
				}
				e, b := list[0], list[1]
				if e.ID != "energie" || e.Name["fr"] != "Énergie et rénovation" || e.Duration != 30*time.Minute || !e.ByVideo || len(e.Prepare) != 1 {
					t.Errorf("energie = %+v", e)
				}
				if b.ByVideo || b.InPerson["nl"] == "" {
					t.Errorf("burgerzaken = %+v", b)
				}
			},
		},
		{
			name:  "slots from a Brussels date",
			reply: reply{status: 200, fixture: "slots.json"},
			call: func(ctx context.Context, c *Client) (any, error) {
				// 23:30 UTC on 30 November is already 1 December in Brussels.
				return c.Slots(ctx, "energie", time.Date(2026, 11, 30, 23, 30, 0, 0, time.UTC), 7)
			},
			method: "GET", path: "/v1/services/energie/slots", query: "days=7&from=2026-12-01",
			check: func(t *testing.T, got any) {
				slots := got.([]domain.Slot)
				if len(slots) != 3 {
					t.Fatalf("got %d slots", len(slots))
				}
				s := slots[0]
				if s.ServiceID != "energie" || !s.Start.Equal(testStart) || s.Start.Location() != domain.Brussels || s.End.Sub(s.Start) != 30*time.Minute {
					t.Errorf("first slot = %+v", s)
				}
			},
		},
		{
			name:   "book",
			reply:  reply{status: 201, fixture: "appointment.json"},
			call:   func(ctx context.Context, c *Client) (any, error) { return c.Book(ctx, testBooking) },
			method: "POST", path: "/v1/appointments",
			body: `{"serviceId":"energie","start":"2026-12-01T09:00:00+01:00","language":"fr",
				"contact":{"name":"An Peeters","email":"an@example.be","phone":"+32470123456"},
				"consentResearch":true,"interpreter":true}`,
			check: func(t *testing.T, got any) {
				a := got.(domain.Appointment)
				if a.Code != "K7M-4PQ" || a.Token == "" || !a.Start.Equal(testStart) || a.JoinURL == "" || a.PhoneURL == "" || !a.Interpreter {
					t.Errorf("appointment = %+v", a)
				}
				if a.Contact != testContact || !a.ConsentResearch {
					t.Errorf("contact and consent not kept from the request: %+v", a)
				}
				if !a.MatchesCheck("3456", true) {
					t.Error("the kiosk cannot check the booked appointment")
				}
			},
		},
		{
			name:  "find",
			reply: reply{status: 200, fixture: "appointment.json"},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Find(ctx, "K7M-4PQ", "an+kiosk@example.be")
			},
			method: "GET", path: "/v1/appointments/K7M-4PQ", query: "check=an%2Bkiosk%40example.be",
			check: func(t *testing.T, got any) {
				a := got.(domain.Appointment)
				if a.Code != "K7M-4PQ" || a.ServiceID != "energie" || a.Contact != (domain.Contact{}) {
					t.Errorf("appointment = %+v", a)
				}
			},
		},
		{
			name:   "cancel",
			reply:  reply{status: 204},
			call:   func(ctx context.Context, c *Client) (any, error) { return nil, c.Cancel(ctx, "K7M-4PQ", "3456") },
			method: "POST", path: "/v1/appointments/K7M-4PQ/cancel",
			body: `{"check":"3456"}`,
		},
		{
			name:  "help request",
			reply: reply{status: 202, fixture: "accepted.json"},
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.RequestHelp(ctx, domain.HelpRequest{Language: "ar", Screen: "contact", Device: "ignored"})
			},
			method: "POST", path: "/v1/help-requests",
			body: `{"language":"ar","screen":"contact"}`,
		},
		{
			name:  "feedback",
			reply: reply{status: 202, fixture: "accepted.json"},
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.SendFeedback(ctx, domain.Feedback{Language: "nl", ServiceID: "energie", Rating: 5})
			},
			method: "POST", path: "/v1/feedback",
			body: `{"language":"nl","serviceId":"energie","rating":5}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, srv := newFake(t, tt.reply)
			got, err := tt.call(ctxFor(t), testClient(srv.URL))
			if err != nil {
				t.Fatal(err)
			}
			reqs := f.requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if r.method != tt.method || r.path != tt.path || r.query != tt.query {
				t.Errorf("request = %s %s?%s, want %s %s?%s", r.method, r.path, r.query, tt.method, tt.path, tt.query)
			}
			if auth := r.header.Get("Authorization"); auth != "Bearer "+testToken {
				t.Errorf("Authorization = %q", auth)
			}
			if ua := r.header.Get("User-Agent"); ua != DefaultUserAgent {
				t.Errorf("User-Agent = %q", ua)
			}
			if tt.body != "" {
				assertSameJSON(t, r.body, tt.body)
			}
			if tt.check != nil {
				tt.check(t, got)
			}
		})
	}
}

func TestErrorMapping(t *testing.T) {
	book := func(ctx context.Context, c *Client) error { _, err := c.Book(ctx, testBooking); return err }
	find := func(ctx context.Context, c *Client) error { _, err := c.Find(ctx, "K7M-4PQ", "3456"); return err }
	services := func(ctx context.Context, c *Client) error { _, err := c.Services(ctx); return err }
	help := func(ctx context.Context, c *Client) error {
		return c.RequestHelp(ctx, domain.HelpRequest{Language: "nl", Screen: "home"})
	}
	retryAfter := func(v string) map[string]string { return map[string]string{"Retry-After": v} }

	tests := []struct {
		name     string
		call     func(context.Context, *Client) error
		reply    reply
		want     domain.ErrorCode
		fields   map[string]domain.FieldReason
		requests int
	}{
		{"409 slot taken", book, reply{status: 409, fixture: "error_slot_taken.json"}, domain.ESlotTaken, nil, 1},
		{"409 contact quota", book, reply{status: 409, fixture: "error_contact_quota.json"}, domain.EContactQuota, nil, 1},
		{"429 device quota is not retried", book, reply{status: 429, fixture: "error_device_quota.json", header: retryAfter("3000")}, domain.EDeviceQuota, nil, 1},
		{"404 not found", find, reply{status: 404, fixture: "error_not_found.json"}, domain.ENotFound, nil, 1},
		{"422 with fields", book, reply{status: 422, fixture: "error_invalid.json"}, domain.EInvalid,
			map[string]domain.FieldReason{"phone": domain.ReasonNotMobile, "start": domain.ReasonOutOfRange}, 1},
		{"401 unknown device", services, reply{status: 401, fixture: "error_unauthorized.json"}, domain.EUnavailable, nil, 1},
		{"429 on a lookup is never retried", find, reply{status: 429, fixture: "error_rate_limited.json", header: retryAfter("0")}, domain.ERateLimited, nil, 1},
		{"429 without Retry-After is not retried", services, reply{status: 429, fixture: "error_rate_limited.json"}, domain.ERateLimited, nil, 1},
		{"429 with a long Retry-After is not retried", services, reply{status: 429, fixture: "error_rate_limited.json", header: retryAfter("120")}, domain.ERateLimited, nil, 1},
		{"503 after all retries", services, reply{status: 503, fixture: "error_unavailable.json"}, domain.EUnavailable, nil, 3},
		{"503 on a booking after all retries", book, reply{status: 503, fixture: "error_unavailable.json"}, domain.EUnavailable, nil, 3},
		{"503 with a long Retry-After is not retried", services, reply{status: 503, fixture: "error_unavailable.json", header: retryAfter("60")}, domain.EUnavailable, nil, 1},
		{"502 from a proxy, HTML body", find, reply{status: 502, fixture: "proxy_502.html"}, domain.EUnavailable, nil, 3},
		{"503 on a help request is not retried", help, reply{status: 503, fixture: "error_unavailable.json"}, domain.EUnavailable, nil, 1},
		{"500 internal", book, reply{status: 500, fixture: "error_internal.json"}, domain.EInternal, nil, 1},
		{"500 with a garbage body maps by status", services, reply{status: 500, fixture: "garbage.json"}, domain.EInternal, nil, 1},
		{"429 with an HTML body maps by status", find, reply{status: 429, fixture: "proxy_502.html"}, domain.ERateLimited, nil, 1},
		{"401 with no body maps by status", services, reply{status: 401}, domain.EUnavailable, nil, 1},
		{"200 with a garbage body", services, reply{status: 200, fixture: "garbage.json"}, domain.EUnavailable, nil, 1},
		{"200 with an HTML page", find, reply{status: 200, fixture: "proxy_502.html"}, domain.EUnavailable, nil, 1},
		{"redirect to a captive portal", services, reply{status: 302, header: map[string]string{"Location": "http://portal.invalid/login"}}, domain.EOffline, nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, srv := newFake(t, tt.reply)
			err := tt.call(ctxFor(t), testClient(srv.URL))
			if got := domain.CodeOf(err); got != tt.want {
				t.Fatalf("code = %q (%v), want %q", got, err, tt.want)
			}
			if tt.fields != nil && !maps.Equal(domain.FieldsOf(err), tt.fields) {
				t.Errorf("fields = %v, want %v", domain.FieldsOf(err), tt.fields)
			}
			if n := f.count(); n != tt.requests {
				t.Errorf("%d requests, want %d", n, tt.requests)
			}
		})
	}
}

func TestRateLimitedNamesRetryAfterForTheOperator(t *testing.T) {
	_, srv := newFake(t, reply{status: 429, fixture: "error_rate_limited.json", header: map[string]string{"Retry-After": "30"}})
	_, err := testClient(srv.URL).Find(ctxFor(t), "K7M-4PQ", "3456")
	if domain.CodeOf(err) != domain.ERateLimited || !strings.Contains(err.Error(), "retry after 30s") {
		t.Fatalf("err = %v", err)
	}
}

func TestRetries(t *testing.T) {
	ok := func(fixture string) reply { return reply{status: 200, fixture: fixture} }
	unavailable := reply{status: 503, fixture: "error_unavailable.json"}
	tests := []struct {
		name     string
		script   []reply
		call     func(context.Context, *Client) error
		requests int
	}{
		{"GET retried on 503 then succeeds", []reply{unavailable, {status: 504}, ok("services.json")},
			func(ctx context.Context, c *Client) error { _, err := c.Services(ctx); return err }, 3},
		{"lookup retried on 502", []reply{{status: 502, fixture: "proxy_502.html"}, ok("appointment.json")},
			func(ctx context.Context, c *Client) error { _, err := c.Find(ctx, "K7M-4PQ", "3456"); return err }, 2},
		{"429 with a short Retry-After is honoured", []reply{{status: 429, header: map[string]string{"Retry-After": "0"}}, ok("slots.json")},
			func(ctx context.Context, c *Client) error {
				_, err := c.Slots(ctx, "energie", testStart, 7)
				return err
			}, 2},
		{"cancel is idempotent, so retried", []reply{unavailable, {status: 204}},
			func(ctx context.Context, c *Client) error { return c.Cancel(ctx, "K7M-4PQ", "3456") }, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, srv := newFake(t, tt.script...)
			if err := tt.call(ctxFor(t), testClient(srv.URL)); err != nil {
				t.Fatal(err)
			}
			if n := f.count(); n != tt.requests {
				t.Errorf("%d requests, want %d", n, tt.requests)
			}
		})
	}
}

func TestNotRetriedPOSTsAreSentOnce(t *testing.T) {
	for _, code := range []int{502, 503, 504} {
		f, srv := newFake(t, reply{status: code})
		c := testClient(srv.URL)
		ctx := ctxFor(t)
		if err := c.RequestHelp(ctx, domain.HelpRequest{Language: "nl", Screen: "home"}); domain.CodeOf(err) != domain.EUnavailable {
			t.Errorf("help on %d: %v", code, err)
		}
		if err := c.SendFeedback(ctx, domain.Feedback{Language: "nl", Rating: 4}); domain.CodeOf(err) != domain.EUnavailable {
			t.Errorf("feedback on %d: %v", code, err)
		}
		if n := f.count(); n != 2 {
			t.Errorf("on %d: %d requests for one help request and one rating, want 2", code, n)
		}
	}
}

func TestBookRetriesWithTheSameIdempotencyKey(t *testing.T) {
	tests := []struct {
		name   string
		script []reply
	}{
		{"after 503 and 504", []reply{{status: 503}, {status: 504}, {status: 201, fixture: "appointment.json"}}},
		// The first answer never arrives: the gateway may have booked, so the
		// repeat must be recognisable as the same booking.
		{"after a lost answer", []reply{{status: 201, fixture: "appointment.json", hold: time.Second}, {status: 201, fixture: "appointment.json"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, srv := newFake(t, tt.script...)
			c := testClient(srv.URL, func(o *Options) { o.Timeout = 200 * time.Millisecond })
			appt, err := c.Book(ctxFor(t), testBooking)
			if err != nil || appt.Code != "K7M-4PQ" {
				t.Fatalf("Book = %+v, %v", appt, err)
			}
			reqs := f.requests()
			if len(reqs) != len(tt.script) {
				t.Fatalf("%d requests, want %d", len(reqs), len(tt.script))
			}
			key := reqs[0].header.Get("Idempotency-Key")
			if len(key) < 20 || len(key) > 128 {
				t.Fatalf("Idempotency-Key %q", key)
			}
			for i, r := range reqs[1:] {
				if k := r.header.Get("Idempotency-Key"); k != key {
					t.Errorf("attempt %d: key %q, first was %q", i+2, k, key)
				}
				if r.body != reqs[0].body {
					t.Errorf("attempt %d: body differs", i+2)
				}
			}
		})
	}
}

func TestEachBookingHasItsOwnIdempotencyKey(t *testing.T) {
	f, srv := newFake(t, reply{status: 201, fixture: "appointment.json"})
	c := testClient(srv.URL)
	for range 3 {
		if _, err := c.Book(ctxFor(t), testBooking); err != nil {
			t.Fatal(err)
		}
	}
	keys := map[string]bool{}
	for _, r := range f.requests() {
		keys[r.header.Get("Idempotency-Key")] = true
	}
	if len(keys) != 3 {
		t.Fatalf("%d distinct keys for 3 bookings", len(keys))
	}
}

func TestRetriesCanBeTurnedOff(t *testing.T) {
	f, srv := newFake(t, reply{status: 503})
	_, err := testClient(srv.URL, func(o *Options) { o.Retries = -1 }).Services(ctxFor(t))
	if domain.CodeOf(err) != domain.EUnavailable || f.count() != 1 {
		t.Fatalf("err = %v after %d requests", err, f.count())
	}
}

func TestLocalValidationSendsNothing(t *testing.T) {
	f, srv := newFake(t, reply{status: 202, fixture: "accepted.json"})
	c := testClient(srv.URL)
	if err := c.SendFeedback(ctxFor(t), domain.Feedback{Language: "nl", Rating: 9}); domain.FieldsOf(err)["rating"] != domain.ReasonOutOfRange {
		t.Errorf("rating 9: %v", err)
	}
	if err := c.RequestHelp(ctxFor(t), domain.HelpRequest{}); domain.FieldsOf(err)["language"] != domain.ReasonRequired {
		t.Errorf("no language: %v", err)
	}
	if f.count() != 0 {
		t.Errorf("%d requests for refused input", f.count())
	}
}

func assertSameJSON(t *testing.T, got, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("request body %q: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	if string(gb) != string(wb) {
		t.Errorf("body = %s\nwant   %s", gb, wb)
	}
}
