package kiosk_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/gateway"
	"github.com/digitalebalie/balie/app/gatewayclient"
	"github.com/digitalebalie/balie/app/kiosk"
)

// fault is what the proxy between kiosk and gateway does to a request.
type fault int

const (
	passThrough fault = iota
	down              // the connection is dropped before any answer
	slow              // the answer comes after the kiosk stopped waiting
	err500
	err503         // with Retry-After
	garbage        // 200 with a body that is not JSON
	truncated      // 200 with half a JSON body
	resetAfterWork // the gateway does the work, the answer is lost
)

// faultProxy is a small reverse proxy with a switchable fault, in front
// of a real gateway: no sleeps on real networks.
type faultProxy struct {
	mu     sync.Mutex
	fault  fault
	times  int // how many requests the fault hits; 0: all
	target http.Handler
	srv    *httptest.Server
}

func (p *faultProxy) set(f fault, times int) {
	p.mu.Lock()
	p.fault, p.times = f, times
	p.mu.Unlock()
}

func (p *faultProxy) next() fault {
	p.mu.Lock()
	defer p.mu.Unlock()
	f := p.fault
	if p.times > 0 {
		if p.times--; p.times == 0 {
			p.fault = passThrough
		}
	}
	return f
}

func (p *faultProxy) setTarget(h http.Handler) {
	p.mu.Lock()
	p.target = h
	p.mu.Unlock()
}

func (p *faultProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	target := p.target
	p.mu.Unlock()
	drop := func() {
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			conn.(*net.TCPConn).SetLinger(0) // a reset, not a clean close
			conn.Close()
		}
	}
	switch p.next() {
	case down:
		drop()
	case slow:
		time.Sleep(700 * time.Millisecond)
		target.ServeHTTP(w, r)
	case err500:
		http.Error(w, "boom", http.StatusInternalServerError)
	case err503:
		w.Header().Set("Retry-After", "1")
		http.Error(w, "later", http.StatusServiceUnavailable)
	case garbage:
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte("<html>captive portal</html>"))
	case truncated:
		rec := httptest.NewRecorder()
		target.ServeHTTP(rec, r)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes()[:rec.Body.Len()/2])
	case resetAfterWork:
		target.ServeHTTP(httptest.NewRecorder(), r)
		drop()
	default:
		target.ServeHTTP(w, r)
	}
}

const faultToken = "fault-proxy-device-token-0000"

// faultHarness is a kiosk in gateway mode whose calls go through the
// proxy to a gateway on the harness's own store. One attempt waits 300
// ms and the kiosk at most 1.5 s, so the faults play out quickly; the
// real kiosk waits 4 s an attempt and 15 s in all.
func faultHarness(t *testing.T) (*harness, *faultProxy) {
	p := &faultProxy{}
	p.srv = httptest.NewServer(p)
	t.Cleanup(p.srv.Close)
	h := newHarness(t, func(c *kiosk.Config) {
		c.Backend = gatewayclient.New(gatewayclient.Options{BaseURL: p.srv.URL, DeviceToken: faultToken,
			Timeout: 300 * time.Millisecond, RetryWait: 20 * time.Millisecond, RetryMaxWait: 100 * time.Millisecond})
		c.Practice = false
		c.CallTimeout = 1500 * time.Millisecond
		c.BookingPage = "https://stad.example/afspraak"
	})
	p.setTarget(gateway.New(gateway.Options{Store: h.store, Devices: map[string]string{faultToken: "zuil-1"}, Now: h.clock.Now}))
	return h, p
}

// toConfirm fills the contact screen and goes on to the summary.
func (h *harness) toConfirm(lang string) {
	h.t.Helper()
	h.toContact(lang)
	h.fill(0, "Amina El Idrissi")
	h.fill(1, "amina@example.be")
	h.tap(h.T(lang, "ContactContinue", nil))
	h.mustShow(h.T(lang, "ConfirmQuestion", nil))
}

// Every fault at the moment of booking: the busy state shows at once,
// the wait ends within the kiosk's limit, the visitor reads in their
// language that the appointment is not confirmed (or is made), with a
// way forward, and trying again never books twice.
func TestBookingThroughFaults(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault fault
		times int
		made  bool // the fault hides an answer, but the booking was made
	}{
		{"gateway down", down, 0, false},
		{"answers too late", slow, 0, false},
		{"500", err500, 0, false},
		{"503 with Retry-After", err503, 0, false},
		{"garbage", garbage, 0, false},
		{"truncated JSON", truncated, 0, true},
		{"reset after the booking, every attempt", resetAfterWork, 0, true},
		{"reset after the booking, once", resetAfterWork, 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, p := faultHarness(t)
			h.toConfirm("fr")
			p.set(tc.fault, tc.times)
			h.tap(h.T("fr", "ConfirmBook", nil))
			h.mustShow(h.T("fr", "BusyBooking", nil)) // at once, before any answer
			start := time.Now()
			h.run.Flush()
			if took := time.Since(start); took > 2*time.Second {
				t.Errorf("the visitor waited %s", took)
			}
			if tc.times == 1 { // the retry with the same key got the booking back
				h.mustShow(h.T("fr", "DoneTitle", nil))
			} else {
				h.mustShow(h.T("fr", "BookNotConfirmed", nil))
				h.mustShow(h.T("fr", "BookOnPhone", nil))
				h.mustShow(h.T("fr", "ConfirmBook", nil)) // try again
				if len(h.images()) == 0 {
					t.Error("no QR code to the city's booking page")
				}
				p.set(passThrough, 0)
				h.tap(h.T("fr", "ConfirmBook", nil))
				h.run.Flush()
				h.mustShow(h.T("fr", "DoneTitle", nil))
			}
			if n, _ := h.store.CountAppointments(); n != 1 {
				t.Errorf("%d appointments after the fault and a retry, want 1", n)
			}
		})
	}
}

