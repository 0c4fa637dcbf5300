package notify_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	netmail "net/mail"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/digitalebalie/balie/app/city"
	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/mail"
	"github.com/digitalebalie/balie/app/mail/mailtest"
	"github.com/digitalebalie/balie/app/notify"
	"github.com/digitalebalie/balie/app/sms"
	"github.com/digitalebalie/balie/app/store"
	"github.com/digitalebalie/balie/i18n"
)

// clock is the injected time.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// smsGateway is a city's SMS provider on httptest: it records each message.
type smsGateway struct {
	mu     sync.Mutex
	got    []map[string]string
	status int
	srv    *httptest.Server
}

func newSMSGateway(t *testing.T) *smsGateway {
	g := &smsGateway{status: http.StatusAccepted}
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]string
		if r.Header.Get("Authorization") != "Bearer sms-secret" || json.NewDecoder(r.Body).Decode(&body) != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		g.mu.Lock()
		defer g.mu.Unlock()
		if g.status < 300 {
			g.got = append(g.got, body)
		}
		w.WriteHeader(g.status)
	}))
	t.Cleanup(g.srv.Close)
	return g
}

func (g *smsGateway) messages() []map[string]string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]map[string]string(nil), g.got...)
}

type fixture struct {
	t      *testing.T
	clock  *clock
	path   string
	store  *store.Store
	mail   *mailtest.Server
	sms    *smsGateway
	worker *notify.Worker
	logs   *bytes.Buffer
	msgs   *i18n.Catalog
}

func newFixture(t *testing.T, now time.Time) *fixture {
	f := &fixture{t: t, clock: &clock{t: now}, path: filepath.Join(t.TempDir(), "gateway.db"), msgs: city.MustCatalog("gent"), logs: &bytes.Buffer{}}
	f.mail = startMail(t)
	f.sms = newSMSGateway(t)
	f.open()
	return f
}

// open opens the store and a worker on it, as a (re)started gateway does.
func (f *fixture) open() {
	services := city.MustLoad("gent").Services()
	st, err := store.Open(store.Options{
		Path: f.path, Services: services, Now: f.clock.Now, Notices: true,
		PhoneBase: "https://balie.gent.example", JoinTemplate: "https://meet.example/{code}",
	})
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { st.Close() })
	f.store = st
	sender, err := mail.NewSender(mail.Config{
		Host: f.mail.Host(), Port: f.mail.Port(), TLS: mail.TLSStartTLS, RootCAs: f.mail.RootCAs(),
		Username: "balie", Password: "mail-secret", From: "Stad Gent <no-reply@stad.gent.example>",
		Timeout: 5 * time.Second,
	})
	if err != nil {
		f.t.Fatal(err)
	}
	texter, err := sms.NewHTTPProvider(sms.HTTPConfig{
		URL: f.sms.srv.URL, Headers: map[string]string{"Authorization": "Bearer sms-secret"},
		Body: `{"to": {{json .To}}, "text": {{json .Text}}, "reference": {{json .Ref}}}`,
	})
	if err != nil {
		f.t.Fatal(err)
	}
	f.worker = &notify.Worker{
		Outbox: st, Mail: sender, SMS: texter, Now: f.clock.Now,
		Composer: notify.Composer{
			Catalog: f.msgs, Services: services,
			Installation: "gw-test-1", Organizer: "Stad Gent <no-reply@stad.gent.example>",
		},
		Log: slog.New(slog.NewTextHandler(f.logs, nil)),
	}
}

