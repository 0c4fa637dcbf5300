package mail_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/mail"
	"github.com/digitalebalie/balie/app/mail/mailtest"
)

const (
	user     = "gateway"
	password = "s3cret-pässword"
	rcpt     = "fatima.elamrani@voorbeeld.be"
)

// A confirmation as the gateway sends it: Arabic subject and text, long
// lines (soft breaks in quoted-printable) and an .ics invitation.
var confirmation = mail.Message{
	To:      "فاطمة <" + rcpt + ">",
	Subject: "تأكيد موعدك في مكتب مدينة خنت",
	Text: "مرحبا فاطمة،\n\nموعدك مؤكد يوم الثلاثاء 14 أكتوبر على الساعة 10:30 في مكتب المدينة، " +
		"بوتيرسالي 1، 9000 خنت. يرجى إحضار بطاقة هويتك.\n\nBevestiging: uw afspraak is bevestigd.\n",
	HTML: `<html dir="rtl"><body><p>مرحبا فاطمة،</p><p>موعدك <b>مؤكد</b> يوم الثلاثاء 14 أكتوبر على الساعة 10:30.</p>` +
		`<p dir="ltr">Bevestiging &amp; "afspraak" = ok</p></body></html>`,
	Attachments: []mail.Attachment{{
		Name:        "afspraak.ics",
		ContentType: "text/calendar; method=PUBLISH; charset=utf-8",
		Data: []byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Stad Gent//Digitale Balie//NL\r\nMETHOD:PUBLISH\r\n" +
			"BEGIN:VEVENT\r\nUID:booking-42@stad.gent\r\nDTSTART:20251014T083000Z\r\nSUMMARY:موعد في مكتب المدينة\r\n" +
			"END:VEVENT\r\nEND:VCALENDAR\r\n"),
	}},
	ID: "booking-42.confirm",
}

func config(srv *mailtest.Server, tlsMode string) mail.Config {
	return mail.Config{
		Host:    srv.Host(),
		Port:    srv.Port(),
		TLS:     tlsMode,
		From:    "Stad Gent <no-reply@stad.gent>",
		Timeout: 5 * time.Second,
		RootCAs: srv.RootCAs(),
	}
}

func newSender(t *testing.T, cfg mail.Config) *mail.Sender {
	t.Helper()
	s, err := mail.NewSender(cfg)
	if err != nil {
		t.Fatalf("NewSender: %v", err)
	}
	return s
}

func TestSendStartTLSWithAuth(t *testing.T) {
	srv := mailtest.Start(t, mailtest.WithSTARTTLS(), mailtest.WithAuth(user, password))
	cfg := config(srv, mail.TLSStartTLS)
	cfg.Username, cfg.Password = user, password

	if err := newSender(t, cfg).Send(context.Background(), confirmation); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := srv.Wait(t, 1, 5*time.Second)[0]

	if got.MailFrom != "no-reply@stad.gent" || len(got.RcptTo) != 1 || got.RcptTo[0] != rcpt {
		t.Errorf("envelope = %q -> %q, want no-reply@stad.gent -> [%s]", got.MailFrom, got.RcptTo, rcpt)
	}
	if !got.TLS || got.User != user {
		t.Errorf("TLS = %v, user = %q; want TLS as %q", got.TLS, got.User, user)
	}

	msg, err := netmail.ReadMessage(bytes.NewReader(got.Data))
	if err != nil {
		t.Fatalf("ReadMessage: %v", err)
	}
	checkHeaders(t, msg.Header)

	// mixed > (alternative > text/plain, text/html), text/calendar
	mixed := multipartOf(t, msg.Header.Get("Content-Type"), "multipart/mixed", msg.Body)
	alt := nextPart(t, mixed)
	altBody := multipartOf(t, alt.Header.Get("Content-Type"), "multipart/alternative", alt)

	text := nextPart(t, altBody)
	checkType(t, text, "text/plain", map[string]string{"charset": "UTF-8"})
	if body := crlfToLF(decodeBody(t, text)); body != confirmation.Text {
		t.Errorf("text body =\n%q\nwant\n%q", body, confirmation.Text)
	}
	html := nextPart(t, altBody)
	checkType(t, html, "text/html", map[string]string{"charset": "UTF-8"})
	if body := crlfToLF(decodeBody(t, html)); body != confirmation.HTML {
		t.Errorf("html body =\n%q\nwant\n%q", body, confirmation.HTML)
	}
	noMorePart(t, altBody)

	ics := nextPart(t, mixed)
	checkType(t, ics, "text/calendar", map[string]string{"method": "PUBLISH", "charset": "utf-8", "name": "afspraak.ics"})
	disp, params, err := mime.ParseMediaType(ics.Header.Get("Content-Disposition"))
	if err != nil || disp != "attachment" || params["filename"] != "afspraak.ics" {
		t.Errorf("Content-Disposition = %q, want attachment; filename=afspraak.ics", ics.Header.Get("Content-Disposition"))
	}
	if body := decodeBody(t, ics); body != string(confirmation.Attachments[0].Data) {
		t.Errorf("ics =\n%q\nwant\n%q", body, confirmation.Attachments[0].Data)
	}
	noMorePart(t, mixed)
}

