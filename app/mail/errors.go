package mail

import (
	"context"
	"errors"
	"fmt"
	"net/textproto"

	gomail "github.com/wneessen/go-mail"
)

// Error is what Send returns. Its text holds the phase and the SMTP reply
// code but never the server's reply text: servers quote the recipient in it
// ("550 <x@y>: unknown user"), and addresses must not end up in logs.
type Error struct {
	// Phase is where it failed: "address" (the recipient is not an
	// address), "message" (the Message is not valid), "connect" (connection,
	// TLS, greeting or AUTH), "mail from", "rcpt to" or "data".
	Phase string
	// Code is the SMTP reply code, 0 if the server did not answer (network
	// error, timeout) or was not asked.
	Code int
	// Enhanced is the RFC 3463 status code, e.g. "5.1.1", if the server
	// sent one.
	Enhanced string

	permanent bool
	detail    string // safe to log
	err       error  // cause for errors.Is/As; never carries personal data
}

func (e *Error) Error() string {
	msg := "mail: " + e.Phase
	switch {
	case e.Code != 0:
		msg += fmt.Sprintf(": server replied %d", e.Code)
		if e.Enhanced != "" {
			msg += " " + e.Enhanced
		}
	case e.detail != "":
		msg += ": " + e.detail
	case e.err != nil:
		msg += ": " + e.err.Error()
	}
	return msg
}

// Unwrap gives the cause of connect errors (network, TLS, context), so
// callers can use errors.Is(err, context.DeadlineExceeded) and the like.
func (e *Error) Unwrap() error { return e.err }

// Permanent reports whether err is an *Error that sending the same message
// again cannot fix: an invalid recipient address or message, or a 5xx reply
// to RCPT TO or to the data. Everything else is temporary, including a 5xx
// to MAIL FROM or AUTH: that is our configuration, not the message, and
// the message can go once it is fixed.
func Permanent(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.permanent
}

// connectError wraps a failure before any message was sent. Its cause comes
// from net, crypto/tls or the server's greeting, STARTTLS and AUTH replies,
// none of which hold the recipient or content, so it is kept for Unwrap.
func connectError(ctx context.Context, err error) *Error {
	e := &Error{Phase: "connect", err: err}
	var reply *textproto.Error
	if errors.As(err, &reply) {
		e.Code = reply.Code
	}
	if ctx.Err() != nil {
		e.err = ctx.Err()
	}
	return e
}

// sendError wraps a go-mail error from sending a message. go-mail's text
// lists the recipients and the server's reply, so only the reason and the
// codes are kept, and the go-mail error is not kept as cause.
func sendError(ctx context.Context, err error) *Error {
	var se *gomail.SendError
	if !errors.As(err, &se) {
		return &Error{Phase: "send", detail: "failed"}
	}
	e := &Error{Code: se.ErrorCode(), Enhanced: se.EnhancedStatusCode()}
	switch se.Reason {
	case gomail.ErrSMTPMailFrom:
		e.Phase = "mail from"
	case gomail.ErrSMTPRcptTo:
		e.Phase = "rcpt to"
	case gomail.ErrSMTPData, gomail.ErrWriteContent, gomail.ErrSMTPDataClose:
		e.Phase = "data"
	case gomail.ErrConnCheck:
		e.Phase = "connect"
	default:
		e.Phase = "send"
	}
	e.permanent = e.Code >= 500 && (e.Phase == "rcpt to" || e.Phase == "data")
	switch {
	case ctx.Err() != nil:
		e.err = ctx.Err()
	case e.Code == 0:
		e.detail = "no answer from the server (connection lost or timed out)"
	}
	return e
}
