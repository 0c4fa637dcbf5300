package domain

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// ErrorCode says what kind of failure an error is, so a screen can turn it
// into a sentence in the visitor's language.
type ErrorCode string

// The failures a Backend reports.
const (
	ESlotTaken   ErrorCode = "slot_taken"   // someone else booked the slot first
	ENotFound    ErrorCode = "not_found"    // no such appointment, or the check is wrong
	EUnavailable ErrorCode = "unavailable"  // the booking system cannot be reached or is down
	EInvalid     ErrorCode = "invalid"      // input was refused; Fields says why
	EOffline     ErrorCode = "offline"      // this PC has no network path to the booking system
	ERateLimited ErrorCode = "rate_limited" // too many tries in a short time; wait and try again
	EInternal    ErrorCode = "internal"     // anything unexpected
	// EContactQuota: this e-mail address or mobile number already has
	// MaxFutureAppointments appointments to come; cancel one first.
	EContactQuota ErrorCode = "contact_quota"
	// EDeviceQuota: this kiosk has made many bookings in the last hour; a
	// leaked device token cannot flood the calendar or the visitors' inboxes.
	EDeviceQuota ErrorCode = "device_quota"
)

// FieldReason is why one input field was refused.
type FieldReason string

// The reasons a field can be refused.
const (
	ReasonRequired     FieldReason = "required"
	ReasonTooLong      FieldReason = "too_long"
	ReasonInvalidName  FieldReason = "invalid_name"
	ReasonInvalidCode  FieldReason = "invalid_code"
	ReasonInvalidEmail FieldReason = "invalid_email"
	ReasonInvalidPhone FieldReason = "invalid_phone"
	ReasonNotMobile    FieldReason = "not_mobile"
	ReasonEmailOrPhone FieldReason = "email_or_phone" // neither was given
	ReasonUnknown      FieldReason = "unknown"        // e.g. an unknown service id
	ReasonOutOfRange   FieldReason = "out_of_range"   // e.g. a slot in the past
	ReasonNotOffered   FieldReason = "not_offered"    // e.g. a language the kiosk does not offer
	ReasonInvalidID    FieldReason = "invalid_id"     // an id with other than letters, digits and dashes
)

// Error is the typed error every Backend returns.
type Error struct {
	Code   ErrorCode
	Fields map[string]FieldReason // with EInvalid: field name → reason
	Err    error                  // the cause, for the operator's log
	// RetryAfter, when set, is how long the caller should wait before the
	// same call can succeed (a quota that frees up over time).
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Code))
	if len(e.Fields) > 0 {
		names := make([]string, 0, len(e.Fields))
		for f := range e.Fields {
			names = append(names, f)
		}
		sort.Strings(names)
		for _, f := range names {
			fmt.Fprintf(&b, " %s=%s", f, e.Fields[f])
		}
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an Error with a code and a cause.
func Errorf(code ErrorCode, format string, args ...any) error {
	return &Error{Code: code, Err: fmt.Errorf(format, args...)}
}

// Invalid builds an EInvalid error with reasons per field.
func Invalid(fields map[string]FieldReason) error {
	return &Error{Code: EInvalid, Fields: fields}
}

// CodeOf returns the ErrorCode of err: EInternal for an error that is not an
// *Error, "" for nil.
func CodeOf(err error) ErrorCode {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// FieldsOf returns the reasons per field of an EInvalid error.
func FieldsOf(err error) map[string]FieldReason {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}
