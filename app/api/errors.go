package api

import (
	"errors"
	"net/http"

	"github.com/digitalebalie/balie/app/domain"
)

// statusOf maps the domain's error codes to HTTP statuses.
var statusOf = map[domain.ErrorCode]int{
	domain.ESlotTaken:   http.StatusConflict,
	domain.ENotFound:    http.StatusNotFound,
	domain.EInvalid:     http.StatusUnprocessableEntity,
	domain.EUnavailable: http.StatusServiceUnavailable,
	domain.EOffline:     http.StatusServiceUnavailable,
	domain.ERateLimited: http.StatusTooManyRequests,
	domain.EInternal:    http.StatusInternalServerError,
	// A quota is a state to change (cancel one), not a wait: 409.
	domain.EContactQuota: http.StatusConflict,
	// A kiosk over its hourly bookings waits: 429 with Retry-After.
	domain.EDeviceQuota: http.StatusTooManyRequests,
}

// messages are the operator's sentences per code. They never include what
// the visitor typed, so an error body is safe to log.
var messages = map[string]string{
	string(domain.ESlotTaken):    "the slot was booked by someone else",
	string(domain.ENotFound):     "no appointment matches this code and check",
	string(domain.EInvalid):      "some fields were refused; see fields",
	string(domain.EUnavailable):  "the booking system is unavailable, try again later",
	string(domain.ERateLimited):  "too many attempts, try again later",
	string(domain.EInternal):     "internal error",
	string(domain.EContactQuota): "this e-mail address or mobile number already has the most future appointments allowed; cancel one first",
	string(domain.EDeviceQuota):  "this kiosk has made the most bookings allowed in the last hour",
	CodeBadRequest:               "the request body is not valid JSON of the expected shape",
	CodeTooLarge:                 "the request body is too large",
	CodeUnauthorized:             "a valid bearer token is required",
	CodeForbidden:                "this staff member's role may not do this",
	CodeMethodNotAllowed:         "method not allowed",
	CodeNoRoute:                  "no such path",
}

// NewError builds an error body with a wire code and its standard message.
func NewError(code string, fields map[string]string) ErrorBody {
	return ErrorBody{Error: ErrorDetail{Code: code, Message: messages[code], Fields: fields}}
}

// FromError turns a domain error into its status and body. Anything that is
// not a domain error becomes a 500 with no detail.
func FromError(err error) (int, ErrorBody) {
	code := domain.CodeOf(err)
	if code == domain.EOffline { // the gateway itself is never "offline" to its caller
		code = domain.EUnavailable
	}
	status, ok := statusOf[code]
	if !ok {
		code, status = domain.EInternal, http.StatusInternalServerError
	}
	var fields map[string]string
	if f := domain.FieldsOf(err); len(f) > 0 {
		fields = map[string]string{}
		for k, v := range f {
			fields[k] = string(v)
		}
	}
	return status, NewError(string(code), fields)
}

// Err turns an error answer back into the domain's typed error, for the
// client. Wire-only codes become EInternal or EUnavailable: they mean the
// kiosk is misconfigured or sent something it should not have.
func (b ErrorBody) Err(status int) error {
	code := domain.ErrorCode(b.Error.Code)
	switch {
	case code == domain.EInvalid && len(b.Error.Fields) > 0:
		fields := map[string]domain.FieldReason{}
		for k, v := range b.Error.Fields {
			fields[k] = domain.FieldReason(v)
		}
		return &domain.Error{Code: domain.EInvalid, Fields: fields}
	case code == domain.EInvalid:
		return &domain.Error{Code: domain.EInvalid, Err: errors.New(b.Error.Message)}
	}
	if _, known := statusOf[code]; known {
		return &domain.Error{Code: code, Err: errors.New(b.Error.Message)}
	}
	switch status {
	case http.StatusTooManyRequests:
		code = domain.ERateLimited
	case http.StatusUnauthorized, http.StatusServiceUnavailable, http.StatusBadGateway, http.StatusGatewayTimeout:
		code = domain.EUnavailable
	default:
		code = domain.EInternal
	}
	return domain.Errorf(code, "gateway answered %d %s: %s", status, b.Error.Code, b.Error.Message)
}
