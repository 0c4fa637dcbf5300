package backoffice

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/digitalebalie/balie/app/phonepage/chromiumtest"
)

// The agenda's refresh script, run by Chromium: it polls the version every
// 5 seconds and reloads the page once the version changed, as when a
// booking arrived.
func TestAgendaReloadsItselfInChromium(t *testing.T) {
	bin := chromiumtest.Find(t)
	f := newFixture(t)
	b := f.signIn(t, "counter-energie")
	_, page := b.get("/staff/agenda?theme=energie")
	if !strings.Contains(page, `data-version-url=`) {
		t.Fatal("the agenda has no version to poll")
	}
	var loads, polls atomic.Int32
	backOffice, _ := url.Parse(f.srv.URL)
	mux := http.NewServeMux()
	mux.Handle("/staff/static/", httputil.NewSingleHostReverseProxy(backOffice)) // the real script
	drawnWith := page[strings.Index(page, `data-version="`)+len(`data-version="`):][:16]
	mux.HandleFunc("/staff/agenda/version", func(w http.ResponseWriter, r *http.Request) {
		// The first poll sees what the page was drawn with; then a booking.
		v := "changed"
		if polls.Add(1) == 1 {
			v = drawnWith
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"version":"`+v+`"}`)
	})
	mux.HandleFunc("/staff/agenda", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if loads.Add(1) == 1 {
			io.WriteString(w, page)
			return
		}
		// Reloaded: drawn with the booking, so it stays.
		io.WriteString(w, strings.Replace(page, drawnWith, "changed", 1))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	chromiumtest.Run(t, bin, "1366,768", "--dump-dom", "--virtual-time-budget=20000", srv.URL+"/staff/agenda?theme=energie")
	if polls.Load() < 2 || loads.Load() < 2 {
		t.Fatalf("Chromium polled %d times and loaded the agenda %d times: it did not reload on a new version", polls.Load(), loads.Load())
	}
}
