package gatewayclient

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/domain"
)

// everyCall calls each method of the client once.
var everyCall = []struct {
	name string
	call func(context.Context, *Client) error
}{
	{"health", func(ctx context.Context, c *Client) error { return c.Health(ctx) }},
	{"services", func(ctx context.Context, c *Client) error { _, err := c.Services(ctx); return err }},
	{"slots", func(ctx context.Context, c *Client) error {
		_, err := c.Slots(ctx, "energie", testStart, 7)
		return err
	}},
	{"book", func(ctx context.Context, c *Client) error { _, err := c.Book(ctx, testBooking); return err }},
	{"find", func(ctx context.Context, c *Client) error { _, err := c.Find(ctx, "K7M-4PQ", secretCheck); return err }},
	{"cancel", func(ctx context.Context, c *Client) error { return c.Cancel(ctx, "K7M-4PQ", secretCheck) }},
	{"help", func(ctx context.Context, c *Client) error {
		return c.RequestHelp(ctx, domain.HelpRequest{Language: "nl", Screen: "home"})
	}},
	{"feedback", func(ctx context.Context, c *Client) error {
		return c.SendFeedback(ctx, domain.Feedback{Language: "nl", Rating: 3})
	}},
}

// secretCheck must never show up in an error or a log line.
const secretCheck = "geheim@example.be"

func TestServerGoneIsOfflineQuickly(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there any more: connection refused

	var logs bytes.Buffer
	c := testClient(url, func(o *Options) {
		o.Log = slog.New(slog.NewTextHandler(&logs, nil))
	})
	for _, tt := range everyCall {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			err := tt.call(ctxFor(t), c)
			if domain.CodeOf(err) != domain.EOffline {
				t.Fatalf("err = %v, want offline", err)
			}
			if took := time.Since(start); took > time.Second {
				t.Errorf("took %v", took)
			}
			if !errors.Is(err, syscall.ECONNREFUSED) {
				t.Errorf("cause lost: %v", err)
			}
			assertNoPersonalData(t, err.Error())
		})
	}
	if !strings.Contains(logs.String(), "attempt") {
		t.Errorf("retries were not logged: %q", logs.String())
	}
	assertNoPersonalData(t, logs.String())
}

// failingDialer is a transport whose every connection fails with err, as
// when DNS or the route is gone.
func failingDialer(err error) http.RoundTripper {
	return &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		return nil, err
	}}
}

func TestNetworkFailuresAreOffline(t *testing.T) {
	tests := []struct {
		name string
		err  error
	}{
		{"DNS failure", &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "balie-gateway.gent.be", IsNotFound: true}}},
		{"no route", &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.EHOSTUNREACH)}},
		{"network unreachable", &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ENETUNREACH)}},
		{"connection reset", &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var dials int
			var mu sync.Mutex
			c := testClient("https://balie-gateway.gent.be", func(o *Options) {
				o.Transport = failingDialer(tt.err)
				o.Transport = countingTransport{o.Transport, func() { mu.Lock(); dials++; mu.Unlock() }}
			})
			_, err := c.Find(ctxFor(t), "K7M-4PQ", secretCheck)
			if domain.CodeOf(err) != domain.EOffline {
				t.Fatalf("err = %v, want offline", err)
			}
			if !errors.Is(err, tt.err) {
				t.Errorf("cause lost: %v", err)
			}
			mu.Lock()
			defer mu.Unlock()
			if dials != 3 {
				t.Errorf("%d attempts, want 3 (a GET is retried)", dials)
			}
			assertNoPersonalData(t, err.Error())
		})
	}
}

type countingTransport struct {
	next  http.RoundTripper
	count func()
}

func (c countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.count()
	return c.next.RoundTrip(r)
}

func TestTimeout(t *testing.T) {
	tests := []struct {
		name     string
		retries  int
		requests int
	}{
		{"without retries", -1, 1},
		{"every attempt times out", 2, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, srv := newFake(t, reply{status: 200, fixture: "services.json", hold: 5 * time.Second})
			c := testClient(srv.URL, func(o *Options) { o.Timeout = 100 * time.Millisecond; o.Retries = tt.retries })
			start := time.Now()
			_, err := c.Services(ctxFor(t))
			if domain.CodeOf(err) != domain.EOffline {
				t.Fatalf("err = %v, want offline", err)
			}
			if took := time.Since(start); took > time.Duration(tt.requests)*100*time.Millisecond+time.Second {
				t.Errorf("took %v", took)
			}
			if n := f.count(); n != tt.requests {
				t.Errorf("%d requests, want %d", n, tt.requests)
			}
		})
	}
}

func TestCallerDeadlineIsOffline(t *testing.T) {
	_, srv := newFake(t, reply{status: 200, fixture: "services.json", hold: 5 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := testClient(srv.URL).Services(ctx)
	if domain.CodeOf(err) != domain.EOffline || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
}

func TestCallerCancelStopsRetries(t *testing.T) {
	tests := []struct {
		name  string
		reply reply
	}{
		// Cancelled while waiting to try again after a 503.
		{"between attempts", reply{status: 503}},
		// Cancelled while the gateway is still thinking.
		{"during an attempt", reply{status: 200, fixture: "services.json", hold: 5 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, srv := newFake(t, tt.reply)
			c := testClient(srv.URL, func(o *Options) {
				o.Retries = 5
				o.RetryWait = 2 * time.Second
				o.RetryMaxWait = 2 * time.Second
				o.Timeout = 10 * time.Second
			})
			ctx, cancel := context.WithCancel(context.Background())
			go func() {
				<-f.arrived
				time.Sleep(50 * time.Millisecond)
				cancel()
			}()
			start := time.Now()
			_, err := c.Services(ctx)
			if took := time.Since(start); took > time.Second {
				t.Errorf("took %v after cancel", took)
			}
			if !errors.Is(err, context.Canceled) || domain.CodeOf(err) == domain.EInternal {
				t.Errorf("err = %v, want a domain error wrapping context.Canceled", err)
			}
			if n := f.count(); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
		})
	}
}

func TestErrorsNeverQuoteTheURL(t *testing.T) {
	// An answer cut off mid-body fails after the URL is known.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		w.WriteHeader(200)
		w.Write([]byte(`{"code":`))
	}))
	defer srv.Close()
	var logs bytes.Buffer
	c := testClient(srv.URL, func(o *Options) { o.Log = slog.New(slog.NewTextHandler(&logs, nil)) })
	_, err := c.Find(ctxFor(t), "K7M-4PQ", secretCheck)
	if err == nil {
		t.Fatal("a cut answer was accepted")
	}
	assertNoPersonalData(t, err.Error())
	assertNoPersonalData(t, logs.String())
}

func assertNoPersonalData(t *testing.T, s string) {
	t.Helper()
	for _, secret := range []string{secretCheck, "geheim", "K7M-4PQ", "K7M", testContact.Name, testContact.Email, testContact.Phone} {
		if strings.Contains(s, secret) {
			t.Errorf("%q leaks %q", s, secret)
		}
	}
}
