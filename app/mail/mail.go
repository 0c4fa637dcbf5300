// Package mail sends the gateway's e-mails (booking confirmations and
// cancellations) through the city's SMTP server.
//
// Send reports failures as *Error. Permanent tells the caller whether trying
// again can help: an invalid address or a 5xx answer to the recipient or the
// data will fail the same way next time, a refused connection, a timeout,
// TLS trouble or a 4xx answer may not. Error texts name only the SMTP phase
// and reply code, never the recipient or the content, so they can be logged.
//
// Each message carries a Message-ID built from the caller's stable ID, so a
// message that is sent again after a failure that was not one (the server
// got the data but the answer was lost) can be recognised as a duplicate.
package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	netmail "net/mail"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// TLS modes of Config.TLS.
const (
	TLSStartTLS = "starttls" // plain connection upgraded with STARTTLS, which is required
	TLSImplicit = "tls"      // TLS from the first byte, usually port 465
	TLSNone     = "none"     // no encryption: only for a relay on the same host
)

// DefaultTimeout bounds a whole Send when Config.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// Config says how to reach the SMTP server.
type Config struct {
	Host string
	Port int    // 0: 587 for starttls, 465 for tls, 25 for none
	TLS  string // TLSStartTLS (default), TLSImplicit or TLSNone

	// Username and Password for SMTP AUTH; empty Username: no AUTH. AUTH is
	// only done over TLS, so the password never travels in clear.
	Username, Password string

	From string // e.g. "Stad Gent <no-reply@stad.gent>"

	// Timeout bounds connecting and sending one message (default 30 s).
	Timeout time.Duration

	InsecureSkipVerify bool           // tests only
	RootCAs            *x509.CertPool // nil: the system's roots
}

// withDefaults fills in what may be left empty.
func (c Config) withDefaults() Config {
	if c.TLS == "" {
		c.TLS = TLSStartTLS
	}
	if c.Port == 0 {
		switch c.TLS {
		case TLSImplicit:
			c.Port = 465
		case TLSNone:
			c.Port = 25
		default:
			c.Port = 587
		}
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	return c
}

// Validate reports the first problem in the configuration. Empty TLS, Port
// and Timeout are fine: they have defaults.
func (c Config) Validate() error {
	c = c.withDefaults()
	switch {
	case c.Host == "":
		return errors.New("mail: config: Host is empty")
	case c.Port < 1 || c.Port > 65535:
		return fmt.Errorf("mail: config: Port %d is out of range", c.Port)
	case c.TLS != TLSStartTLS && c.TLS != TLSImplicit && c.TLS != TLSNone:
		return fmt.Errorf("mail: config: TLS must be %q, %q or %q, not %q", TLSStartTLS, TLSImplicit, TLSNone, c.TLS)
	case c.Timeout < 0:
		return errors.New("mail: config: Timeout is negative")
	case c.Username == "" && c.Password != "":
		return errors.New("mail: config: Password without Username")
	case c.Username != "" && c.TLS == TLSNone:
		return errors.New("mail: config: AUTH needs TLS, but TLS is none")
	}
	if _, err := parseFrom(c.From); err != nil {
		return err
	}
	return nil
}

// parseFrom parses Config.From; the domain names our Message-IDs.
func parseFrom(from string) (*netmail.Address, error) {
	addr, err := netmail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("mail: config: From %q is not an address", from)
	}
	return addr, nil
}

// Message is one e-mail to one recipient.
type Message struct {
	To      string // "name@example.org" or "Name <name@example.org>"
	Subject string
	Text    string // text/plain part
	HTML    string // text/html part, an alternative to Text
	// Attachments, e.g. an .ics with ContentType
	// "text/calendar; method=PUBLISH; charset=utf-8".
	Attachments []Attachment
	// ID is stable for the message, e.g. "booking-42.confirm", so that a
	// resent duplicate has the same Message-ID: "<ID@domain of From>". It
	// is required and must be a valid Message-ID left part (printable ASCII,
	// no spaces, no <>@ and the like).
	ID string
}

// Attachment is a file attached to a Message.
type Attachment struct {
	Name        string
	ContentType string // empty: guessed from Name's extension
	Data        []byte
}

// Sender sends messages; it is safe for concurrent use. It opens one
// connection per Send, as the gateway sends few mails.
type Sender struct {
	cfg    Config
	from   *netmail.Address
	domain string // of From, for Message-IDs
}

