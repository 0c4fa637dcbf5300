package gateway

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/api"
	"github.com/digitalebalie/balie/app/city"
	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/store"
	"github.com/digitalebalie/balie/i18n"
)

const (
	deviceToken      = "test-device-token"
	otherDeviceToken = "other-device-token"
)

// monday 08:00 in Ghent: the office opens at nine.
var monday = time.Date(2026, 11, 23, 8, 0, 0, 0, domain.Brussels)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type fixture struct {
	gw    *Gateway
	store *store.Store
	clock *clock
	logs  *bytes.Buffer
}

// newFixture is a gateway on a fresh store; tune, when given, changes the
// store's options.
func newFixture(t testing.TB, tune ...func(*store.Options)) *fixture {
	t.Helper()
	clk := &clock{t: monday}
	opts := store.Options{
		Path:      filepath.Join(t.TempDir(), "gateway.db"),
		Services:  city.MustLoad("gent").Services(),
		Now:       clk.Now,
		PhoneBase: "https://balie.example",
		Languages: i18n.Tags(),
	}
	for _, f := range tune {
		f(&opts)
	}
	st, err := store.Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	logs := &bytes.Buffer{}
	gw := New(Options{
		Store:   st,
		Devices: map[string]string{deviceToken: "stadskantoor-1", otherDeviceToken: "digipunt-muide"},
		Now:     clk.Now,
		Log:     slog.New(slog.NewTextHandler(&lockedWriter{w: logs}, nil)),
	})
	return &fixture{gw: gw, store: st, clock: clk, logs: logs}
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// call sends one request as the test device, with an idempotency key on
// POST /v1/appointments unless headers say otherwise.
func (f *fixture) call(method, path, body string, headers ...string) *httptest.ResponseRecorder {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	req.Header.Set("Authorization", "Bearer "+deviceToken)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if method == http.MethodPost && path == "/v1/appointments" {
		req.Header.Set(api.HeaderIdempotency, domain.NewToken()[:16])
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
		} else {
			req.Header.Set(headers[i], headers[i+1])
		}
	}
	w := httptest.NewRecorder()
	f.gw.ServeHTTP(w, req)
	return w
}

// firstSlot is the first free slot of the energy counter.
func (f *fixture) firstSlot(t *testing.T) api.Slot {
	t.Helper()
	w := f.call("GET", "/v1/services/energie/slots?days=3", "")
	var list api.SlotList
	decode(t, w, http.StatusOK, &list)
	if len(list.Slots) == 0 {
		t.Fatal("no free slots")
	}
	return list.Slots[0]
}

func bookingBody(start time.Time) string {
	b, _ := json.Marshal(api.BookingRequest{
		ServiceID: "energie", Start: start, Language: "fr",
		Contact: api.Contact{Name: "Amina Benali", Email: "amina@example.be", Phone: "0470 12 34 56"},
	})
	return string(b)
}

func decode(t *testing.T, w *httptest.ResponseRecorder, status int, v any) {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d; body %s", w.Code, status, w.Body)
	}
	if v == nil {
		return
	}
	if err := json.Unmarshal(w.Body.Bytes(), v); err != nil {
		t.Fatalf("decode %s: %v", w.Body, err)
	}
}

// errorCode returns the code of an error envelope, failing when the body
// is not one.
func errorCode(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	var body api.ErrorBody
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || body.Error.Code == "" || body.Error.Message == "" {
		t.Fatalf("not an error envelope (%v): %s", err, w.Body)
	}
	return body.Error.Code
}
