package kiosk_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/digitalebalie/balie/app/gateway"
	"github.com/digitalebalie/balie/app/gatewayclient"
	"github.com/digitalebalie/balie/app/kiosk"
	"github.com/digitalebalie/balie/app/phonepage"
	"github.com/digitalebalie/balie/app/phonepage/chromiumtest"
	"github.com/digitalebalie/balie/app/qr/qrtest"
)

// A kiosk in gateway mode books, finds and cancels through a real gateway
// on loopback, and the QR code on the done screen opens the phone page in
// a real browser.
func TestKioskThroughTheGateway(t *testing.T) {
	const token = "kiosk-e2e-device-token-000000"
	var gw http.Handler // set once the harness has opened its store
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { gw.ServeHTTP(w, r) }))
	defer srv.Close()
	h := newHarness(t, func(c *kiosk.Config) {
		c.Backend = gatewayclient.New(gatewayclient.Options{BaseURL: srv.URL, DeviceToken: token})
		c.Practice = false
		c.PhoneBase = srv.URL
	})
	gw = gateway.New(gateway.Options{
		Store:     h.store,
		Devices:   map[string]string{token: "e2e-kiosk"},
		PhonePage: phonepage.New(phonepage.Config{Appointments: h.store, Catalog: h.msgs, Now: h.clock.Now}),
		Now:       h.clock.Now,
	})

	// Book in French.
	lang := "fr"
	h.toContact(lang)
	h.mustNotShow(h.T(lang, "PracticeBanner", nil))
	h.fill(0, "Amina El Idrissi")
	h.fill(1, "amina@example.be")
	h.tap(h.T(lang, "ContactContinue", nil))
	h.tap(h.T(lang, "ConfirmBook", nil))
	h.run.Flush()
	h.mustShow(h.T(lang, "DoneTitle", nil))
	var code string
	for _, s := range h.texts() {
		if codeOnScreen.MatchString(s) {
			code = s
		}
	}
	if n, _ := h.store.CountAppointments(); code == "" || n != 1 {
		t.Fatalf("code %q on screen, %d appointments in the gateway's store", code, n)
	}

	// The QR opens the gateway's phone page for this appointment.
	link, err := qrtest.Decode(h.onlyQR())
	if err != nil || !strings.HasPrefix(link, srv.URL+"/a/") {
		t.Fatalf("QR says %q (%v), want the gateway's phone page", link, err)
	}
	dom := chromiumtest.Run(t, chromiumtest.Find(t), chromiumtest.PhoneSize, "--dump-dom", link)
	for _, want := range []string{`lang="fr"`, code, h.serviceName(lang, "energie")} {
		if !strings.Contains(dom, want) {
			t.Errorf("the phone page in Chromium lacks %q", want)
		}
	}

	// Find it again, then cancel it, from the kiosk.
	h.tap(h.T(lang, "NavStartOver", nil))
	h.tap(languageName(t, lang))
	h.tap(h.T(lang, "HomeJoin", nil))
	h.fill(0, strings.ToLower(code))
	h.fill(1, "amina@example.be")
	h.tap(h.T(lang, "JoinFind", nil))
	h.run.Flush()
	h.mustShow(h.T(lang, "JoinStatusQuestion", nil))
	h.tap(h.T(lang, "JoinCancelAsk", nil))
	h.mustShow(h.T(lang, "JoinCancelQuestion", nil))
	h.assertTall()
	h.tap(h.T(lang, "JoinCancelYes", nil))
	h.run.Flush()
	h.mustShow(h.T(lang, "JoinCancelled", nil))
	h.mustNotShow(h.T(lang, "JoinNow", nil))
	found, err := h.store.Find(t.Context(), code, "amina@example.be")
	if err != nil || !found.Cancelled {
		t.Fatalf("in the gateway's store: %+v, %v", found, err)
	}
}