// NewSender checks cfg and returns a Sender. It does not connect.
func NewSender(cfg Config) (*Sender, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	from, _ := parseFrom(cfg.From)
	return &Sender{cfg: cfg, from: from, domain: from.Address[strings.LastIndex(from.Address, "@")+1:]}, nil
}

// Send delivers m. The context bounds connecting; once connected, the
// exchange is bounded by Config.Timeout or by the context's deadline if
// that is sooner. Errors are *Error; see Permanent.
func (s *Sender) Send(ctx context.Context, m Message) error {
	msg, err := s.build(m)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return &Error{Phase: "connect", err: err}
	}

	timeout := s.cfg.Timeout
	if d, ok := ctx.Deadline(); ok && time.Until(d) < timeout {
		timeout = time.Until(d)
		if timeout <= 0 {
			return &Error{Phase: "connect", err: context.DeadlineExceeded}
		}
	}
	client, err := gomail.NewClient(s.cfg.Host, s.clientOptions(timeout)...)
	if err != nil {
		return &Error{Phase: "connect", err: err}
	}

	conn, err := client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return connectError(ctx, err)
	}
	defer func() {
		// Quit leaves the connection open when it fails.
		if client.CloseWithSMTPClient(conn) != nil {
			_ = conn.Close()
		}
	}()

	err = client.SendWithSMTPClient(conn, msg)
	if err == nil || msg.IsDelivered() {
		// The server has taken the message; a failure after that (the RSET
		// before QUIT) does not matter.
		return nil
	}
	return sendError(ctx, err)
}

func (s *Sender) clientOptions(timeout time.Duration) []gomail.Option {
	opts := []gomail.Option{
		gomail.WithPort(s.cfg.Port),
		gomail.WithTimeout(timeout),
		gomail.WithTLSConfig(&tls.Config{
			ServerName:         s.cfg.Host,
			MinVersion:         tls.VersionTLS12,
			RootCAs:            s.cfg.RootCAs,
			InsecureSkipVerify: s.cfg.InsecureSkipVerify, // tests only
		}),
	}
	switch s.cfg.TLS {
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.cfg.Username != "" {
		// Auto-discover picks the strongest mechanism the server offers;
		// PLAIN and LOGIN are only chosen on an encrypted connection.
		opts = append(opts,
			gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.cfg.Username),
			gomail.WithPassword(s.cfg.Password))
	}
	return opts
}

// build turns m into a go-mail message. Its errors are permanent: the same
// message would fail the same way again.
func (s *Sender) build(m Message) (*gomail.Msg, error) {
	to, err := netmail.ParseAddress(m.To)
	if err != nil {
		return nil, &Error{Phase: "address", permanent: true, detail: "the recipient is not a valid address"}
	}
	if !validID(m.ID) {
		return nil, &Error{Phase: "message", permanent: true, detail: "ID is empty or not valid in a Message-ID"}
	}
	if m.Text == "" && m.HTML == "" {
		return nil, &Error{Phase: "message", permanent: true, detail: "no text and no HTML"}
	}

	msg := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP))
	msg.FromMailAddress(s.from)
	msg.ToMailAddress(to)
	msg.Subject(m.Subject) // go-mail encodes non-ASCII as RFC 2047 words
	msg.SetDate()
	msg.SetMessageIDWithValue(m.ID + "@" + s.domain)

	// Text first: clients show the last alternative they understand.
	switch {
	case m.Text != "" && m.HTML != "":
		msg.SetBodyString(gomail.TypeTextPlain, m.Text)
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	case m.Text != "":
		msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	default:
		msg.SetBodyString(gomail.TypeTextHTML, m.HTML)
	}

	for _, a := range m.Attachments {
		if a.Name == "" {
			return nil, &Error{Phase: "message", permanent: true, detail: "attachment without a name"}
		}
		var opts []gomail.FileOption
		if a.ContentType != "" {
			opts = append(opts, gomail.WithFileContentType(gomail.ContentType(a.ContentType)))
		}
		msg.AttachReadSeeker(a.Name, bytes.NewReader(a.Data), opts...)
	}
	return msg, nil
}

// validID reports whether id fits the left part of a Message-ID
// (RFC 5322 dot-atom-text).
func validID(id string) bool {
	if id == "" || strings.HasPrefix(id, ".") || strings.HasSuffix(id, ".") || strings.Contains(id, "..") {
		return false
	}
	for _, r := range id {
		if r <= ' ' || r > '~' || strings.ContainsRune(`"(),:;<>@[\]`, r) {
			return false
		}
	}
	return true
}
