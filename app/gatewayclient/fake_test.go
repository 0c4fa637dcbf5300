package gatewayclient

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// reply is one scripted answer of the fake gateway.
type reply struct {
	status  int
	fixture string            // file in testdata/; .json is served as JSON, anything else as HTML
	header  map[string]string // extra headers, e.g. Retry-After
	hold    time.Duration     // wait this long (or until the client gives up) before answering
}

// seen is one request the fake gateway received.
type seen struct {
	method, path, query string
	header              http.Header
	body                string
}

// fakeGateway answers with its script in order, repeating the last reply,
// and records every request so tests can count retries.
type fakeGateway struct {
	t       *testing.T
	mu      sync.Mutex
	script  []reply
	seen    []seen
	arrived chan struct{} // one value per request, never blocking
}

func newFake(t *testing.T, script ...reply) (*fakeGateway, *httptest.Server) {
	t.Helper()
	f := &fakeGateway{t: t, script: script, arrived: make(chan struct{}, 1000)}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeGateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	n := len(f.seen)
	f.seen = append(f.seen, seen{method: r.Method, path: r.URL.EscapedPath(), query: r.URL.RawQuery, header: r.Header.Clone(), body: string(body)})
	rep := f.script[min(n, len(f.script)-1)]
	f.mu.Unlock()
	f.arrived <- struct{}{}

	if rep.hold > 0 {
		select {
		case <-time.After(rep.hold):
		case <-r.Context().Done():
			return
		}
	}
	for k, v := range rep.header {
		w.Header().Set(k, v)
	}
	var data []byte
	if rep.fixture != "" {
		data = fixture(f.t, rep.fixture)
		if strings.HasSuffix(rep.fixture, ".json") {
			w.Header().Set("Content-Type", "application/json")
		} else {
			w.Header().Set("Content-Type", "text/html")
		}
	}
	w.WriteHeader(rep.status)
	w.Write(data)
}

func (f *fakeGateway) requests() []seen {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seen(nil), f.seen...)
}

func (f *fakeGateway) count() int { return len(f.requests()) }

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

const testToken = "device-token-for-tests"

// testClient talks to url with waits short enough for tests.
func testClient(url string, tweak ...func(*Options)) *Client {
	opts := Options{
		BaseURL:      url,
		DeviceToken:  testToken,
		Timeout:      2 * time.Second,
		Retries:      2,
		RetryWait:    5 * time.Millisecond,
		RetryMaxWait: 50 * time.Millisecond,
	}
	for _, f := range tweak {
		f(&opts)
	}
	return New(opts)
}

func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}
