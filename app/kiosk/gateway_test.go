package kiosk_test

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/city"
	"github.com/digitalebalie/balie/app/gateway"
	"github.com/digitalebalie/balie/app/gatewayclient"
	"github.com/digitalebalie/balie/app/kiosk"
	"github.com/digitalebalie/balie/app/mail"
	"github.com/digitalebalie/balie/app/mail/mailtest"
	"github.com/digitalebalie/balie/app/notify"
	"github.com/digitalebalie/balie/app/phonepage"
	"github.com/digitalebalie/balie/app/phonepage/chromiumtest"
	"github.com/digitalebalie/balie/app/qr/qrtest"
	"github.com/digitalebalie/balie/app/store"
)

// A kiosk in gateway mode books, finds and cancels through a real gateway
// on loopback, and the QR code on the done screen opens the phone page in
// a real browser. The gateway's outbox worker mails the confirmation and
// the cancellation through a real SMTP server; the e-mail's phone-page link
// is the QR code's.
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
	services := city.MustLoad("gent").Services()
	st, err := store.Open(store.Options{
		Path: filepath.Join(t.TempDir(), "gateway.db"), Services: services, Now: h.clock.Now,
		PhoneBase: srv.URL, Notices: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	gw = gateway.New(gateway.Options{
		Store:     st,
		Devices:   map[string]string{token: "e2e-kiosk"},
		PhonePage: phonepage.New(phonepage.Config{Appointments: st, Catalog: h.msgs, Now: h.clock.Now}),
		Now:       h.clock.Now,
	})
	smtp := mailtest.Start(t)
	mailer, err := mail.NewSender(mail.Config{Host: smtp.Host(), Port: smtp.Port(), TLS: mail.TLSNone, From: "Stad Gent <no-reply@stad.gent.example>"})
	if err != nil {
		t.Fatal(err)
	}
	worker := &notify.Worker{Outbox: st, Mail: mailer, Now: h.clock.Now,
		Composer: notify.Composer{Catalog: h.msgs, Services: services, Installation: st.InstallationID()}}

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
	if n, _ := st.CountAppointments(); code == "" || n != 1 {
		t.Fatalf("code %q on screen, %d appointments in the gateway's store", code, n)
	}

	// The QR opens the gateway's phone page for this appointment.
	link, err := qrtest.Decode(h.onlyQR())
	if err != nil || !strings.HasPrefix(link, srv.URL+"/a/") {
		t.Fatalf("QR says %q (%v), want the gateway's phone page", link, err)
	}
	// The confirmation e-mail carries the same link.
	if worker.Tick(t.Context()) != 1 {
		t.Fatal("no confirmation e-mail sent")
	}
	confirmation := string(smtp.Wait(t, 1, 5*time.Second)[0].Data)
	if text := unfoldQP(confirmation); !strings.Contains(text, link) || !strings.Contains(text, code) {
		t.Fatalf("the e-mail lacks the QR code's link %s or the code %s", link, code)
	}
	dom := chromiumtest.Run(t, chromiumtest.Find(t), chromiumtest.PhoneSize, "--dump-dom", link)
	for _, want := range []string{`lang="fr"`, code, h.serviceName(lang, "energie")} {
		if !strings.Contains(dom, want) {
			t.Errorf("the phone page in Chromium lacks %q", want)
		}
	}

	// Find it again, then cancel it, from the kiosk.
	h.startOver(lang)
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
	found, err := st.Find(t.Context(), code, "amina@example.be")
	if err != nil || !found.Cancelled {
		t.Fatalf("in the gateway's store: %+v, %v", found, err)
	}
	worker.Tick(t.Context())
	if got := smtp.Wait(t, 2, 5*time.Second); !strings.Contains(unfoldQP(string(got[1].Data)), "Uw video-afspraak is geannuleerd") {
		t.Fatalf("no cancellation e-mail:\n%s", got[1].Data)
	}
}

// unfoldQP undoes quoted-printable's soft line breaks and its "=" escape,
// enough to find a link in a raw message.
func unfoldQP(s string) string {
	return strings.NewReplacer("=\r\n", "", "=3D", "=").Replace(s)
}
