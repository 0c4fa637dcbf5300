package backoffice

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/city"
	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/store"
)

// monday 08:00 in Ghent.
var monday = time.Date(2026, 11, 23, 8, 0, 0, 0, domain.Brussels)

const password = "correct horse battery"

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// fixture is a back office on a fresh store, served by httptest, with one
// account per role: counters and leads of the Energiecentrale and of the
// Woonwijzer.
type fixture struct {
	store *store.Store
	srv   *httptest.Server
	clock *clock
	bo    *Server
}

var accounts = []store.StaffAccount{
	{Name: "counter-energie", Role: "counter", Themes: []string{"energie"}},
	{Name: "counter-woon", Role: "counter", Themes: []string{"woonwijzer"}},
	{Name: "lead-energie", Role: "lead", Themes: []string{"energie"}},
	{Name: "lead-woon", Role: "lead", Themes: []string{"woonwijzer"}},
	{Name: "phone", Role: "phone"},
	{Name: "privacy", Role: "privacy"},
	{Name: "support", Role: "support"},
	{Name: "management", Role: "management"},
	{Name: "research", Role: "research"},
	{Name: "admin", Role: "admin"},
}

// hashOnce hashes the test password once: argon2id is slow on purpose.
var hashOnce = sync.OnceValue(func() string {
	h, err := HashPassword(password)
	if err != nil {
		panic(err)
	}
	return h
})

func newFixture(t testing.TB) *fixture {
	t.Helper()
	clk := &clock{t: monday}
	st, err := store.Open(store.Options{
		Path: filepath.Join(t.TempDir(), "gateway.db"), Services: city.MustLoad("gent").Services(),
		Now: clk.Now, JoinTemplate: "https://video.example/{room}", Notices: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for _, a := range accounts {
		a.Hash = hashOnce()
		if err := st.PutStaff(a, "test"); err != nil {
			t.Fatal(err)
		}
	}
	bo, err := New(Options{Store: st, Now: clk.Now, Insecure: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(bo)
	t.Cleanup(srv.Close)
	return &fixture{store: st, srv: srv, clock: clk, bo: bo}
}

// book makes a kiosk booking in theme at the first free time.
func (f *fixture) book(t testing.TB, theme, name string) domain.Appointment {
	t.Helper()
	ctx := context.Background()
	slots, err := f.store.Slots(ctx, theme, monday, 5)
	if err != nil || len(slots) == 0 {
		t.Fatalf("slots: %v %v", slots, err)
	}
	a, err := f.store.Book(ctx, domain.BookingRequest{
		ServiceID: theme, Start: slots[0].Start, Language: "ar",
		Contact: domain.Contact{Name: name, Email: strings.ToLower(name) + "@example.be", Phone: "0470 12 34 56"}, Interpreter: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// browser is one member of staff's browser: a cookie jar, no redirects
// followed, and the form token of the last page seen.
type browser struct {
	t      testing.TB
	client *http.Client
	base   string
	csrf   string
}

func (f *fixture) browser(t testing.TB) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: f.srv.URL, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// signIn signs name in with the test password and keeps the form token.
func (f *fixture) signIn(t testing.TB, name string) *browser {
	t.Helper()
	b := f.browser(t)
	res, _ := b.post("/staff/signin", url.Values{"name": {name}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: %d", name, res.StatusCode)
	}
	for _, p := range []string{"/staff/agenda", "/staff/audit", "/staff/help", "/staff/figures", "/staff/research"} {
		if res, body := b.get(p); res.StatusCode == http.StatusOK {
			b.keepToken(body)
			return b
		}
	}
	t.Fatalf("%s sees no page after signing in", name)
	return nil
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (b *browser) keepToken(body string) {
	if m := csrfField.FindStringSubmatch(body); m != nil {
		b.csrf = m[1]
	}
}

func (b *browser) get(path string) (*http.Response, string) {
	b.t.Helper()
	res, err := b.client.Get(b.base + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

// post sends a form with the browser's form token.
func (b *browser) post(path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if b.csrf != "" && form.Get("csrf") == "" {
		form.Set("csrf", b.csrf)
	}
	res, err := b.client.PostForm(b.base+path, form)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}
