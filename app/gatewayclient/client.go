// Package gatewayclient is the kiosk's side of the kiosk API: a
// domain.Backend and domain.Signals that talks to balie-gateway over HTTPS,
// so the kiosk holds no secrets and no bookings of its own.
//
// It turns every answer and every network failure into the domain's typed
// errors (EOffline when this PC cannot reach the city, ERateLimited, ...)
// and never logs what a visitor typed: no name, contact, code or check.
//
// It may import the domain, app/api (the wire format) and resty; never Fyne,
// the store or the gateway's server code.
package gatewayclient

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/digitalebalie/balie/app/api"
	"github.com/digitalebalie/balie/app/domain"
)

var (
	_ domain.Backend = (*Client)(nil)
	_ domain.Signals = (*Client)(nil)
)

// Defaults chosen so that a call with all its retries ends within the
// kiosk's 15-second call timeout: 3 attempts × 4 s plus the waits.
const (
	DefaultTimeout      = 4 * time.Second
	DefaultRetries      = 2
	DefaultRetryWait    = 250 * time.Millisecond
	DefaultRetryMaxWait = 2 * time.Second
	DefaultUserAgent    = "balie-kiosk"
)

// maxResponseBytes caps what the client reads of one answer; the catalogue
// in every language is well under 1 MiB.
const maxResponseBytes = 4 << 20

// Options configure a Client.
type Options struct {
	// BaseURL is the gateway's root, e.g. "https://balie-gateway.gent.be";
	// the client adds /v1/... itself.
	BaseURL string
	// DeviceToken is this kiosk's bearer token.
	DeviceToken string
	// Timeout bounds one attempt; 0 takes DefaultTimeout.
	Timeout time.Duration
	// Retries is how many times a retryable call is tried again after the
	// first attempt; 0 takes DefaultRetries, a negative number turns
	// retries off.
	Retries int
	// RetryWait is the first wait between attempts; it doubles, with jitter.
	// 0 takes DefaultRetryWait.
	RetryWait time.Duration
	// RetryMaxWait caps the wait between attempts and is the longest
	// Retry-After the client is willing to honour; 0 takes DefaultRetryMaxWait.
	RetryMaxWait time.Duration
	// UserAgent names the kiosk software in the gateway's logs.
	UserAgent string
	// Transport replaces the HTTP transport (a proxy, a custom CA); nil keeps
	// resty's.
	Transport http.RoundTripper
	// Log receives one line per retry, with the route and never its values;
	// nil discards.
	Log *slog.Logger
	// CatalogueFile keeps the last catalogue on the kiosk's disk (it holds
	// nothing personal), so a kiosk that starts without a network can still
	// show the themes; empty keeps it in memory only.
	CatalogueFile string
	// SlotsFor is how long a slot listing may stand in for the gateway's
	// while the network is gone; 0 takes DefaultSlotsFor.
	SlotsFor time.Duration
}

// DefaultSlotsFor: a listing younger than ten minutes is still mostly
// right; a time taken meanwhile is refused at booking, and the visitor
// picks another.
const DefaultSlotsFor = 10 * time.Minute

func (o *Options) defaults() {
	o.BaseURL = strings.TrimRight(o.BaseURL, "/")
	if o.SlotsFor <= 0 {
		o.SlotsFor = DefaultSlotsFor
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	switch {
	case o.Retries == 0:
		o.Retries = DefaultRetries
	case o.Retries < 0:
		o.Retries = 0
	}
	if o.RetryWait <= 0 {
		o.RetryWait = DefaultRetryWait
	}
	if o.RetryMaxWait <= 0 {
		o.RetryMaxWait = DefaultRetryMaxWait
	}
	if o.RetryMaxWait < o.RetryWait {
		o.RetryMaxWait = o.RetryWait
	}
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
}

// Client talks to one gateway. It is safe for concurrent use.
type Client struct {
	http  *resty.Client
	opts  Options
	cache cache
}

// New builds the client. It does not contact the gateway; call Health for
// that.
func New(opts Options) *Client {
	opts.defaults()
	c := &Client{opts: opts}
	r := resty.New().
		SetBaseURL(opts.BaseURL).
		SetTimeout(opts.Timeout).
		SetAuthToken(opts.DeviceToken).
		SetHeader("User-Agent", opts.UserAgent).
		SetHeader("Accept", "application/json").
		SetError(&api.ErrorBody{}).
		SetResponseBodyLimit(maxResponseBytes).
		SetCookieJar(nil).
		// Resty logs every failed attempt with its *url.Error, whose text
		// carries the full URL: a booking code in the path and the owner's
		// check in the query. Its logger stays silent, debug stays off.
		SetLogger(silent{}).
		SetDebug(false).
		// The API never redirects; a redirect is a captive portal or a
		// misconfiguration, and following it could send the token or a
		// booking body elsewhere.
		SetRedirectPolicy(resty.RedirectPolicyFunc(func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		})).
		SetRetryCount(opts.Retries).
		SetRetryWaitTime(opts.RetryWait).
		SetRetryMaxWaitTime(opts.RetryMaxWait).
		SetRetryAfter(retryAfterFunc).
		AddRetryCondition(c.shouldRetry).
		AddRetryHook(c.logRetry)
	if opts.Transport != nil {
		r.SetTransport(opts.Transport)
	}
	c.http = r
	return c
}

