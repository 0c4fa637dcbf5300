package gatewayclient

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"syscall"

	"github.com/go-resty/resty/v2"

	"github.com/digitalebalie/balie/app/api"
	"github.com/digitalebalie/balie/app/domain"
)

// check turns what resty returned into nil or a domain error.
//
// A 4xx or 5xx is not a Go error in resty: it is read from the error body,
// and by status alone when the body is not the API's. Errors name the route,
// never the URL, which carries codes and checks.
func (c *Client) check(ctx context.Context, rt route, resp *resty.Response, err error) error {
	result := c.checkOnce(ctx, rt, resp, err)
	c.cache.noted(result)
	return result
}

func (c *Client) checkOnce(ctx context.Context, rt route, resp *resty.Response, err error) error {
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return canceled(rt, ctxErr)
		}
		return transportError(rt, err)
	}
	switch {
	case resp.IsSuccess():
		return nil
	case resp.IsError():
		return failure(resp)
	}
	// A redirect (never sent by the gateway) means something between the
	// kiosk and the city answered instead: typically a captive portal.
	return domain.Errorf(domain.EOffline, "%s: unexpected status %d", rt, resp.StatusCode())
}

// failure maps an error answer, with Retry-After noted for the operator.
func failure(resp *resty.Response) error {
	var err error
	if body, ok := resp.Error().(*api.ErrorBody); ok && body != nil && body.Error.Code != "" {
		err = body.Err(resp.StatusCode())
	} else {
		// Not JSON by its Content-Type, or not the API's shape: try the
		// body once more, else map by status.
		err = decodeError(resp.StatusCode(), bytes.NewReader(resp.Body()))
	}
	var de *domain.Error
	if d, ok := retryAfter(resp.Header(), resp.ReceivedAt()); ok && errors.As(err, &de) && de.Code == domain.ERateLimited && de.Err != nil {
		de.Err = fmt.Errorf("%w (retry after %s)", de.Err, d)
	}
	return err
}

// canceled reports the caller's own context ending. A deadline means the
// city did not answer in time, which to the visitor is the same as no
// connection; a cancellation is only ever seen by code that gave up.
func canceled(rt route, ctxErr error) error {
	code := domain.EUnavailable
	if errors.Is(ctxErr, context.DeadlineExceeded) {
		code = domain.EOffline
	}
	return &domain.Error{Code: code, Err: fmt.Errorf("%s: %w", rt, ctxErr)}
}

// transportError maps a failure to get any answer. Refused connections,
// DNS failures, unreachable networks, resets and timeouts are EOffline:
// this PC has no path to the city. A certificate the kiosk does not trust
// is EUnavailable: the network works but the setup needs staff.
func transportError(rt route, err error) error {
	switch {
	case isTLSVerification(err):
		return &domain.Error{Code: domain.EUnavailable, Err: redact(rt, err)}
	case isTransport(err):
		return &domain.Error{Code: domain.EOffline, Err: redact(rt, err)}
	case errors.Is(err, resty.ErrResponseBodyTooLarge):
		return &domain.Error{Code: domain.EUnavailable, Err: redact(rt, err)}
	}
	return &domain.Error{Code: domain.EInternal, Err: redact(rt, err)}
}

// isTransport tells whether err is a failure of the network or of the
// connection, rather than of the answer. Everything http.Client.Do fails
// with is a *url.Error; net.Error covers *net.OpError (refused, no route),
// *net.DNSError and timeouts; the rest are connections cut mid-answer.
func isTransport(err error) bool {
	var (
		urlErr *url.Error
		netErr net.Error
	)
	return errors.As(err, &urlErr) || errors.As(err, &netErr) ||
		errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, syscall.ECONNRESET)
}

func isTLSVerification(err error) bool {
	var (
		verify   *tls.CertificateVerificationError
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
	)
	return errors.As(err, &verify) || errors.As(err, &unknown) ||
		errors.As(err, &hostname) || errors.As(err, &invalid)
}

// redact replaces a *url.Error's URL, which may hold a booking code and a
// check, with the route's pattern. The cause stays wrapped for errors.Is.
func redact(rt route, err error) error {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		return fmt.Errorf("%s: %w", rt, urlErr.Err)
	}
	return fmt.Errorf("%s: %w", rt, err)
}

// malformed reports a success answer the client could not read: something
// other than the gateway answered, or a version mismatch.
func malformed(rt route, err error) error {
	return &domain.Error{Code: domain.EUnavailable, Err: fmt.Errorf("%s: unreadable answer: %w", rt, err)}
}

func reader(resp *resty.Response) io.Reader { return bytes.NewReader(resp.Body()) }