// book books the first energy slot on day at 09:00 in lang.
func (f *fixture) book(day time.Time, lang string, c domain.Contact) domain.Appointment {
	f.t.Helper()
	start := time.Date(day.Year(), day.Month(), day.Day(), 9, 0, 0, 0, domain.Brussels)
	a, err := f.store.Book(context.Background(), domain.BookingRequest{ServiceID: "energie", Start: start, Language: lang, Contact: c})
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

func (f *fixture) tickAt(t time.Time) int {
	f.clock.Set(t)
	return f.worker.Tick(context.Background())
}

var amina = domain.Contact{Name: "Amina El Idrissi", Email: "amina@example.be", Phone: "+32470123456"}

// The confirmation e-mail arrives through a real SMTP server: plain text and
// HTML, Dutch first and then the visitor's language marked as a
// translation, the links, Gentinfo's number, and an .ics that parses.
func TestConfirmationEmail(t *testing.T) {
	f := newFixture(t, time.Date(2026, 11, 23, 10, 0, 0, 0, domain.Brussels))
	a := f.book(time.Date(2026, 11, 30, 0, 0, 0, 0, domain.Brussels), "fr", amina)
	if sent := f.tickAt(f.clock.Now()); sent != 1 {
		t.Fatalf("sent %d, want the confirmation only", sent)
	}
	got := f.mail.Wait(t, 1, 5*time.Second)[0]
	if !got.TLS || got.User != "balie" || len(got.RcptTo) != 1 || got.RcptTo[0] != "amina@example.be" {
		t.Fatalf("envelope: TLS %v user %q to %v", got.TLS, got.User, got.RcptTo)
	}
	msg, err := netmail.ReadMessage(bytes.NewReader(got.Data))
	if err != nil {
		t.Fatal(err)
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if !strings.HasPrefix(subject, "Uw video-afspraak met Stad Gent: maandag 30 november 2026 om 09:00") || !strings.Contains(subject, "30 novembre 2026") {
		t.Errorf("subject %q: Dutch first, then French", subject)
	}
	parts := mimeParts(t, msg)
	text, html, cal := parts["text/plain"], parts["text/html"], parts["text/calendar"]
	for name, body := range map[string]string{"text": text, "html": html} {
		nl := strings.Index(body, "Uw video-afspraak is gemaakt.")
		fr := strings.Index(body, f.msgs.T("fr", "MailConfirmIntro", nil))
		label := strings.Index(body, f.msgs.T("fr", "MailTranslation", map[string]any{"Language": "Français"}))
		if nl < 0 || fr < 0 || label < 0 || !(nl < label && label < fr) {
			t.Errorf("%s part: Dutch at %d, translation label at %d, French at %d", name, nl, label, fr)
		}
		for _, want := range []string{a.JoinURL, "https://balie.gent.example/a/" + a.Token, city.MustLoad("gent").HelpLine.Phone, a.Code, "Energiecentrale"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s part lacks %q", name, want)
			}
		}
	}
	if !strings.Contains(html, `dir="ltr"`) || !strings.Contains(html, `lang="fr"`) {
		t.Error("html part does not mark its languages")
	}
	c, err := ics.ParseCalendar(strings.NewReader(cal))
	if err != nil || len(c.Events()) != 1 {
		t.Fatalf(".ics does not parse: %v", err)
	}
	ev := c.Events()[0]
	if start, err := ev.GetStartAt(); err != nil || !start.Equal(a.Start) {
		t.Errorf(".ics starts %v, want %v", start, a.Start)
	}
	if id := msg.Header.Get("Message-Id"); !regexp.MustCompile(`^<balie-gw-test-1-confirm-email-[0-9]+@stad\.gent\.example>$`).MatchString(id) {
		t.Errorf("Message-ID %q is not the notice's stable id on this installation", id)
	}
	if strings.Contains(f.logs.String(), "amina") || strings.Contains(f.logs.String(), "470") {
		t.Errorf("the worker logged contact details:\n%s", f.logs)
	}
	// Sent once: the next tick has nothing to do.
	if sent := f.tickAt(f.clock.Now().Add(time.Hour)); sent != 0 || len(f.mail.Messages()) != 1 {
		t.Fatalf("sent again: %d", sent)
	}
}

// mimeParts walks the message's MIME tree and returns each leaf by type.
func mimeParts(t *testing.T, msg *netmail.Message) map[string]string {
	t.Helper()
	out := map[string]string{}
	var walk func(ctype string, body io.Reader, encoding string)
	walk = func(ctype string, body io.Reader, encoding string) {
		media, params, err := mime.ParseMediaType(ctype)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(media, "multipart/") {
			r := multipart.NewReader(body, params["boundary"])
			for {
				p, err := r.NextRawPart()
				if err == io.EOF {
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				walk(p.Header.Get("Content-Type"), p, p.Header.Get("Content-Transfer-Encoding"))
			}
		}
		out[media] = decodeBody(t, body, encoding)
	}
	walk(msg.Header.Get("Content-Type"), msg.Body, msg.Header.Get("Content-Transfer-Encoding"))
	if _, ok := out["multipart/mixed"]; ok {
		t.Fatal("unexpected leaf")
	}
	return out
}

func startMail(t *testing.T) *mailtest.Server {
	return mailtest.Start(t, mailtest.WithSTARTTLS(), mailtest.WithAuth("balie", "mail-secret"))
}
