// Package mailtest runs a real SMTP server on 127.0.0.1 for tests, so mail
// code is exercised over a real connection (STARTTLS, AUTH, MIME on the wire)
// instead of against a mock.
//
// The server records every message it accepts and can be switched while it
// runs to reject recipients or data, to hold DATA (a sender that crashes or
// times out mid-send) or to go down altogether.
package mailtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"log"
	"math/big"
	"net"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Received is one message the server accepted.
type Received struct {
	MailFrom string
	RcptTo   []string
	Data     []byte // the message as sent, CRLF line endings, dot-unstuffed
	TLS      bool   // the message came over TLS (STARTTLS or implicit)
	User     string // the user that authenticated, "" without AUTH
}

// Option configures Start.
type Option func(*options)

type options struct {
	startTLS, implicitTLS bool
	user, password        string
}

// WithSTARTTLS offers STARTTLS with a self-signed certificate for 127.0.0.1
// and localhost; clients can trust it through Server.RootCAs.
func WithSTARTTLS() Option { return func(o *options) { o.startTLS = true } }

// WithImplicitTLS makes the server speak TLS from the first byte, as on
// port 465, with the same kind of certificate as WithSTARTTLS.
func WithImplicitTLS() Option { return func(o *options) { o.implicitTLS = true } }

// WithAuth requires AUTH PLAIN with this user and password before MAIL FROM.
// As on real servers, AUTH is only offered over TLS.
func WithAuth(user, password string) Option {
	return func(o *options) { o.user, o.password = user, password }
}

// Server is a running test SMTP server.
type Server struct {
	opts     options
	srv      *smtp.Server
	l        net.Listener
	addr     *net.TCPAddr
	roots    *x509.CertPool
	served   chan struct{} // closed when Serve has returned
	closed   chan struct{} // closed by Close, frees held DATA commands
	stopOnce sync.Once

	mu         sync.Mutex
	msgs       []Received
	held       int           // DATA commands waiting in Hold
	changed    chan struct{} // closed and replaced on every change, for Wait
	rejectRcpt int
	rejectData int
	hold       chan struct{} // non-nil while holding; closed by Release
}

// Start starts a server on 127.0.0.1 on a free port. It is closed when the
// test ends.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := &Server{
		served:  make(chan struct{}),
		closed:  make(chan struct{}),
		changed: make(chan struct{}),
	}
	for _, o := range opts {
		o(&s.opts)
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("mailtest: listen: %v", err)
	}
	s.addr = l.Addr().(*net.TCPAddr)

	s.srv = smtp.NewServer(smtp.BackendFunc(s.newSession))
	s.srv.Domain = "localhost"
	s.srv.ReadTimeout = 10 * time.Second
	s.srv.WriteTimeout = 10 * time.Second
	// Broken connections are what some tests are about; don't spam the output.
	s.srv.ErrorLog = log.New(io.Discard, "", 0)

	if s.opts.startTLS || s.opts.implicitTLS {
		cert, roots, err := selfSigned()
		if err != nil {
			l.Close()
			t.Fatalf("mailtest: certificate: %v", err)
		}
		s.roots = roots
		// go-smtp offers STARTTLS when TLSConfig is set and the connection
		// is not TLS yet, so for implicit TLS it is simply never offered.
		s.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		if s.opts.implicitTLS {
			l = tls.NewListener(l, s.srv.TLSConfig)
		}
	}

	s.l = l
	go func() {
		defer close(s.served)
		_ = s.srv.Serve(l)
	}()
	t.Cleanup(s.Close)
	return s
}

// Addr is "127.0.0.1:port". It stays valid after Close, to test a server
// that is down.
func (s *Server) Addr() string { return s.addr.String() }

// Host is always "127.0.0.1".
func (s *Server) Host() string { return s.addr.IP.String() }

// Port is the port the server listens (or listened) on.
func (s *Server) Port() int { return s.addr.Port }

// RootCAs holds the server's self-signed certificate, nil without TLS.
func (s *Server) RootCAs() *x509.CertPool { return s.roots }

// Close stops the server: the port refuses connections, open connections are
// dropped and held DATA commands fail. Safe to call more than once.
func (s *Server) Close() {
	s.stopOnce.Do(func() {
		close(s.closed)
		_ = s.srv.Close()
		// Serve may not have registered the listener with srv yet.
		_ = s.l.Close()
		<-s.served
	})
}

// Messages returns a copy of the messages accepted so far.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.msgs)
}

