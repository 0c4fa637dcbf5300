// Package icsfile makes the calendar file (RFC 5545) of an appointment, for
// the phone page's download and the confirmation e-mail's attachment.
package icsfile

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/digitalebalie/balie/app/domain"
)

// Texts are the event's words, already in the visitor's languages.
type Texts struct {
	Summary     string // the calendar entry's title
	Description string // Dutch first, then the visitor's language
	Alarm       string // the reminder as the call opens
}

// Build returns the .ics of a, stamped at now when a has no creation time.
func Build(a domain.Appointment, t Texts, now time.Time) []byte {
	cal := ics.NewCalendar()
	cal.SetProductId("-//Digitale Balie//Balie//NL")
	cal.SetMethod(ics.MethodPublish)
	e := cal.AddEvent(EventUID(a.Token))
	stamp := a.CreatedAt
	if stamp.IsZero() {
		stamp = now
	}
	e.SetDtStampTime(stamp)
	// UTC needs no VTIMEZONE block and every calendar shows it in the
	// device's own zone.
	e.SetStartAt(a.Start)
	e.SetEndAt(a.End)
	e.SetSummary(t.Summary)
	e.SetDescription(t.Description)
	if a.JoinURL != "" {
		e.SetURL(a.JoinURL)
		e.SetLocation(a.JoinURL)
	}
	if a.Cancelled {
		e.SetStatus(ics.ObjectStatusCancelled)
	} else {
		e.SetStatus(ics.ObjectStatusConfirmed)
	}
	alarm := e.AddAlarm()
	alarm.SetAction(ics.ActionDisplay)
	// The reminder comes when the join button opens.
	alarm.SetTrigger(fmt.Sprintf("-PT%dM", int(domain.JoinOpensBefore.Minutes())))
	alarm.SetProperty(ics.ComponentPropertyDescription, t.Alarm)
	var buf bytes.Buffer
	// RFC 5545 lines end in CRLF; the library's default is a bare LF.
	_ = cal.SerializeTo(&buf, ics.WithNewLine("\r\n"))
	return buf.Bytes()
}

// EventUID is the same for every copy of one appointment, so a second import
// updates the event instead of adding one; it is a hash, so the calendar
// never holds the token itself.
func EventUID(token string) string {
	sum := sha256.Sum256([]byte("balie-event\x00" + token))
	return hex.EncodeToString(sum[:16]) + "@digitalebalie"
}