// Health asks whether the gateway is up and this kiosk's network path to it
// works. It needs no device token.
func (c *Client) Health(ctx context.Context) error {
	resp, err := c.request(ctx, routeHealth, idempotent).Get(routeHealth.path)
	if err := c.check(ctx, routeHealth, resp, err); err != nil {
		return err
	}
	var h api.Health
	if err := decodeJSON(reader(resp), &h); err != nil {
		return malformed(routeHealth, err)
	}
	if h.Status != "ok" {
		return domain.Errorf(domain.EUnavailable, "gateway health is %q", h.Status)
	}
	return nil
}

// Services lists the catalogue in every language: the kiosk switches
// language without asking again.
func (c *Client) Services(ctx context.Context) ([]domain.Service, error) {
	list, err := c.services(ctx)
	if err != nil {
		return c.cache.servicesInstead(c.opts.CatalogueFile, err)
	}
	c.cache.keepServices(c.opts.CatalogueFile, list, c.opts.Log)
	return list, nil
}

func (c *Client) services(ctx context.Context) ([]domain.Service, error) {
	resp, err := c.request(ctx, routeServices, idempotent).Get(routeServices.path)
	if err := c.check(ctx, routeServices, resp, err); err != nil {
		return nil, err
	}
	list, err := decodeServices(reader(resp))
	if err != nil {
		return nil, malformed(routeServices, err)
	}
	return list, nil
}

// Slots lists the free slots of a service from the Brussels day of from.
func (c *Client) Slots(ctx context.Context, serviceID string, from time.Time, days int) ([]domain.Slot, error) {
	key := serviceID + "|" + from.In(domain.Brussels).Format(time.DateOnly) + "|" + strconv.Itoa(days)
	slots, err := c.slots(ctx, serviceID, from, days)
	if err != nil {
		return c.cache.slotsInstead(key, c.opts.SlotsFor, err)
	}
	c.cache.keepSlots(key, slots)
	return slots, nil
}

func (c *Client) slots(ctx context.Context, serviceID string, from time.Time, days int) ([]domain.Slot, error) {
	resp, err := c.request(ctx, routeSlots, idempotent).
		SetPathParam("id", serviceID).
		SetQueryParam("from", from.In(domain.Brussels).Format(time.DateOnly)).
		SetQueryParam("days", strconv.Itoa(days)).
		Get(routeSlots.path)
	if err := c.check(ctx, routeSlots, resp, err); err != nil {
		return nil, err
	}
	slots, err := decodeSlots(reader(resp), serviceID)
	if err != nil {
		return nil, malformed(routeSlots, err)
	}
	return slots, nil
}

// Book books a slot. Each call carries an Idempotency-Key that all its
// retries share, so an answer lost on the way back never books twice: the
// gateway returns the first booking for a repeated key. The key is the
// request's own when it has one (the kiosk's, for the whole visit), so a
// later "try again" is safe too; else a fresh one.
func (c *Client) Book(ctx context.Context, req domain.BookingRequest) (domain.Appointment, error) {
	key := req.Key
	if key == "" {
		key = newIdempotencyKey()
	}
	resp, err := c.request(ctx, routeBook, idempotent).
		SetHeader(api.HeaderIdempotency, key).
		SetBody(api.FromBookingRequest(req)).
		Post(routeBook.path)
	if err := c.check(ctx, routeBook, resp, err); err != nil {
		return domain.Appointment{}, err
	}
	appt, err := decodeAppointment(reader(resp))
	if err != nil {
		return domain.Appointment{}, malformed(routeBook, err)
	}
	// The gateway never sends contact details back; the kiosk shows the
	// visitor what they gave, and the check for Join is derived from it.
	appt.Contact = req.Contact
	appt.ConsentResearch = req.ConsentResearch
	return appt, nil
}

