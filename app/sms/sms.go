// Package sms sends the SMS reminders that balie-gateway owes visitors.
//
// Each city picks its own Belgian SMS gateway, so there is no client for one
// particular provider here: HTTPProvider speaks to any provider whose API is
// "one HTTP request per message", with the request body written as a
// template in the city's configuration. FileOutbox writes messages to files
// instead, for development and demos without a provider account.
//
// Send returns an *Error that says whether trying again can help (see
// Permanent), so the gateway's outbox knows whether to retry a reminder or
// hand it to staff. Error texts carry the message's Ref and the HTTP status
// but never the phone number or the text: they end up in logs and in the
// store.
package sms

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"unicode"
)

// Message is one SMS.
type Message struct {
	To   string // E.164, e.g. +32470123456
	Text string
	// Ref is stable per message: providers use it to drop duplicates when a
	// send is retried, and it is the only thing our logs name.
	Ref string
}

// Sender sends one message. Implementations are safe for concurrent use.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

var (
	_ Sender = (*HTTPProvider)(nil)
	_ Sender = (*FileOutbox)(nil)
)

// MaxRefLen bounds Ref: it becomes a file name and a provider field, and
// providers limit their reference fields.
const MaxRefLen = 128

// Error is a failed send.
type Error struct {
	Ref       string // the message's Ref
	Status    int    // the provider's HTTP status; 0 when none came
	Permanent bool   // sending the same message again will fail again
	Msg       string // what went wrong, without personal data
	Err       error  // the cause, if any; never carries the number or the text
}

func (e *Error) Error() string {
	kind := "temporary"
	if e.Permanent {
		kind = "permanent"
	}
	s := fmt.Sprintf("sms: ref %q: %s", e.Ref, e.Msg)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s + " (" + kind + ")"
}

func (e *Error) Unwrap() error { return e.Err }

// Permanent tells whether err is a failure that retrying cannot fix: the
// provider refused the message (a 4xx other than 408 and 429), the message
// itself is invalid, or the body template failed. Everything else, network
// errors, timeouts, 5xx, 408 and 429, is worth another try later.
func Permanent(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Permanent
}

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

// validate refuses what no provider should get. The errors do not quote To
// or Text, and quote Ref only when it is short enough to be a real one.
func validate(m Message) error {
	refused := func(ref, msg string) error { return &Error{Ref: ref, Permanent: true, Msg: msg} }
	switch {
	case m.Ref == "":
		return refused("", "message has no Ref")
	case len(m.Ref) > MaxRefLen:
		return refused(m.Ref[:16]+"…", fmt.Sprintf("Ref is longer than %d bytes", MaxRefLen))
	case hasControl(m.Ref):
		// It would break log lines and the outbox file's header.
		return refused(m.Ref, "Ref contains control characters")
	case !e164.MatchString(m.To):
		return refused(m.Ref, "number is not in E.164 form")
	case m.Text == "":
		return refused(m.Ref, "message has no text")
	}
	return nil
}

func hasControl(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) {
			return true
		}
	}
	return false
}