// Faults while browsing: the themes and times the kiosk knew stay on
// screen under a calm offline banner; a listing it never had says so,
// with "try again".
func TestBrowsingOffline(t *testing.T) {
	h, p := faultHarness(t)
	h.toContact("ar") // lists the themes and the energy counter's times
	h.startOver("ar")
	p.set(down, 0)
	h.tap(languageName(t, "ar"))
	h.tap(h.T("ar", "HomeBook", nil))
	h.run.Flush()
	h.mustShow(h.T("ar", "ThemeQuestion", nil)) // the catalogue the kiosk had
	h.tap(h.serviceName("ar", "energie"))
	h.tap(h.T("ar", "FitContinue", nil))
	h.run.Flush()
	h.mustShow(h.T("ar", "DayQuestion", nil)) // the times it listed minutes ago
	h.mustShow(h.T("ar", "OfflineBanner", nil))

	h.tap(h.T("ar", "NavBack", nil))
	h.tap(h.T("ar", "NavBack", nil))
	h.tap(h.serviceName("ar", "woonwijzer")) // never listed
	h.tap(h.T("ar", "FitContinue", nil))
	h.run.Flush()
	h.mustShow(h.T("ar", "ErrorOffline", nil))
	h.mustShow(h.T("ar", "ErrorRetry", nil))

	p.set(passThrough, 0)
	h.tap(h.T("ar", "ErrorRetry", nil))
	h.run.Flush()
	h.mustShow(h.T("ar", "DayQuestion", nil))
	h.mustNotShow(h.T("ar", "OfflineBanner", nil))
}

// A gateway whose certificate the kiosk does not trust: the visitor reads
// that the service is unavailable, and staff find why in the log.
func TestWrongCertificate(t *testing.T) {
	var gw http.Handler
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { gw.ServeHTTP(w, r) }))
	defer srv.Close()
	h := newHarness(t, func(c *kiosk.Config) {
		c.Backend = gatewayclient.New(gatewayclient.Options{BaseURL: srv.URL, DeviceToken: faultToken, Timeout: 300 * time.Millisecond})
		c.Practice, c.CallTimeout = false, 1500*time.Millisecond
	})
	gw = gateway.New(gateway.Options{Store: h.store, Devices: map[string]string{faultToken: "zuil-1"}})
	h.tap(languageName(t, "nl"))
	h.tap(h.T("nl", "HomeBook", nil))
	h.run.Flush()
	h.mustShow(h.T("nl", "ErrorUnavailable", nil))
	h.mustShow(h.T("nl", "ErrorRetry", nil))
	if !strings.Contains(h.log.String(), "certificate") {
		t.Errorf("the log does not name the certificate:\n%s", h.log.String())
	}
}

// The gateway restarts in the middle of a visit (a new process on the
// same data): the visitor books without noticing.
func TestGatewayRestartsDuringAVisit(t *testing.T) {
	h, p := faultHarness(t)
	h.toConfirm("tr")
	p.setTarget(gateway.New(gateway.Options{Store: h.store, Devices: map[string]string{faultToken: "zuil-1"}, Now: h.clock.Now}))
	h.tap(h.T("tr", "ConfirmBook", nil))
	h.run.Flush()
	h.mustShow(h.T("tr", "DoneTitle", nil))
}

// The kiosk's clock is hours off: the gateway's clock decides which times
// are free, and booking one works.
func TestKioskClockHoursOff(t *testing.T) {
	h, p := faultHarness(t)
	gatewayNow := h.clock.Now()
	p.setTarget(gateway.New(gateway.Options{Store: h.store, Devices: map[string]string{faultToken: "zuil-1"},
		Now: func() time.Time { return gatewayNow }}))
	h.clock.Advance(-5 * time.Hour)
	h.toConfirm("nl")
	h.tap(h.T("nl", "ConfirmBook", nil))
	h.run.Flush()
	h.mustShow(h.T("nl", "DoneTitle", nil))
}