func checkHeaders(t *testing.T, h netmail.Header) {
	t.Helper()
	subject, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
	if err != nil || subject != confirmation.Subject {
		t.Errorf("Subject decodes to %q (%v), want %q", subject, err, confirmation.Subject)
	}
	if raw := h.Get("Subject"); !strings.HasPrefix(raw, "=?UTF-8?") {
		t.Errorf("raw Subject %q is not an RFC 2047 encoded word", raw)
	}
	if id := h.Get("Message-ID"); id != "<booking-42.confirm@stad.gent>" {
		t.Errorf("Message-ID = %q, want <booking-42.confirm@stad.gent>", id)
	}
	if d, err := h.Date(); err != nil || time.Since(d) > time.Minute || time.Until(d) > time.Minute {
		t.Errorf("Date = %q (%v), want about now", h.Get("Date"), err)
	}
	from, err := h.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != "Stad Gent" || from[0].Address != "no-reply@stad.gent" {
		t.Errorf("From = %q (%v)", h.Get("From"), err)
	}
	to, err := h.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Name != "فاطمة" || to[0].Address != rcpt {
		t.Errorf("To = %q (%v)", h.Get("To"), err)
	}
}

// multipartOf checks that contentType is the multipart type want and
// returns a reader for its parts.
func multipartOf(t *testing.T, contentType, want string, body io.Reader) *multipart.Reader {
	t.Helper()
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != want || params["boundary"] == "" {
		t.Fatalf("Content-Type = %q (%v), want %s with a boundary", contentType, err, want)
	}
	return multipart.NewReader(body, params["boundary"])
}

// nextPart returns the next part as on the wire: NextRawPart leaves
// quoted-printable alone so decodeBody can check the encoding itself.
func nextPart(t *testing.T, r *multipart.Reader) *multipart.Part {
	t.Helper()
	p, err := r.NextRawPart()
	if err != nil {
		t.Fatalf("NextRawPart: %v", err)
	}
	return p
}

func noMorePart(t *testing.T, r *multipart.Reader) {
	t.Helper()
	if p, err := r.NextRawPart(); err != io.EOF {
		t.Errorf("unexpected extra part %v (%v)", p.Header, err)
	}
}

func checkType(t *testing.T, p *multipart.Part, want string, wantParams map[string]string) {
	t.Helper()
	mt, params, err := mime.ParseMediaType(p.Header.Get("Content-Type"))
	if err != nil || mt != want {
		t.Errorf("Content-Type = %q (%v), want %s", p.Header.Get("Content-Type"), err, want)
		return
	}
	for k, v := range wantParams {
		if !strings.EqualFold(params[k], v) {
			t.Errorf("Content-Type %s: %s = %q, want %q", want, k, params[k], v)
		}
	}
}

func decodeBody(t *testing.T, p *multipart.Part) string {
	t.Helper()
	var r io.Reader = p
	switch cte := strings.ToLower(p.Header.Get("Content-Transfer-Encoding")); cte {
	case "quoted-printable":
		r = quotedprintable.NewReader(p)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, p)
	default:
		t.Fatalf("Content-Transfer-Encoding %q: want quoted-printable or base64 for non-ASCII content", cte)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decoding body: %v", err)
	}
	return string(b)
}

func crlfToLF(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

func TestSendModes(t *testing.T) {
	tests := []struct {
		name    string
		opts    []mailtest.Option
		tls     string
		auth    bool
		wantTLS bool
	}{
		{"starttls", []mailtest.Option{mailtest.WithSTARTTLS()}, mail.TLSStartTLS, false, true},
		{"implicit tls with auth", []mailtest.Option{mailtest.WithImplicitTLS(), mailtest.WithAuth(user, password)}, mail.TLSImplicit, true, true},
		{"none", nil, mail.TLSNone, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := mailtest.Start(t, tt.opts...)
			cfg := config(srv, tt.tls)
			if tt.auth {
				cfg.Username, cfg.Password = user, password
			}
			if err := newSender(t, cfg).Send(context.Background(), confirmation); err != nil {
				t.Fatalf("Send: %v", err)
			}
			got := srv.Wait(t, 1, 5*time.Second)[0]
			if got.TLS != tt.wantTLS {
				t.Errorf("received over TLS = %v, want %v", got.TLS, tt.wantTLS)
			}
			if tt.auth && got.User != user {
				t.Errorf("authenticated as %q, want %q", got.User, user)
			}
		})
	}
}

