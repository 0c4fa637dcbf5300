package phonepage

import (
	"bytes"
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/city"
	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/store"
	"github.com/digitalebalie/balie/i18n"
)

// monday is a working day; the store books from its first slot, 09:00.
var monday = time.Date(2026, 11, 23, 8, 0, 0, 0, domain.Brussels)

// clock is the page's clock, set by each test; the lock lets a test server
// read it while the test moves it.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// syncBuffer collects log lines from the handler's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string { b.mu.Lock(); defer b.mu.Unlock(); return b.buf.String() }

type fixture struct {
	store *store.Store
	msgs  *i18n.Catalog
	clock *testClock
	log   *syncBuffer
	h     http.Handler
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	msgs := city.MustCatalog("gent")
	st, err := store.Open(store.Options{
		Path:     filepath.Join(t.TempDir(), "balie.db"),
		Services: city.MustLoad("gent").Services(),
		Now:      func() time.Time { return monday },
		// A join link with characters html/template must escape.
		JoinTemplate: "https://video.example/{room}?c={code}&lang=x",
		PhoneBase:    "https://balie.example",
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{store: st, msgs: msgs, clock: &testClock{t: monday}, log: &syncBuffer{}}
	f.h = New(Config{
		Appointments: st, Catalog: msgs, Now: f.clock.Now, HelpPhone: city.MustLoad("gent").HelpLine.Phone,
		CSRFKey: []byte("test key"),
		Log:     slog.New(slog.NewTextHandler(f.log, nil)),
	})
	return f
}

// gentPhone is the help line of the city the tests serve.
var gentPhone = city.MustLoad("gent").HelpLine.Phone

// book books the next free Energiecentrale slot in lang.
func (f *fixture) book(t *testing.T, lang string) domain.Appointment {
	t.Helper()
	ctx := context.Background()
	slots, err := f.store.Slots(ctx, "energie", monday, 5)
	if err != nil || len(slots) == 0 {
		t.Fatalf("slots: %v %v", slots, err)
	}
	a, err := f.store.Book(ctx, domain.BookingRequest{
		ServiceID: "energie", Start: slots[0].Start, Language: lang,
		Contact: domain.Contact{Name: "Amina", Email: "amina@example.be", Phone: "0470 12 34 56"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

type response struct {
	status int
	header http.Header
	body   string
}

func (f *fixture) do(t *testing.T, method, target string, form url.Values, header map[string]string) response {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	return response{rec.Code, rec.Header(), rec.Body.String()}
}

func (f *fixture) get(t *testing.T, target string) response {
	t.Helper()
	return f.do(t, http.MethodGet, target, nil, nil)
}

// esc is how html/template writes text, so tests can look for a message.
func esc(s string) string { return html.EscapeString(s) }

func TestAppointmentPage(t *testing.T) {
	f := newFixture(t)
	fr := f.book(t, "fr") // Monday 09:00-09:45
	nl := f.book(t, "nl") // Monday 09:45-10:30
	m := f.msgs
	tests := []struct {
		name     string
		appt     domain.Appointment
		query    string
		at       time.Time
		lang     string
		want     []string
		wantNot  []string
		joinable bool
	}{
		{
			name: "nl two days ahead", appt: nl, at: monday.AddDate(0, 0, -2), lang: "nl",
			want: []string{
				`<html lang="nl" dir="ltr">`, "Uw video-afspraak", "Energiecentrale", "maandag 23 november 2026",
				"09:45 tot 10:30", "45 minuten", nl.Code, "Uw laatste energiefactuur.",
				esc("U kunt deelnemen vanaf maandag 23 november 2026 om 09:30."),
				`<button class="btn join" type="button" disabled>Deelnemen aan het videogesprek</button>`,
				`href="` + nl.Token + `/calendar.ics?lang=nl"`, `href="` + nl.Token + `/cancel?lang=nl"`,
			},
			wantNot: []string{`class="nl"`, `http-equiv="refresh"`, "Vertaling", "Pagina vernieuwen"},
		},
		{
			name: "fr the same morning: Dutch alongside, a link reloads, no timed reload", appt: fr, at: monday, lang: "fr",
			want: []string{
				`<html lang="fr" dir="ltr">`,
				`Votre rendez-vous vidéo <span class="nl" lang="nl" dir="ltr">Uw video-afspraak</span>`,
				"lundi 23 novembre 2026", `<span class="nl" lang="nl" dir="ltr">maandag 23 november 2026</span>`,
				"de 09:00 à 09:45", "45 minutes", esc(m.T("fr", "PhoneTranslation", nil)),
				esc("Vous pourrez rejoindre l'appel à partir de 08:45."),
				`<span class="nl" lang="nl" dir="ltr">U kunt deelnemen vanaf 08:45.</span>`,
				`type="button" disabled`, `<a class="btn" href="?lang=fr">Actualiser la page`,
			},
			wantNot: []string{`http-equiv="refresh"`},
		},
		{
			name: "fr in the quarter before the start", appt: fr, at: monday.Add(50 * time.Minute), lang: "fr", joinable: true,
			want:    []string{esc(m.T("fr", "PhoneJoinSoon", map[string]any{"Time": "09:00"})), "Rejoindre l" + esc("'") + "appel vidéo"},
			wantNot: []string{`type="button" disabled`, `http-equiv="refresh"`},
		},
		{
			name: "fr during the call", appt: fr, at: monday.Add(80 * time.Minute), lang: "fr", joinable: true,
			want: []string{esc(m.T("fr", "PhoneJoinStarted", nil))},
		},
		{
			name: "fr after the end", appt: fr, at: monday.Add(105 * time.Minute), lang: "fr",
			want:    []string{esc(m.T("fr", "PhoneOver", nil)), esc(m.T("fr", "PhoneBookAgain", nil))},
			wantNot: []string{`type="button" disabled`, "/cancel", "calendar.ics"},
		},
		{
			name: "?lang overrides the booking's language", appt: fr, query: "?lang=en", at: monday, lang: "en",
			want: []string{`<html lang="en" dir="ltr">`, "Your video appointment", "08:45", `href="` + fr.Token + `/cancel?lang=en"`},
		},
		{
			name: "?lang not offered keeps the booking's language", appt: fr, query: "?lang=xx", at: monday, lang: "fr",
			want: []string{`<html lang="fr"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.clock.Set(tt.at)
			r := f.get(t, "/a/"+tt.appt.Token+tt.query)
			if r.status != http.StatusOK || r.header.Get("Content-Type") != "text/html; charset=utf-8" {
				t.Fatalf("status %d, type %q", r.status, r.header.Get("Content-Type"))
			}
			for _, w := range tt.want {
				if !strings.Contains(r.body, w) {
					t.Errorf("page lacks %q\n%s", w, r.body)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(r.body, w) {
					t.Errorf("page has %q", w)
				}
			}
			joinLink := `<a class="btn join" href="` + esc(tt.appt.JoinURL) + `">`
			if got := strings.Contains(r.body, joinLink); got != tt.joinable {
				t.Errorf("join link shown = %v, want %v", got, tt.joinable)
			}
			// Only what the visitor needs: no name, e-mail or phone.
			for _, personal := range []string{"Amina", "amina@", "0470", "470 12", "+32470"} {
				if strings.Contains(r.body, personal) {
					t.Errorf("page shows personal data %q", personal)
				}
			}
		})
	}
	if missing := f.msgs.Missing(); len(missing) > 0 {
		t.Errorf("missing messages: %v", missing)
	}
}

func TestCancelledAppointmentPage(t *testing.T) {
	f := newFixture(t)
	a := f.book(t, "fr")
	if err := f.store.CancelByToken(context.Background(), a.Token); err != nil {
		t.Fatal(err)
	}
	f.clock.Set(monday.Add(50 * time.Minute)) // the join window
	r := f.get(t, "/a/"+a.Token)
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	for _, w := range []string{esc(f.msgs.T("fr", "PhoneCancelledStatus", nil)), esc(f.msgs.T("nl", "PhoneCancelledStatus", nil)), gentPhone} {
		if !strings.Contains(r.body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
	for _, w := range []string{"btn join", "/cancel", "calendar.ics", "video.example"} {
		if strings.Contains(r.body, w) {
			t.Errorf("a cancelled appointment's page has %q", w)
		}
	}
}

func TestUnknownTokenGetsAKindPage(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name, target, accept, lang string
	}{
		{"Dutch by default", "/a/" + domain.NewToken(), "", "nl"},
		{"the phone's language", "/a/" + domain.NewToken(), "fr-BE,fr;q=0.9,en;q=0.5", "fr"},
		{"first offered of the phone's languages", "/a/" + domain.NewToken(), "de-DE,de;q=0.9,en;q=0.5", "en"},
		{"Dutch phone", "/a/" + domain.NewToken(), "nl-BE,en;q=0.5", "nl"},
		{"?lang wins", "/a/" + domain.NewToken() + "?lang=en", "fr", "en"},
		{"not a token", "/a/%3Cscript%3E", "", "nl"},
		{"no token", "/a/", "", "nl"},
		{"unknown sub-page", "/a/" + domain.NewToken() + "/other", "", "nl"},
		{"cancel of an unknown token", "/a/" + domain.NewToken() + "/cancel", "", "nl"},
		{"calendar of an unknown token", "/a/" + domain.NewToken() + "/calendar.ics", "", "nl"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.do(t, http.MethodGet, tt.target, nil, map[string]string{"Accept-Language": tt.accept})
			if r.status != http.StatusNotFound {
				t.Fatalf("status %d", r.status)
			}
			want := []string{
				`<html lang="` + tt.lang + `"`,
				esc(f.msgs.T(tt.lang, "PhoneNotFoundTitle", nil)),
				`href="tel:&#43;32` + strings.ReplaceAll(gentPhone[1:], " ", "") + `"`, gentPhone,
			}
			if tt.lang != "nl" {
				want = append(want, `<span class="nl" lang="nl" dir="ltr">`+esc(f.msgs.T("nl", "PhoneNotFoundTitle", nil)))
			}
			for _, w := range want {
				if !strings.Contains(r.body, w) {
					t.Errorf("page lacks %q\n%s", w, r.body)
				}
			}
			if strings.Contains(r.body, "<script") {
				t.Error("the path is echoed into the page")
			}
		})
	}
}

func TestCancelFlow(t *testing.T) {
	f := newFixture(t)
	a := f.book(t, "fr")
	ctx := context.Background()

	r := f.get(t, "/a/"+a.Token+"/cancel")
	if r.status != http.StatusOK {
		t.Fatalf("confirm page: %d", r.status)
	}
	for _, w := range []string{esc(f.msgs.T("fr", "PhoneCancelExplain", nil)), esc(f.msgs.T("nl", "PhoneCancelExplain", nil)), `<form method="post">`, `href="../` + a.Token + `?lang=fr"`} {
		if !strings.Contains(r.body, w) {
			t.Errorf("confirm page lacks %q", w)
		}
	}
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(r.body)
	if csrf == nil {
		t.Fatal("no csrf field")
	}
	if got, _ := f.store.FindByToken(ctx, a.Token); got.Cancelled {
		t.Fatal("showing the question cancelled already")
	}

	r = f.do(t, http.MethodPost, "/a/"+a.Token+"/cancel?lang=fr", url.Values{"csrf": {csrf[1]}}, map[string]string{"Sec-Fetch-Site": "same-origin"})
	if r.status != http.StatusOK || !strings.Contains(r.body, esc(f.msgs.T("fr", "PhoneCancelDoneText", nil))) {
		t.Fatalf("cancel: %d\n%s", r.status, r.body)
	}
	if got, _ := f.store.FindByToken(ctx, a.Token); !got.Cancelled {
		t.Fatal("not cancelled")
	}
	slots, _ := f.store.Slots(ctx, "energie", monday, 1)
	if len(slots) == 0 || !slots[0].Start.Equal(a.Start) {
		t.Fatalf("the slot was not freed: first free %v", slots)
	}

	// A second tap is answered kindly, and the question is not asked again.
	r = f.do(t, http.MethodPost, "/a/"+a.Token+"/cancel", url.Values{"csrf": {csrf[1]}}, nil)
	if r.status != http.StatusOK {
		t.Fatalf("second cancel: %d", r.status)
	}
	r = f.get(t, "/a/"+a.Token+"/cancel?lang=fr")
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "../"+a.Token+"?lang=fr" {
		t.Fatalf("confirm after cancel: %d %q", r.status, r.header.Get("Location"))
	}
}

func TestCancelRefusesForgedRequests(t *testing.T) {
	f := newFixture(t)
	a := f.book(t, "nl")
	signer := &handler{cfg: Config{CSRFKey: []byte("test key")}} // the fixture's key
	field, other := signer.csrfField(a.Token), signer.csrfField(domain.NewToken())
	tests := []struct {
		name   string
		form   url.Values
		header map[string]string
	}{
		{"no field", url.Values{}, nil},
		{"wrong field", url.Values{"csrf": {"x"}}, nil},
		{"field of another token", url.Values{"csrf": {other}}, nil},
		{"from another site", url.Values{"csrf": {field}}, map[string]string{"Sec-Fetch-Site": "cross-site"}},
		{"from a sibling site", url.Values{"csrf": {field}}, map[string]string{"Sec-Fetch-Site": "same-site"}},
		{"old browser, other origin", url.Values{"csrf": {field}}, map[string]string{"Origin": "https://evil.example"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.do(t, http.MethodPost, "/a/"+a.Token+"/cancel", tt.form, tt.header)
			if r.status != http.StatusForbidden || !strings.Contains(r.body, esc(f.msgs.T("nl", "PhoneForbiddenText", nil))) {
				t.Fatalf("status %d\n%s", r.status, r.body)
			}
			if got, _ := f.store.FindByToken(context.Background(), a.Token); got.Cancelled {
				t.Fatal("a forged request cancelled the appointment")
			}
		})
	}
	// The same field from the page itself works.
	r := f.do(t, http.MethodPost, "/a/"+a.Token+"/cancel", url.Values{"csrf": {field}}, map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": "http://example.com"})
	if r.status != http.StatusOK {
		t.Fatalf("genuine cancel: %d", r.status)
	}
}

func TestSecurityHeadersAndMethods(t *testing.T) {
	f := newFixture(t)
	a := f.book(t, "fr")
	p := "/a/" + a.Token
	tests := []struct {
		method, target string
		status         int
		allow          string
	}{
		{"GET", p, 200, ""},
		{"GET", p + "/calendar.ics", 200, ""},
		{"GET", p + "/cancel", 200, ""},
		{"GET", "/a/" + domain.NewToken(), 404, ""},
		{"POST", p + "/cancel", 403, ""},
		{"POST", p, 405, "GET, HEAD"},
		{"PUT", p, 405, "GET, HEAD"},
		{"DELETE", p + "/cancel", 405, "GET, HEAD, POST"},
		{"POST", p + "/calendar.ics", 405, "GET, HEAD"},
	}
	for _, tt := range tests {
		r := f.do(t, tt.method, tt.target, nil, nil)
		if r.status != tt.status || r.header.Get("Allow") != tt.allow {
			t.Errorf("%s %s: %d Allow %q, want %d %q", tt.method, tt.target, r.status, r.header.Get("Allow"), tt.status, tt.allow)
		}
		for k, want := range map[string]string{
			"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
			"Referrer-Policy":         "no-referrer",
			"X-Content-Type-Options":  "nosniff",
			"Cache-Control":           "no-store",
		} {
			if got := r.header.Get(k); got != want {
				t.Errorf("%s %s: %s = %q", tt.method, tt.target, k, got)
			}
		}
	}
}

func TestHeadOverHTTP(t *testing.T) {
	f := newFixture(t)
	a := f.book(t, "nl")
	srv := httptest.NewServer(f.h)
	defer srv.Close()
	for _, path := range []string{"/a/" + a.Token, "/a/" + a.Token + "/calendar.ics", "/a/" + domain.NewToken()} {
		resp, err := http.Head(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusMethodNotAllowed || len(body) != 0 || resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("HEAD %s: %d, %d bytes", path, resp.StatusCode, len(body))
		}
	}
}

// failing is a booking system that is down, and whose error quotes the
// token, as a careless adapter might.
type failing struct{}

func (failing) FindByToken(ctx context.Context, token string) (domain.Appointment, error) {
	return domain.Appointment{}, domain.Errorf(domain.EUnavailable, "GET /bookings/%s: timeout", token)
}
func (failing) CancelByToken(ctx context.Context, token string) error  { return nil }
func (failing) Services(ctx context.Context) ([]domain.Service, error) { return nil, nil }

var _ Appointments = failing{}
var _ Appointments = (*store.Store)(nil)

func TestFailureIsKindAndLogsNoToken(t *testing.T) {
	var log syncBuffer
	h := New(Config{Appointments: failing{}, Catalog: city.MustCatalog("gent"), Log: slog.New(slog.NewTextHandler(&log, nil))})
	token := domain.NewToken()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/a/"+token+"?lang=fr", nil))
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "Un problème est survenu") {
		t.Fatalf("status %d\n%s", rec.Code, rec.Body)
	}
	if strings.Contains(log.String(), token) || !strings.Contains(log.String(), "unavailable") {
		t.Fatalf("log: %s", log.String())
	}
}

// TestEveryPhoneMessageExists finds every Phone* message id the code and
// templates use and asks for it in every offered language. (i18n's own test
// checks that each file has the same ids as the Dutch one.)
func TestEveryPhoneMessageExists(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	tmpl, _ := filepath.Glob("templates/*.html")
	ids := map[string]bool{}
	for _, name := range append(files, tmpl...) {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range regexp.MustCompile(`"(Phone[A-Z][A-Za-z]*)"`).FindAllStringSubmatch(string(src), -1) {
			ids[m[1]] = true
		}
	}
	if len(ids) < 30 {
		t.Fatalf("found only %d message ids: %v", len(ids), ids)
	}
	msgs := city.MustCatalog("gent")
	// Without a count: the plural forms are i18n's TestEveryPluralFormExists.
	for id := range ids {
		for _, l := range i18n.Offered {
			if got := msgs.T(l.Tag, id, nil); got == id || got == "" {
				t.Errorf("%s: message %s is missing", l.Tag, id)
			}
		}
	}
	if m := msgs.Missing(); len(m) > 0 {
		t.Errorf("missing: %v", m)
	}
}

// TestPagesAreSmall keeps the page light for a cheap phone on a weak
// network: HTML, CSS and all, with nothing else to fetch.
func TestPagesAreSmall(t *testing.T) {
	f := newFixture(t)
	a := f.book(t, "fr")
	for _, path := range []string{"/a/" + a.Token, "/a/" + a.Token + "/cancel", "/a/" + domain.NewToken()} {
		r := f.get(t, path)
		t.Logf("%s: %d bytes", strings.Replace(path, a.Token, "{token}", 1), len(r.body))
		if len(r.body) > 12<<10 {
			t.Errorf("%s is %d bytes", path, len(r.body))
		}
		if regexp.MustCompile(`(?i)<script|src=|<link rel="stylesheet"|https?://[^"]*\.(css|js|woff)`).MatchString(r.body) {
			t.Errorf("%s loads something else", path)
		}
	}
}