// Find looks up an appointment by code and owner check. The gateway answers
// without contact details, so the result's Contact is empty.
func (c *Client) Find(ctx context.Context, code, check string) (domain.Appointment, error) {
	resp, err := c.request(ctx, routeFind, idempotent|lookup).
		SetPathParam("code", code).
		SetQueryParam("check", check).
		Get(routeFind.path)
	if err := c.check(ctx, routeFind, resp, err); err != nil {
		return domain.Appointment{}, err
	}
	appt, err := decodeAppointment(reader(resp))
	if err != nil {
		return domain.Appointment{}, malformed(routeFind, err)
	}
	return appt, nil
}

// Cancel cancels an appointment. It is retried like a GET although it is a
// POST: cancelling is idempotent on the gateway (an appointment already
// cancelled answers 204 again, and the owner's check still matches), so a
// repeat after a lost answer changes nothing.
func (c *Client) Cancel(ctx context.Context, code, check string) error {
	resp, err := c.request(ctx, routeCancel, idempotent|lookup).
		SetPathParam("code", code).
		SetBody(api.CancelRequest{Check: check}).
		Post(routeCancel.path)
	return c.check(ctx, routeCancel, resp, err)
}

// RequestHelp tells staff that a visitor at this kiosk needs help. A
// request with a Ref is retried: the gateway takes a repeat of the same Ref
// as the same request. Without one it is not: a repeat would call staff
// twice. The gateway fills in which kiosk from the device token.
func (c *Client) RequestHelp(ctx context.Context, req domain.HelpRequest) error {
	if err := domain.ValidateHelpRequest(req); err != nil {
		return err
	}
	var p policy
	if req.Ref != "" {
		p = idempotent
	}
	resp, err := c.request(ctx, routeHelp, p).
		SetBody(api.HelpRequest{ID: req.Ref, Language: req.Language, Screen: req.Screen, Location: req.Location}).
		Post(routeHelp.path)
	return c.check(ctx, routeHelp, resp, err)
}

// SendFeedback sends an anonymous rating. It is not retried: a repeat would
// count the rating twice in the city's figures.
func (c *Client) SendFeedback(ctx context.Context, fb domain.Feedback) error {
	if err := domain.ValidateFeedback(fb); err != nil {
		return err
	}
	resp, err := c.request(ctx, routeFeedback, 0).
		SetBody(api.Feedback{Language: fb.Language, ServiceID: fb.ServiceID, Rating: fb.Rating, Suggestion: fb.Suggestion}).
		Post(routeFeedback.path)
	return c.check(ctx, routeFeedback, resp, err)
}

// route is one endpoint: its method and path pattern, which is all that
// errors and logs ever name, never the values filled into it.
type route struct {
	method, path string
}

func (r route) String() string { return r.method + " " + r.path }

var (
	routeHealth   = route{http.MethodGet, api.Prefix + "/health"}
	routeServices = route{http.MethodGet, api.Prefix + "/services"}
	routeSlots    = route{http.MethodGet, api.Prefix + "/services/{id}/slots"}
	routeBook     = route{http.MethodPost, api.Prefix + "/appointments"}
	routeFind     = route{http.MethodGet, api.Prefix + "/appointments/{code}"}
	routeCancel   = route{http.MethodPost, api.Prefix + "/appointments/{code}/cancel"}
	routeHelp     = route{http.MethodPost, api.Prefix + "/help-requests"}
	routeFeedback = route{http.MethodPost, api.Prefix + "/feedback"}
	routeHelpOne  = route{http.MethodGet, api.Prefix + "/help-requests/{id}"}
	routeVisits   = route{http.MethodPost, api.Prefix + "/visits"}
	routeSignIn   = route{http.MethodPost, api.Prefix + "/staff/sessions"}
	routeQueue    = route{http.MethodGet, api.Prefix + "/staff/help-requests"}
	routeSetHelp  = route{http.MethodPost, api.Prefix + "/staff/help-requests/{id}"}
)

// request starts a request whose context carries its route and retry policy,
// where the retry condition and hook find them.
func (c *Client) request(ctx context.Context, rt route, p policy) *resty.Request {
	ctx = context.WithValue(ctx, callKey{}, call{route: rt, policy: p})
	return c.http.R().SetContext(ctx)
}

// newIdempotencyKey returns 128 random bits, URL-safe.
func newIdempotencyKey() string {
	return base64.RawURLEncoding.EncodeToString(randomBytes(16))
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return b
}

// silent is resty's logger: it drops everything, because resty's messages
// can quote URLs with a booking code and check in them.
type silent struct{}

func (silent) Errorf(string, ...any) {}
func (silent) Warnf(string, ...any)  {}
func (silent) Debugf(string, ...any) {}
