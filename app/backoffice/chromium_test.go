package backoffice

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/phonepage/chromiumtest"
)

// Every back-office page passes axe-core's WCAG 2.0-2.2 A and AA rules in
// headless Chromium at 1366×768 and on a 768 px tablet.
// With BALIE_STAFF_SHOTS=DIR it also saves a screenshot of each, in both
// layouts, for people to look at.
func TestBackOfficePagesInChromium(t *testing.T) {
	bin := chromiumtest.Find(t)
	shots := os.Getenv("BALIE_STAFF_SHOTS")
	f := newFixture(t)
	f.bo.opts.FeedBase = "https://balie.example"
	a := f.book(t, "energie", "Amina")
	f.book(t, "energie", "Bram")
	counter := f.signIn(t, "counter-energie")
	lead := f.signIn(t, "lead-energie")
	phone := f.signIn(t, "phone")
	privacy := f.signIn(t, "privacy")
	counter.post("/staff/a/"+a.Code+"/contact", nil) // something in the audit log
	f.store.RequestHelp(t.Context(), domain.HelpRequest{Device: "stadskantoor-1", Language: "ar", Screen: "contact"})
	support := f.signIn(t, "support")
	f.someVisits(t)
	consenting, _ := f.store.Slots(t.Context(), "energie", monday, 5)
	f.store.Book(t.Context(), domain.BookingRequest{ServiceID: "energie", Start: consenting[0].Start, Language: "tr", ConsentResearch: true,
		Contact: domain.Contact{Name: "Ayşe Yılmaz", Email: "ayse@example.be", Phone: "0470 99 88 77"}})
	lowered := url.Values{"theme": {"energie"}, "slot": {"30"}, "counters": {"1"}, "lead": {"1"}, "horizon": {"30"},
		"d1-0-from": {"13:00"}, "d1-0-to": {"16:00"}}

	both := []string{"1366,768", "768,1024"}
	pages := []struct {
		name string
		load func() (*http.Response, string)
	}{
		{"signin", func() (*http.Response, string) { return f.browser(t).get("/staff/signin") }},
		{"agenda-day", func() (*http.Response, string) { return counter.get("/staff/agenda?theme=energie") }},
		{"agenda-week", func() (*http.Response, string) { return counter.get("/staff/agenda?theme=energie&view=week") }},
		{"appointment-contact", func() (*http.Response, string) { return counter.post("/staff/a/"+a.Code+"/contact", nil) }},
		{"print", func() (*http.Response, string) { return counter.get("/staff/print?theme=energie") }},
		{"capacity", func() (*http.Response, string) { return lead.get("/staff/capacity?theme=energie") }},
		{"capacity-misfits", func() (*http.Response, string) { return lead.post("/staff/capacity", lowered) }},
		{"book", func() (*http.Response, string) { return phone.get("/staff/book?theme=energie") }},
		{"book-refused", func() (*http.Response, string) {
			return phone.post("/staff/book", url.Values{"theme": {"energie"}, "name": {"X"}, "email": {"x@"}})
		}},
		{"move", func() (*http.Response, string) { return phone.get("/staff/a/" + a.Code + "/move") }},
		{"cancel", func() (*http.Response, string) { return phone.get("/staff/a/" + a.Code + "/cancel") }},
		{"feeds", func() (*http.Response, string) { return counter.post("/staff/feeds", url.Values{"theme": {"energie"}}) }},
		{"audit", func() (*http.Response, string) { return privacy.get("/staff/audit") }},
		{"help", func() (*http.Response, string) { return support.get("/staff/help") }},
		{"accounts", func() (*http.Response, string) { return f.signIn(t, "admin").get("/staff/accounts") }},
		{"figures", func() (*http.Response, string) {
			return f.signIn(t, "management").get("/staff/figures?from=2026-11-17&to=2026-11-23")
		}},
		{"figures-empty", func() (*http.Response, string) {
			return f.signIn(t, "management").get("/staff/figures?from=2025-01-01&to=2025-01-31")
		}},
		{"research", func() (*http.Response, string) { return f.signIn(t, "research").get("/staff/research") }},
		{"forbidden", func() (*http.Response, string) { return privacy.get("/staff/agenda") }},
	}
	for _, p := range pages {
		res, body := p.load()
		for _, size := range both {
			t.Run(p.name+"/"+size, func(t *testing.T) {
				for _, v := range chromiumtest.AxePage(t, bin, size, body, f.srv.URL+res.Request.URL.Path, "text/html; charset=utf-8") {
					t.Errorf("%s", v)
				}
				if shots != "" {
					screenshot(t, bin, size, body, f.srv.URL, filepath.Join(shots, fmt.Sprintf("%s-%s.png", p.name, strings.Split(size, ",")[0])))
					if p.name == "figures" { // the whole page, charts and all
						w := strings.Split(size, ",")[0]
						screenshot(t, bin, w+",3600", body, f.srv.URL, filepath.Join(shots, fmt.Sprintf("%s-%s-whole.png", p.name, w)))
					}
				}
			})
		}
	}
}

// screenshot saves what Chromium shows of a page fetched behind the sign-in:
// a copy served with a <base> to the back office, for its stylesheet.
func screenshot(t *testing.T, bin, size, page, base, path string) {
	t.Helper()
	copyOf := strings.Replace(page, "<head>", `<head><base href="`+base+`/staff/">`, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, copyOf)
	}))
	defer srv.Close()
	os.MkdirAll(filepath.Dir(path), 0o755)
	chromiumtest.Run(t, bin, size, "--screenshot="+path, srv.URL)
}
