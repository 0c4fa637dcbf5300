package domain

import (
	"errors"
	"time"
)

// NoticeKind is what a message to the visitor is for.
type NoticeKind string

const (
	NoticeConfirmEmail NoticeKind = "confirm-email" // on booking, with the links and an .ics
	NoticeCancelEmail  NoticeKind = "cancel-email"  // on cancelling
	NoticeSMSDayBefore NoticeKind = "sms-day"       // the day before, at the same time of day
	NoticeSMSSoon      NoticeKind = "sms-soon"      // when the call opens
	NoticeMovedEmail   NoticeKind = "moved-email"   // on moving, with the new time and an updated .ics
)

// Email tells whether the notice goes by e-mail (else by SMS).
func (k NoticeKind) Email() bool {
	return k == NoticeConfirmEmail || k == NoticeCancelEmail || k == NoticeMovedEmail
}

// NoticeState is where a notice is in its life.
type NoticeState string

const (
	NoticePending NoticeState = "pending" // waiting for its time, or for a retry
	NoticeSent    NoticeState = "sent"
	NoticeFailed  NoticeState = "failed"  // refused for good, or out of attempts: staff look at it
	NoticeDropped NoticeState = "dropped" // no longer wanted: the appointment was cancelled
)

// Notice is one e-mail or SMS the gateway owes a visitor. It names the
// appointment rather than copying its contact details: the text is made
// when it is sent, and the details live in one place only.
type Notice struct {
	ID       uint64
	Kind     NoticeKind
	Code     string    // the appointment's booking code
	Due      time.Time // not before this
	State    NoticeState
	Attempts int
	NextTry  time.Time // when a pending notice may be tried (again)
	// LastError is the last failure, without personal data.
	LastError string
	SentAt    time.Time
}

// SMSSoonBefore is when the short reminder goes: as the call opens.
const SMSSoonBefore = JoinOpensBefore

// NoticesForBooking are the messages a new booking owes, made at now: the
// confirmation e-mail when an address was given, and with a mobile number
// an SMS the day before and one as the call opens. A reminder whose time has
// already passed is left out, so nobody gets "tomorrow" on the day itself.
func NoticesForBooking(a Appointment, now time.Time) []Notice {
	var out []Notice
	if a.Contact.Email != "" {
		out = append(out, Notice{Kind: NoticeConfirmEmail, Code: a.Code, Due: now})
	}
	if a.Contact.Phone != "" {
		for _, n := range []Notice{
			{Kind: NoticeSMSDayBefore, Code: a.Code, Due: DayBefore(a.Start)},
			{Kind: NoticeSMSSoon, Code: a.Code, Due: a.Start.Add(-SMSSoonBefore)},
		} {
			if n.Due.After(now) {
				out = append(out, n)
			}
		}
	}
	return pending(out)
}

// NoticesForMove are the messages a move owes: an e-mail with the new
// time, and the SMS reminders for the new time.
func NoticesForMove(a Appointment, now time.Time) []Notice {
	out := NoticesForBooking(a, now)
	for i := range out {
		if out[i].Kind == NoticeConfirmEmail {
			out[i].Kind = NoticeMovedEmail
		}
	}
	return out
}

// NoticesForCancel are the messages a cancellation owes: an e-mail that
// says so, when an address was given.
func NoticesForCancel(a Appointment, now time.Time) []Notice {
	if a.Contact.Email == "" {
		return nil
	}
	return pending([]Notice{{Kind: NoticeCancelEmail, Code: a.Code, Due: now}})
}

func pending(ns []Notice) []Notice {
	for i := range ns {
		ns[i].State, ns[i].NextTry = NoticePending, ns[i].Due
	}
	return ns
}

// DayBefore is the same time of day one calendar day earlier in Brussels:
// "tomorrow at 09:30" is sent at 09:30, also across a change to or from
// summer time, when that is 23 or 25 hours before.
func DayBefore(start time.Time) time.Time {
	return start.In(Brussels).AddDate(0, 0, -1)
}

// Stale tells whether a notice has missed its moment at now, say after the
// gateway was down: "tomorrow" sent on the day itself, a "starts soon" after
// the start, or anything about an appointment that is over.
func (n Notice) Stale(a Appointment, now time.Time) bool {
	switch {
	case n.Kind == NoticeCancelEmail:
		return false
	case a.Over(now):
		return true
	case n.Kind == NoticeSMSDayBefore:
		y, m, d := now.In(Brussels).Date()
		sy, sm, sd := a.Start.In(Brussels).Date()
		return y == sy && m == sm && d == sd
	case n.Kind == NoticeSMSSoon:
		return !now.Before(a.Start)
	}
	return false
}

// ErrNotPending says a notice was no longer pending when a worker came for
// it: sent meanwhile, or dropped by a cancellation.
var ErrNotPending = errors.New("notice no longer pending")
