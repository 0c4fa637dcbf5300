package sms

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"text/template"
	"time"
)

// Defaults for HTTPConfig fields left empty.
const (
	DefaultMethod      = http.MethodPost
	DefaultContentType = "application/json"
	DefaultTimeout     = 10 * time.Second
)

// maxResponse is how much of a provider's answer is read: enough to reuse
// the connection, and the content is never used (it may echo the number).
const maxResponse = 64 << 10

// HTTPConfig describes one provider's HTTP API.
//
// A typical JSON API:
//
//	HTTPConfig{
//		URL:     "https://sms.example.be/v1/messages",
//		Headers: map[string]string{"Authorization": "Bearer " + token},
//		Body:    `{"to": {{json .To}}, "text": {{json .Text}}, "reference": {{json .Ref}}}`,
//	}
//
// A form-encoded API:
//
//	HTTPConfig{
//		URL:         "https://sms.example.be/send",
//		ContentType: "application/x-www-form-urlencoded",
//		Body:        `to={{query .To}}&text={{query .Text}}&ref={{query .Ref}}`,
//	}
type HTTPConfig struct {
	URL    string // http or https; the same for every message
	Method string // default POST
	// Headers are sent with every request, typically the provider's
	// credentials. Set the content type with ContentType, not here.
	Headers     map[string]string
	ContentType string // default application/json
	// Body is a text/template with the fields .To, .Text and .Ref and the
	// functions json (a JSON string, quotes included) and query
	// (url.QueryEscape). text/template escapes nothing by itself: always
	// use json or query around .Text.
	Body    string
	Timeout time.Duration // per message, default 10 s
	// Client is optional. Without one, redirects are not followed: a
	// redirected POST would become a GET without body that "succeeds".
	Client *http.Client
}

// HTTPProvider sends each message as one HTTP request. Any 2xx answer means
// the provider accepted the message.
type HTTPProvider struct {
	url         string
	method      string
	headers     http.Header
	contentType string
	body        *template.Template
	timeout     time.Duration
	client      *http.Client
}

// NewHTTPProvider checks cfg and fills in the defaults. The body template
// is tried once on a sample message, so a template that fails, or that
// makes invalid JSON for a JSON content type, is refused here rather than
// on every reminder.
func NewHTTPProvider(cfg HTTPConfig) (*HTTPProvider, error) {
	p := &HTTPProvider{
		url:         cfg.URL,
		method:      cmp.Or(cfg.Method, DefaultMethod),
		headers:     make(http.Header),
		contentType: cmp.Or(cfg.ContentType, DefaultContentType),
		timeout:     cfg.Timeout,
		client:      cfg.Client,
	}
	if p.timeout <= 0 {
		p.timeout = DefaultTimeout
	}
	if p.client == nil {
		p.client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}}
	}

	// The URL may hold an API key, so errors do not quote it.
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("sms: provider URL must be an absolute http or https URL")
	}
	if _, err := http.NewRequest(p.method, p.url, nil); err != nil {
		return nil, fmt.Errorf("sms: invalid method %q", p.method)
	}
	if _, _, err := mime.ParseMediaType(p.contentType); err != nil {
		return nil, fmt.Errorf("sms: invalid content type %q", p.contentType)
	}
	for k, v := range cfg.Headers {
		switch {
		case !validHeaderName(k):
			return nil, fmt.Errorf("sms: invalid header name %q", k)
		case strings.ContainsAny(v, "\r\n\x00"):
			// Typically a token read from a file with its final newline.
			return nil, fmt.Errorf("sms: header %q: value contains a line break", k)
		case http.CanonicalHeaderKey(k) == "Content-Type":
			return nil, errors.New("sms: set the content type with ContentType, not in Headers")
		}
		p.headers.Set(k, v)
	}

	if strings.TrimSpace(cfg.Body) == "" {
		return nil, errors.New("sms: body template is empty")
	}
	p.body, err = template.New("body").Funcs(template.FuncMap{
		"json":  jsonString,
		"query": url.QueryEscape,
	}).Parse(cfg.Body)
	if err != nil {
		return nil, fmt.Errorf("sms: body template: %w", err)
	}
	// The sample has a quote and a line break, so a bare {{.Text}} in a
	// JSON body shows up now.
	sample := Message{To: "+32470123456", Text: "Sample \"text\"\nline 2", Ref: "sample-1"}
	body, err := p.render(sample)
	if err != nil {
		return nil, fmt.Errorf("sms: body template: %w", err)
	}
	if isJSON(p.contentType) && !json.Valid(body) {
		return nil, errors.New("sms: body template does not make valid JSON; use {{json .Text}}")
	}
	return p, nil
}

// Send posts m to the provider. It gives up after the configured Timeout or
// when ctx ends, whichever is first.
func (p *HTTPProvider) Send(ctx context.Context, m Message) error {
	if err := validate(m); err != nil {
		return err
	}
	body, err := p.render(m)
	if err != nil {
		// The template error may quote the data, so it is not passed on.
		return &Error{Ref: m.Ref, Permanent: true, Msg: "body template failed"}
	}

	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, p.method, p.url, bytes.NewReader(body))
	if err != nil {
		return &Error{Ref: m.Ref, Permanent: true, Msg: "cannot build request", Err: redact(err)}
	}
	req.Header = p.headers.Clone()
	req.Header.Set("Content-Type", p.contentType)

	resp, err := p.client.Do(req)
	if err != nil {
		return &Error{Ref: m.Ref, Msg: "no answer from provider", Err: redact(err)}
	}
	defer resp.Body.Close()
	// Drain a little so the connection can be reused; what it says is not
	// used, and an error reading it does not undo the status.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxResponse))

	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		return nil
	}
	return &Error{
		Ref:       m.Ref,
		Status:    resp.StatusCode,
		Permanent: !retryable(resp.StatusCode),
		// Not resp.Status: its wording is the provider's and might quote
		// the message.
		Msg: fmt.Sprintf("provider answered %d %s", resp.StatusCode, http.StatusText(resp.StatusCode)),
	}
}

// retryable tells whether a status other than 2xx may go away by itself.
// 3xx counts as permanent: the configured URL is wrong.
func retryable(status int) bool {
	return status >= 500 || status == http.StatusRequestTimeout || status == http.StatusTooManyRequests
}

func (p *HTTPProvider) render(m Message) ([]byte, error) {
	var buf bytes.Buffer
	if err := p.body.Execute(&buf, m); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// redact drops the URL from net/http's errors: it may hold an API key.
func redact(err error) error {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		return urlErr.Err
	}
	return err
}

func jsonString(s string) string {
	b, _ := json.Marshal(s) // a string always encodes
	return string(b)
}

func isJSON(contentType string) bool {
	mt, _, _ := mime.ParseMediaType(contentType)
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// validHeaderName accepts an RFC 9110 token.
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r > 0x7e || r <= ' ' || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r) {
			return false
		}
	}
	return true
}
