package phonepage

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/phonepage/chromiumtest"
)

// TestPhonePageAxe runs axe-core's WCAG 2.0, 2.1 and 2.2 A and AA rules on
// every kind of page the phone page shows at a phone's size, and on the
// main pages at a laptop's too, and wants no violation. (One run takes
// about 2.5 s; every page at both sizes would add half a minute to CI.)
func TestPhonePageAxe(t *testing.T) {
	bin := chromiumtest.Find(t)
	f := newFixture(t)
	fr := f.book(t, "fr")            // Monday 09:00
	nl := f.book(t, "nl")            // Monday 09:45
	ar := bookOther(t, f, "ar", 1)   // right to left
	gone := bookOther(t, f, "en", 2) // cancelled by the city
	tr := bookOther(t, f, "tr", 3)   // cancelled by the visitor, through the form
	if err := f.store.CancelByToken(context.Background(), gone.Token); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(asPost(f.h))
	defer srv.Close()

	laptop := []string{chromiumtest.PhoneSize, "1366,768"}
	phone := []string{chromiumtest.PhoneSize}
	pages := []struct {
		name, path string
		at         time.Time
		sizes      []string
	}{
		{"nl-another-day", "/a/" + nl.Token, monday.AddDate(0, 0, -2), phone},
		{"fr-today", "/a/" + fr.Token, monday, laptop},
		{"fr-join-open", "/a/" + fr.Token, monday.Add(50 * time.Minute), phone},
		{"ar-join-open", "/a/" + ar.Token, ar.Start, laptop},
		{"nl-over", "/a/" + nl.Token, monday.Add(12 * time.Hour), phone},
		{"en-cancelled", "/a/" + gone.Token, monday, phone},
		{"fr-cancel-confirm", "/a/" + fr.Token + "/cancel", monday, laptop},
		{"tr-cancel-done", "/as-post/a/" + tr.Token + "/cancel", monday, phone},
		{"fr-cancel-refused", "/as-post/a/" + fr.Token + "/cancel?lang=fr&forged=1", monday, phone},
		{"fr-unknown-token", "/a/" + domain.NewToken() + "?lang=fr", monday, phone},
	}
	for _, p := range pages {
		for _, size := range p.sizes {
			t.Run(p.name+"/"+size, func(t *testing.T) {
				f.clock.Set(p.at)
				for _, v := range chromiumtest.Axe(t, bin, size, srv.URL+p.path) {
					t.Errorf("%s", v)
				}
			})
		}
	}
}

// bookOther is f.book for another visitor: one contact may only hold
// domain.MaxFutureAppointments.
func bookOther(t *testing.T, f *fixture, lang string, n int) domain.Appointment {
	t.Helper()
	ctx := context.Background()
	slots, err := f.store.Slots(ctx, "energie", monday, 1)
	if err != nil || len(slots) == 0 {
		t.Fatalf("slots: %v %v", slots, err)
	}
	a, err := f.store.Book(ctx, domain.BookingRequest{
		ServiceID: "energie", Start: slots[0].Start, Language: lang,
		Contact: domain.Contact{Name: "Visitor", Email: fmt.Sprintf("visitor%d@example.be", n), Phone: fmt.Sprintf("0470 00 00 %02d", n)},
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// asPost answers GET /as-post/{path} with what h answers a POST of the
// cancel form to /{path}, a genuine one or, with ?forged=1, one with a
// wrong field, so that Axe, which only GETs, sees those pages too.
func asPost(h http.Handler) http.Handler {
	signer := &handler{cfg: Config{CSRFKey: []byte("test key")}} // the fixture's key
	mux := http.NewServeMux()
	mux.Handle("/", h)
	mux.HandleFunc("GET /as-post/a/{token}/cancel", func(w http.ResponseWriter, r *http.Request) {
		field := signer.csrfField(r.PathValue("token"))
		if r.URL.Query().Get("forged") != "" {
			field = signer.csrfField(domain.NewToken())
		}
		body := url.Values{"csrf": {field}}.Encode()
		p := r.Clone(r.Context())
		p.Method = http.MethodPost
		p.URL.Path = strings.TrimPrefix(r.URL.Path, "/as-post")
		p.RequestURI = ""
		p.Body, p.ContentLength = io.NopCloser(strings.NewReader(body)), int64(len(body))
		p.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		p.Header.Set("Sec-Fetch-Site", "same-origin")
		h.ServeHTTP(w, p)
	})
	return mux
}
