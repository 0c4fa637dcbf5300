package gatewayclient

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/go-resty/resty/v2"
)

// policy says how a call may be retried.
type policy uint8

const (
	// idempotent calls may be sent again: GETs, the booking with its
	// Idempotency-Key, and cancelling. Help requests and feedback are not.
	idempotent policy = 1 << iota
	// lookup calls try a code and check. The gateway limits them per kiosk
	// against guessing; a 429 there is the visitor's answer, never retried.
	lookup
)

type callKey struct{}

// call travels in a request's context to the retry condition and hook.
type call struct {
	route  route
	policy policy
}

func callOf(ctx context.Context) call {
	c, _ := ctx.Value(callKey{}).(call)
	return c
}

// shouldRetry is the client's only retry condition. It retries an
// idempotent call after a network failure, after 502, 503 or 504, and after
// a 429 on anything but a lookup, as long as any Retry-After fits within
// RetryMaxWait. It never retries once the caller's context is done.
func (c *Client) shouldRetry(resp *resty.Response, err error) bool {
	if resp == nil || resp.Request == nil {
		return false // resty refused to send: nothing a retry would change
	}
	ctx := resp.Request.Context()
	if ctx.Err() != nil {
		return false
	}
	call := callOf(ctx)
	if call.policy&idempotent == 0 {
		return false
	}
	if err != nil {
		return isTransport(err) && !isTLSVerification(err)
	}
	switch resp.StatusCode() {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
	case http.StatusTooManyRequests:
		if call.policy&lookup != 0 {
			return false
		}
		if _, ok := retryAfter(resp.Header(), time.Now()); !ok {
			return false // no hint when to come back: do not hammer a limit
		}
	default:
		return false
	}
	wait, ok := retryAfter(resp.Header(), time.Now())
	return !ok || wait <= c.opts.RetryMaxWait
}

// retryAfterFunc tells resty to wait as long as the server asked; 0 means
// resty's own jittered backoff.
func retryAfterFunc(_ *resty.Client, resp *resty.Response) (time.Duration, error) {
	if d, ok := retryAfter(resp.Header(), time.Now()); ok {
		return d, nil
	}
	return 0, nil
}

// retryAfter reads a Retry-After header: delay seconds or an HTTP date.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := h.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 {
			return 0, false
		}
		// A day is as good as forever to a kiosk, and far from the
		// overflow of time.Duration.
		return time.Duration(min(secs, 86400)) * time.Second, true
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(at.Sub(now), 0), true
	}
	return 0, false
}

// logRetry writes one operator line per retry: route, attempt and what went
// wrong, without the URL (it carries codes and checks).
func (c *Client) logRetry(resp *resty.Response, err error) {
	if resp == nil || resp.Request == nil {
		return
	}
	call := callOf(resp.Request.Context())
	attrs := []any{"route", call.route.String(), "attempt", resp.Request.Attempt}
	if err != nil {
		attrs = append(attrs, "err", redact(call.route, err).Error())
	} else {
		attrs = append(attrs, "status", resp.StatusCode())
	}
	c.opts.Log.Info("gateway call attempt failed", attrs...)
}
