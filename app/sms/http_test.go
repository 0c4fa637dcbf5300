package sms

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

const jsonBody = `{"to": {{json .To}}, "text": {{json .Text}}, "reference": {{json .Ref}}}`

// received is what the test provider saw of one request.
type received struct {
	method, path, contentType, auth, apiKey string
	body                                    []byte
}

// recorder is a provider that answers status and hands each request over.
func recorder(t *testing.T, status int) (*httptest.Server, <-chan received) {
	t.Helper()
	got := make(chan received, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- received{
			method: r.Method, path: r.URL.Path, contentType: r.Header.Get("Content-Type"),
			auth: r.Header.Get("Authorization"), apiKey: r.Header.Get("X-Api-Key"), body: body,
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	return srv, got
}

func TestHTTPProviderSendsJSON(t *testing.T) {
	tests := []struct {
		name string
		text string
	}{
		{"plain", "Uw afspraak bij Stad Gent is morgen om 10:00."},
		{"quotes and backslash", `Hij zei "tot morgen" \o/ 'ok'`},
		{"line breaks and tab", "Lijn 1\nLijn 2\r\n\tLijn 3"},
		{"HTML characters", `<b>&</b> {{.To}}`},
		{"Arabic", "موعدك في مدينة غنت غدا الساعة 10:00"},
		{"emoji", "Tot morgen 👋🏽📅 ✅"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, got := recorder(t, http.StatusAccepted)
			p, err := NewHTTPProvider(HTTPConfig{
				URL:     srv.URL + "/v1/messages",
				Headers: map[string]string{"Authorization": "Bearer s3cret", "X-Api-Key": "k1"},
				Body:    jsonBody,
			})
			if err != nil {
				t.Fatal(err)
			}
			m := Message{To: testNumber, Text: tt.text, Ref: "notice-7"}
			if err := p.Send(context.Background(), m); err != nil {
				t.Fatal(err)
			}

			r := <-got
			if r.method != http.MethodPost || r.path != "/v1/messages" {
				t.Errorf("request = %s %s, want POST /v1/messages", r.method, r.path)
			}
			if r.contentType != "application/json" {
				t.Errorf("Content-Type = %q, want application/json", r.contentType)
			}
			if r.auth != "Bearer s3cret" || r.apiKey != "k1" {
				t.Errorf("headers Authorization=%q X-Api-Key=%q, want the configured ones", r.auth, r.apiKey)
			}
			var body map[string]string
			if err := json.Unmarshal(r.body, &body); err != nil {
				t.Fatalf("body is not JSON: %v\n%s", err, r.body)
			}
			want := map[string]string{"to": m.To, "text": m.Text, "reference": m.Ref}
			if len(body) != len(want) {
				t.Errorf("body = %v, want %v", body, want)
			}
			for k, v := range want {
				if body[k] != v {
					t.Errorf("body[%q] = %q, want %q", k, body[k], v)
				}
			}
		})
	}
}

func TestHTTPProviderMethodAndContentType(t *testing.T) {
	m := Message{To: testNumber, Text: "Tot morgen & \"dag\" 👋\nStad Gent", Ref: "r/1"}
	tests := []struct {
		name        string
		cfg         HTTPConfig
		method      string
		contentType string
		check       func(t *testing.T, body []byte)
	}{
		{
			name:        "PUT with a vendor JSON type",
			cfg:         HTTPConfig{Method: http.MethodPut, ContentType: "application/vnd.sms+json; charset=utf-8", Body: `[{"msisdn": {{json .To}}, "body": {{json .Text}}}]`},
			method:      http.MethodPut,
			contentType: "application/vnd.sms+json; charset=utf-8",
			check: func(t *testing.T, body []byte) {
				var got []struct{ Msisdn, Body string }
				if err := json.Unmarshal(body, &got); err != nil {
					t.Fatalf("body is not JSON: %v\n%s", err, body)
				}
				if len(got) != 1 || got[0].Msisdn != m.To || got[0].Body != m.Text {
					t.Errorf("body = %+v", got)
				}
			},
		},
		{
			name:        "form",
			cfg:         HTTPConfig{ContentType: "application/x-www-form-urlencoded", Body: `to={{query .To}}&text={{query .Text}}&ref={{query .Ref}}`},
			method:      http.MethodPost,
			contentType: "application/x-www-form-urlencoded",
			check: func(t *testing.T, body []byte) {
				got, err := url.ParseQuery(string(body))
				if err != nil {
					t.Fatalf("body is not a form: %v\n%s", err, body)
				}
				if got.Get("to") != m.To || got.Get("text") != m.Text || got.Get("ref") != m.Ref {
					t.Errorf("form = %v", got)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, got := recorder(t, http.StatusOK)
			tt.cfg.URL = srv.URL
			p, err := NewHTTPProvider(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if err := p.Send(context.Background(), m); err != nil {
				t.Fatal(err)
			}
			r := <-got
			if r.method != tt.method || r.contentType != tt.contentType {
				t.Errorf("got %s with %q, want %s with %q", r.method, r.contentType, tt.method, tt.contentType)
			}
			tt.check(t, r.body)
		})
	}
}

func TestHTTPProviderStatus(t *testing.T) {
	tests := []struct {
		status    int
		wantErr   bool
		permanent bool
	}{
		{200, false, false},
		{201, false, false},
		{202, false, false},
		{204, false, false},
		{301, true, true}, // not followed: the URL must be fixed
		{400, true, true},
		{401, true, true},
		{404, true, true},
		{422, true, true},
		{408, true, false},
		{429, true, false},
		{500, true, false},
		{502, true, false},
		{503, true, false},
	}
	m := Message{To: testNumber, Text: "Uw afspraak is morgen", Ref: "notice-9"}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.status), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.status == 301 {
					w.Header().Set("Location", "/elsewhere")
				}
				w.WriteHeader(tt.status)
				// Providers echo what they refused; none of it may reach the error.
				_, _ = io.WriteString(w, `{"error": "cannot send `+m.Text+` to `+m.To+`"}`)
			}))
			defer srv.Close()
			p, err := NewHTTPProvider(HTTPConfig{URL: srv.URL, Body: jsonBody})
			if err != nil {
				t.Fatal(err)
			}

			err = p.Send(context.Background(), m)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error: %v", err, tt.wantErr)
			}
			if err == nil {
				return
			}
			if Permanent(err) != tt.permanent {
				t.Errorf("Permanent(%v) = %v, want %v", err, Permanent(err), tt.permanent)
			}
			var e *Error
			if !errors.As(err, &e) || e.Status != tt.status || e.Ref != m.Ref {
				t.Errorf("err = %#v, want an *Error with status %d and ref %q", err, tt.status, m.Ref)
			}
			if s := err.Error(); !strings.Contains(s, strconv.Itoa(tt.status)) || !strings.Contains(s, m.Ref) {
				t.Errorf("error %q does not name the status and the ref", s)
			}
			noPersonalData(t, err, m)
		})
	}
}