// Wait waits until at least n messages were accepted and returns them. It
// fails the test after timeout.
func (s *Server) Wait(t testing.TB, n int, timeout time.Duration) []Received {
	t.Helper()
	s.waitFor(t, timeout, "messages", func() bool { return len(s.msgs) >= n })
	return s.Messages()
}

// WaitHeld waits until n DATA commands are blocked by Hold, that is: the
// sender has sent the whole message and waits for the server's answer.
func (s *Server) WaitHeld(t testing.TB, n int, timeout time.Duration) {
	t.Helper()
	s.waitFor(t, timeout, "held DATA commands", func() bool { return s.held >= n })
}

func (s *Server) waitFor(t testing.TB, timeout time.Duration, what string, done func() bool) {
	t.Helper()
	deadline := time.After(timeout)
	for {
		s.mu.Lock()
		ok, changed := done(), s.changed
		s.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("mailtest: timed out after %v waiting for %s", timeout, what)
		}
	}
}

// notify wakes up waiters; s.mu must be held.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// RejectRecipients makes RCPT TO fail with code, e.g. 550 (permanent) or 451
// (temporary). 0 accepts recipients again.
func (s *Server) RejectRecipients(code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejectRcpt = code
}

// RejectData makes the reply after the message data fail with code, e.g. 554
// or 452. 0 accepts data again.
func (s *Server) RejectData(code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejectData = code
}

// Hold makes the server read the data of each DATA command and then not
// answer until Release, so the sender is left waiting. A message released
// later is still accepted, even if its sender gave up meanwhile: that is
// how real servers produce duplicates.
func (s *Server) Hold() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hold == nil {
		s.hold = make(chan struct{})
	}
}

// Release lets held and future DATA commands finish.
func (s *Server) Release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hold != nil {
		close(s.hold)
		s.hold = nil
	}
}

func (s *Server) newSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{srv: s, conn: c}, nil
}

// smtpError builds a reply with a basic enhanced code of the same class,
// e.g. 550 -> 5.0.0, so clients see a well-formed answer.
func smtpError(code int, msg string) *smtp.SMTPError {
	return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 0, 0}, Message: msg}
}

// session is one SMTP connection.
type session struct {
	srv  *Server
	conn *smtp.Conn
	user string
	from string
	rcpt []string
}

var _ smtp.AuthSession = (*session)(nil)

func (ss *session) AuthMechanisms() []string {
	if ss.srv.opts.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	if ss.srv.opts.user == "" || mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, user, password string) error {
		if identity != "" && identity != user {
			return smtp.ErrAuthFailed
		}
		if user != ss.srv.opts.user || password != ss.srv.opts.password {
			return smtp.ErrAuthFailed
		}
		ss.user = user
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.srv.opts.user != "" && ss.user == "" {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.srv.mu.Lock()
	code := ss.srv.rejectRcpt
	ss.srv.mu.Unlock()
	if code != 0 {
		return smtpError(code, "recipient rejected by mailtest")
	}
	ss.rcpt = append(ss.rcpt, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if err := ss.srv.waitRelease(); err != nil {
		return err
	}

	s := ss.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rejectData != 0 {
		return smtpError(s.rejectData, "data rejected by mailtest")
	}
	_, isTLS := ss.conn.TLSConnectionState()
	s.msgs = append(s.msgs, Received{
		MailFrom: ss.from,
		RcptTo:   slices.Clone(ss.rcpt),
		Data:     data,
		TLS:      isTLS,
		User:     ss.user,
	})
	s.notify()
	return nil
}

// waitRelease blocks while the server holds DATA.
func (s *Server) waitRelease() error {
	s.mu.Lock()
	hold := s.hold
	if hold != nil {
		s.held++
		s.notify()
	}
	s.mu.Unlock()
	if hold == nil {
		return nil
	}
	defer func() {
		s.mu.Lock()
		s.held--
		s.notify()
		s.mu.Unlock()
	}()
	select {
	case <-hold:
		return nil
	case <-s.closed:
		return smtpError(421, "mailtest server closed")
	}
}

func (ss *session) Reset() {
	ss.from, ss.rcpt = "", nil
}

func (ss *session) Logout() error { return nil }

// selfSigned makes a certificate for 127.0.0.1 and localhost and a pool that
// trusts it.
func selfSigned() (tls.Certificate, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "mailtest"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IsCA:                  true, // it is its own root in RootCAs
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	roots := x509.NewCertPool()
	roots.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, roots, nil
}