func TestSendErrors(t *testing.T) {
	tests := []struct {
		name      string
		opts      []mailtest.Option
		tls       string
		setup     func(*mailtest.Server, *mail.Config, *mail.Message)
		ctx       func(*testing.T) context.Context
		permanent bool
		phase     string
		code      int
		is        error // for errors.Is, if set
	}{
		{name: "550 on RCPT", setup: func(s *mailtest.Server, _ *mail.Config, _ *mail.Message) { s.RejectRecipients(550) },
			permanent: true, phase: "rcpt to", code: 550},
		{name: "451 on RCPT", setup: func(s *mailtest.Server, _ *mail.Config, _ *mail.Message) { s.RejectRecipients(451) },
			phase: "rcpt to", code: 451},
		{name: "554 after data", setup: func(s *mailtest.Server, _ *mail.Config, _ *mail.Message) { s.RejectData(554) },
			permanent: true, phase: "data", code: 554},
		{name: "452 after data", setup: func(s *mailtest.Server, _ *mail.Config, _ *mail.Message) { s.RejectData(452) },
			phase: "data", code: 452},
		{name: "server down", setup: func(s *mailtest.Server, _ *mail.Config, _ *mail.Message) { s.Close() },
			phase: "connect"},
		{name: "timeout waiting for the data reply", setup: func(s *mailtest.Server, c *mail.Config, _ *mail.Message) {
			s.Hold()
			c.Timeout = 300 * time.Millisecond
		}, phase: "data"},
		{name: "context deadline while the server holds the data", ctx: func(t *testing.T) context.Context {
			ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
			t.Cleanup(cancel)
			return ctx
		}, setup: func(s *mailtest.Server, _ *mail.Config, _ *mail.Message) { s.Hold() }, phase: "data"},
		{name: "context already cancelled", ctx: func(*testing.T) context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx
		}, phase: "connect", is: context.Canceled},
		{name: "untrusted certificate", opts: []mailtest.Option{mailtest.WithSTARTTLS()}, tls: mail.TLSStartTLS,
			setup: func(_ *mailtest.Server, c *mail.Config, _ *mail.Message) { c.RootCAs = nil }, phase: "connect"},
		{name: "server without STARTTLS", tls: mail.TLSStartTLS, phase: "connect"},
		{name: "wrong password", opts: []mailtest.Option{mailtest.WithSTARTTLS(), mailtest.WithAuth(user, password)}, tls: mail.TLSStartTLS,
			setup: func(_ *mailtest.Server, c *mail.Config, _ *mail.Message) {
				c.Username, c.Password = user, "wrong-"+password
			},
			phase: "connect", code: 535},
		{name: "not an address", setup: func(_ *mailtest.Server, _ *mail.Config, m *mail.Message) { m.To = "not-an-address" },
			permanent: true, phase: "address"},
		{name: "two @", setup: func(_ *mailtest.Server, _ *mail.Config, m *mail.Message) { m.To = "a@b@c" },
			permanent: true, phase: "address"},
		{name: "two recipients", setup: func(_ *mailtest.Server, _ *mail.Config, m *mail.Message) { m.To = rcpt + ", x@voorbeeld.be" },
			permanent: true, phase: "address"},
		{name: "invalid ID", setup: func(_ *mailtest.Server, _ *mail.Config, m *mail.Message) { m.ID = "booking 42@x" },
			permanent: true, phase: "message"},
		{name: "no body", setup: func(_ *mailtest.Server, _ *mail.Config, m *mail.Message) { m.Text, m.HTML = "", "" },
			permanent: true, phase: "message"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := mailtest.Start(t, tt.opts...)
			if tt.tls == "" {
				tt.tls = mail.TLSNone
			}
			cfg, msg := config(srv, tt.tls), confirmation
			if tt.setup != nil {
				tt.setup(srv, &cfg, &msg)
			}
			ctx := context.Background()
			if tt.ctx != nil {
				ctx = tt.ctx(t)
			}

			err := newSender(t, cfg).Send(ctx, msg)
			if err == nil {
				t.Fatal("Send succeeded, want an error")
			}
			t.Logf("error: %v", err)

			var e *mail.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not a *mail.Error", err)
			}
			if got := mail.Permanent(err); got != tt.permanent {
				t.Errorf("Permanent = %v, want %v", got, tt.permanent)
			}
			if e.Phase != tt.phase || e.Code != tt.code {
				t.Errorf("phase %q, code %d; want %q, %d", e.Phase, e.Code, tt.phase, tt.code)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error is not %v", tt.is)
			}
			checkNoPersonalData(t, err.Error(), msg)
			if n := len(srv.Messages()); n != 0 {
				t.Errorf("server accepted %d messages, want none", n)
			}
		})
	}
}