func TestHTTPProviderNetworkErrors(t *testing.T) {
	m := Message{To: testNumber, Text: "Uw afspraak is morgen", Ref: "notice-10"}

	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()

	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Reading the body lets the server notice the client leave.
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	defer slow.Close()

	tests := []struct {
		name string
		url  string
		want error
	}{
		{"connection refused", closed.URL, syscall.ECONNREFUSED},
		{"timeout", slow.URL, context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The key in the URL must not reach the error either.
			p, err := NewHTTPProvider(HTTPConfig{URL: tt.url + "/send?apikey=k3y", Body: jsonBody, Timeout: 100 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			err = p.Send(context.Background(), m)
			if err == nil || Permanent(err) {
				t.Fatalf("err = %v, want a temporary error", err)
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want it to wrap %v", err, tt.want)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("Send took %v", d)
			}
			if s := err.Error(); strings.Contains(s, "k3y") || !strings.Contains(s, m.Ref) {
				t.Errorf("error %q quotes the URL or misses the ref", s)
			}
			noPersonalData(t, err, m)
		})
	}
}

func TestHTTPProviderContextCanceled(t *testing.T) {
	arrived := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		// Reading the body lets the server notice the client leave.
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	defer srv.Close()
	p, err := NewHTTPProvider(HTTPConfig{URL: srv.URL, Body: jsonBody}) // default timeout: 10 s
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-arrived
		cancel()
	}()
	start := time.Now()
	err = p.Send(ctx, Message{To: testNumber, Text: "x", Ref: "r"})
	if !errors.Is(err, context.Canceled) || Permanent(err) {
		t.Errorf("err = %v, want a temporary context.Canceled", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Send took %v after cancel", d)
	}
}

func TestNewHTTPProviderRefuses(t *testing.T) {
	const good = "https://sms.example.be/send"
	tests := []struct {
		name string
		cfg  HTTPConfig
	}{
		{"empty URL", HTTPConfig{Body: jsonBody}},
		{"relative URL", HTTPConfig{URL: "/send", Body: jsonBody}},
		{"no host", HTTPConfig{URL: "https:///send", Body: jsonBody}},
		{"other scheme", HTTPConfig{URL: "ftp://sms.example.be/send", Body: jsonBody}},
		{"unparsable URL", HTTPConfig{URL: "https://sms.example.be:port/send?key=k3y", Body: jsonBody}},
		{"control character in URL", HTTPConfig{URL: "https://sms.example.be/send\n?key=k3y", Body: jsonBody}},
		{"bad method", HTTPConfig{URL: good, Method: "SEND IT", Body: jsonBody}},
		{"bad content type", HTTPConfig{URL: good, ContentType: "json;;", Body: jsonBody}},
		{"bad header name", HTTPConfig{URL: good, Headers: map[string]string{"X Key": "k"}, Body: jsonBody}},
		{"line break in header", HTTPConfig{URL: good, Headers: map[string]string{"Authorization": "Bearer k3y\n"}, Body: jsonBody}},
		{"content type in headers", HTTPConfig{URL: good, Headers: map[string]string{"content-type": "text/plain"}, Body: jsonBody}},
		{"empty body", HTTPConfig{URL: good}},
		{"unclosed action", HTTPConfig{URL: good, Body: `{"to": {{json .To}`}},
		{"unknown function", HTTPConfig{URL: good, Body: `{"to": {{shout .To}}}`}},
		{"unknown field", HTTPConfig{URL: good, Body: `{"to": {{json .Phone}}}`}},
		{"text not JSON-encoded", HTTPConfig{URL: good, Body: `{"to": {{json .To}}, "text": "{{.Text}}"}`}},
		{"not JSON at all", HTTPConfig{URL: good, Body: `to={{query .To}}`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := NewHTTPProvider(tt.cfg)
			if err == nil {
				t.Fatalf("NewHTTPProvider = %v, want an error", p)
			}
			if strings.Contains(err.Error(), "k3y") {
				t.Errorf("error %q quotes a secret", err)
			}
		})
	}
}
