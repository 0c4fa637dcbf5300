package phonepage

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/city"
	"github.com/digitalebalie/balie/app/domain"
)

// fuzzToken is the one token FuzzToken's bookings know: fixed, unlike the
// store's, so every fuzz worker and the seed corpus agree on it.
const fuzzToken = "qZ0yT3m4pX8wA1bC2dE3fG4hI5jK6lM7nO8pQ9rS0tU"

// fuzzBookings is one booking, Monday 09:00 in Arabic, under fuzzToken.
type fuzzBookings struct{ services []domain.Service }

func (b fuzzBookings) FindByToken(_ context.Context, token string) (domain.Appointment, error) {
	if token != fuzzToken {
		return domain.Appointment{}, &domain.Error{Code: domain.ENotFound}
	}
	start := monday.Add(time.Hour)
	return domain.Appointment{Code: "K7M-4PQ", Token: fuzzToken, ServiceID: "energie", Start: start, End: start.Add(45 * time.Minute),
		Language: "ar", JoinURL: "https://video.example/room?c=K7M4PQ&lang=ar"}, nil
}

func (b fuzzBookings) CancelByToken(ctx context.Context, token string) error {
	_, err := b.FindByToken(ctx, token)
	return err
}

func (b fuzzBookings) Services(context.Context) ([]domain.Service, error) { return b.services, nil }

// FuzzToken: GET /a/{token}, its calendar.ics and its cancel page, with any
// token and ?lang=. Only the booking's own token (direction marks and
// spaces around it aside) opens it, with 200; anything else is 404 with
// the very page an unknown token gets, so nothing of it is echoed. Never a
// 5xx, and every answer keeps the token out of referrers and caches.
//
//	go test ./app/phonepage -run '^$' -fuzz '^FuzzToken$' -fuzztime 30s
func FuzzToken(f *testing.F) {
	msgs := city.MustCatalog("gent")
	h := New(Config{Appointments: fuzzBookings{city.MustLoad("gent").Services()}, Catalog: msgs,
		Now: func() time.Time { return monday }, CSRFKey: []byte("test key"), Log: slog.New(slog.DiscardHandler)})
	for _, s := range []struct {
		token, lang string
		page        uint8
	}{
		{fuzzToken, "", 0}, {fuzzToken, "fr", 1}, {fuzzToken, "xx", 2}, {fuzzToken + "\u2069", "", 0}, {"\u2066" + fuzzToken + "\u2069", "ar", 1},
		{" \u200e" + fuzzToken + "\u00a0\t", "", 2}, {fuzzToken[:42], "", 0}, {fuzzToken + "x", "", 0}, {fuzzToken[:20] + "\u2069" + fuzzToken[20:], "", 0},
		{strings.ToLower(fuzzToken), "", 0}, {"<script>alert(1)</script>", "<b>", 0}, {"%2e%2e", "", 0}, {"a/b", "", 1}, {"\x00", "\xff", 2},
		{strings.Repeat("A", 128), "nl", 0}, {strings.Repeat("A", 129), "", 0}, {"K7M-4PQ", "", 0}, {"amina@example.be", "", 0},
	} {
		f.Add(s.token, s.lang, s.page)
	}
	get := func(path, rawPath, lang string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", "/", nil)
		req.URL.Path, req.URL.RawPath = path, rawPath
		if lang != "" {
			req.URL.RawQuery = url.Values{"lang": {lang}}.Encode()
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w
	}
	f.Fuzz(func(t *testing.T, token, lang string, page uint8) {
		suffix := []string{"", "/calendar.ics", "/cancel"}[page%3]
		w := get("/a/"+token+suffix, "/a/"+url.PathEscape(token)+suffix, lang)
		if w.Code >= 500 || w.Header().Get("Referrer-Policy") != "no-referrer" || w.Header().Get("Cache-Control") != "no-store" {
			t.Fatalf("%q %q: status %d, headers %v", token, suffix, w.Code, w.Header())
		}
		if token == "" || token == "." || token == ".." { // the router cleans such a path first
			return
		}
		switch {
		case cleanToken(token) == fuzzToken:
			if w.Code != http.StatusOK {
				t.Fatalf("%q %q: status %d", token, suffix, w.Code)
			}
			if strings.TrimSpace(token) != fuzzToken && strings.Contains(w.Body.String(), token) {
				t.Fatalf("%q %q: the page repeats the token as given", token, suffix)
			}
		case w.Code != http.StatusNotFound:
			t.Fatalf("%q %q: status %d, want 404", token, suffix, w.Code)
		default:
			if unknown := get("/a/unknown", "", lang); w.Body.String() != unknown.Body.String() || w.Header().Get("Location") != "" {
				t.Fatalf("%q %q: not the page of an unknown token:\n%s", token, suffix, w.Body)
			}
		}
	})
}
