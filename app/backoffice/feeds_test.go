package backoffice

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"
)

var feedURL = regexp.MustCompile(`id="feed-url" value="([^"]+)"`)

// A counter makes a secret feed of their theme: the URL is shown once, the
// feed parses as iCalendar and holds the appointment's code but no name or
// contact, another member of staff cannot revoke it, and once revoked the
// URL answers 404.
func TestCalendarFeedForOutlook(t *testing.T) {
	f := newFixture(t)
	a := f.book(t, "energie", "Amina")
	f.bo.opts.FeedBase = "https://balie.example"
	public := httptest.NewServer(func() http.Handler {
		m := http.NewServeMux()
		m.Handle("GET /feed/{file}", FeedHandler(f.store, f.clock.Now))
		return m
	}())
	defer public.Close()

	b := f.signIn(t, "counter-energie")
	_, page := b.post("/staff/feeds", url.Values{"theme": {"energie"}})
	m := feedURL.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no feed URL shown")
	}
	path := strings.TrimPrefix(m[1], "https://balie.example")
	res, err := http.Get(public.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/calendar") {
		t.Fatalf("feed: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	cal, err := ics.ParseCalendar(strings.NewReader(string(body)))
	if err != nil || len(cal.Events()) != 1 {
		t.Fatalf("feed does not parse to one event: %v", err)
	}
	for _, secret := range []string{"Amina", a.Contact.Email, "470"} {
		if strings.Contains(string(body), secret) {
			t.Errorf("the feed holds %q", secret)
		}
	}
	if !strings.Contains(string(body), a.Code) {
		t.Error("the feed does not hold the booking code")
	}
	feeds, _ := f.store.Feeds("")
	other := f.signIn(t, "counter-woon")
	if res, _ := other.post("/staff/feeds/revoke", url.Values{"id": {feeds[0].ID}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("another counter revoking: %d, want 403", res.StatusCode)
	}
	if res, _ := b.post("/staff/feeds/revoke", url.Values{"id": {feeds[0].ID}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
	if res, _ := http.Get(public.URL + path); res.StatusCode != http.StatusNotFound {
		t.Errorf("a revoked feed answers %d", res.StatusCode)
	}
	if res, _ := http.Get(public.URL + "/feed/" + strings.Repeat("x", 40) + ".ics"); res.StatusCode != http.StatusNotFound {
		t.Errorf("a made-up feed answers %d", res.StatusCode)
	}
}