// checkNoPersonalData fails if the error text holds anything of the
// recipient or the content: errors get logged.
func checkNoPersonalData(t *testing.T, text string, m mail.Message) {
	t.Helper()
	secrets := []string{rcpt, "fatima", "voorbeeld", m.Subject, "موعد", "booking-42", password}
	if addr, err := netmail.ParseAddress(m.To); err == nil {
		secrets = append(secrets, addr.Address, addr.Name)
	} else {
		secrets = append(secrets, m.To)
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(strings.ToLower(text), strings.ToLower(s)) {
			t.Errorf("error text %q contains %q", text, s)
		}
	}
}

// A sender that gave up while the server held the data may find the message
// delivered after all; sent again, both copies carry the same Message-ID.
func TestResendAfterTimeoutKeepsMessageID(t *testing.T) {
	srv := mailtest.Start(t)
	srv.Hold()
	cfg := config(srv, mail.TLSNone)
	cfg.Timeout = 300 * time.Millisecond
	if err := newSender(t, cfg).Send(context.Background(), confirmation); err == nil || mail.Permanent(err) {
		t.Fatalf("Send while held = %v, want a temporary error", err)
	}
	srv.WaitHeld(t, 1, 5*time.Second)
	srv.Release()
	srv.Wait(t, 1, 5*time.Second)

	cfg.Timeout = 5 * time.Second
	if err := newSender(t, cfg).Send(context.Background(), confirmation); err != nil {
		t.Fatalf("resend: %v", err)
	}
	got := srv.Wait(t, 2, 5*time.Second)
	var ids []string
	for _, r := range got {
		msg, err := netmail.ReadMessage(bytes.NewReader(r.Data))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, msg.Header.Get("Message-ID"))
	}
	if ids[0] != ids[1] || ids[0] != "<booking-42.confirm@stad.gent>" {
		t.Errorf("Message-IDs = %q, want twice <booking-42.confirm@stad.gent>", ids)
	}
}

func TestPermanentOtherErrors(t *testing.T) {
	for _, err := range []error{nil, errors.New("boom"), context.DeadlineExceeded} {
		if mail.Permanent(err) {
			t.Errorf("Permanent(%v) = true", err)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	ok := mail.Config{Host: "smtp.stad.gent", From: "Stad Gent <no-reply@stad.gent>"}
	tests := []struct {
		name   string
		modify func(*mail.Config)
		valid  bool
	}{
		{"defaults", func(*mail.Config) {}, true},
		{"implicit tls with auth", func(c *mail.Config) { c.TLS, c.Username, c.Password = mail.TLSImplicit, user, password }, true},
		{"none without auth", func(c *mail.Config) { c.TLS = mail.TLSNone }, true},
		{"no host", func(c *mail.Config) { c.Host = "" }, false},
		{"port too big", func(c *mail.Config) { c.Port = 70000 }, false},
		{"negative port", func(c *mail.Config) { c.Port = -1 }, false},
		{"unknown TLS", func(c *mail.Config) { c.TLS = "ssl" }, false},
		{"no from", func(c *mail.Config) { c.From = "" }, false},
		{"bad from", func(c *mail.Config) { c.From = "Stad Gent" }, false},
		{"negative timeout", func(c *mail.Config) { c.Timeout = -time.Second }, false},
		{"password without user", func(c *mail.Config) { c.Password = password }, false},
		{"auth without TLS", func(c *mail.Config) { c.TLS, c.Username, c.Password = mail.TLSNone, user, password }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := ok
			tt.modify(&cfg)
			err := cfg.Validate()
			if (err == nil) != tt.valid {
				t.Errorf("Validate = %v, want valid %v", err, tt.valid)
			}
			if _, nerr := mail.NewSender(cfg); (nerr == nil) != tt.valid {
				t.Errorf("NewSender error = %v, want valid %v", nerr, tt.valid)
			}
			if err != nil && strings.Contains(err.Error(), password) {
				t.Errorf("error %q contains the password", err)
			}
		})
	}
}
