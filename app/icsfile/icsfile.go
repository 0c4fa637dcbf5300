// Package icsfile makes the calendar file (RFC 5545) of an appointment, for
// the phone page's download and the e-mails' attachments. It may import the
// domain, the i18n package and the iCalendar library, never Fyne or HTTP.
//
// One appointment is one event with one UID in every copy. While the
// appointment stands the file says METHOD:PUBLISH, SEQUENCE:0 and
// STATUS:CONFIRMED; once it is cancelled it says METHOD:CANCEL, SEQUENCE:1
// and STATUS:CANCELLED, so a calendar that holds the event (RFC 5546: same
// UID, higher SEQUENCE) removes it or marks it cancelled.
package icsfile

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	netmail "net/mail"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/i18n"
)

// Texts are the event's words, already in the visitor's languages, and who
// sends it.
type Texts struct {
	Summary     string // the calendar entry's title
	Description string // Dutch first, then the visitor's language
	Alarm       string // the reminder as the call opens
	// Organizer is the mail From, "Stad Gent <no-reply@stad.gent>": RFC
	// 5546 wants an ORGANIZER in a PUBLISH and a CANCEL, and a calendar
	// applies a cancellation only from the event's organiser. Empty, or not
	// an address, leaves it out.
	Organizer string
}

// NewTexts writes the event's words for a in lang, the language the
// visitor reads: the title and the description Dutch first, then lang when
// it is another, and the video link once, on the description's last line
// and outside any translated sentence (a right-to-left message would wrap
// it in direction marks that phones take into the link). The e-mails and
// the phone page both use it, so their files say the same.
func NewTexts(cat *i18n.Catalog, lang string, a domain.Appointment, svc domain.Service) Texts {
	langs := i18n.DutchFirst(lang)
	var titles, desc []string
	for _, l := range langs {
		titles = append(titles, cat.T(l, "PhoneCalendarSummary", map[string]any{"Theme": svc.Name.In(l)}))
		desc = append(desc, cat.T(l, "PhoneCalendarDescription", map[string]any{"Code": a.Code}))
	}
	if a.JoinURL != "" {
		desc = append(desc, a.JoinURL)
	}
	return Texts{
		Summary:     strings.Join(titles, " / "),
		Description: strings.Join(desc, "\n\n"),
		Alarm:       cat.N(langs[len(langs)-1], "PhoneCalendarAlarm", int(domain.JoinOpensBefore.Minutes()), nil),
	}
}

// Method is the iTIP method of a's file: CANCEL once a is cancelled,
// PUBLISH before.
func Method(a domain.Appointment) string {
	if a.Cancelled {
		return string(ics.MethodCancel)
	}
	return string(ics.MethodPublish)
}

// ContentType is the MIME type of a's file as an e-mail attachment: RFC
// 6047 wants the method there too.
func ContentType(a domain.Appointment) string {
	return "text/calendar; method=" + Method(a) + "; charset=utf-8"
}

// Build returns the .ics of a, stamped at now when a has no creation time
// or is cancelled.
func Build(a domain.Appointment, t Texts, now time.Time) []byte {
	cal := ics.NewCalendar()
	cal.SetProductId("-//Digitale Balie//Balie//NL")
	cal.SetMethod(ics.Method(Method(a)))
	e := cal.AddEvent(EventUID(a.Token))
	// A cancellation is a new version of the event: a higher SEQUENCE and
	// a later stamp than the confirmation, which is stamped when booked.
	// A move is one too: its SEQUENCE counts the moves.
	stamp, seq, status := a.CreatedAt, a.Sequence, ics.ObjectStatusConfirmed
	if !a.Changed.IsZero() {
		stamp = a.Changed
	}
	if stamp.IsZero() {
		stamp = now
	}
	if a.Cancelled {
		stamp, seq, status = now, a.Sequence+1, ics.ObjectStatusCancelled
	}
	e.SetDtStampTime(stamp)
	e.SetSequence(seq)
	// UTC needs no VTIMEZONE block and every calendar shows it in the
	// device's own zone.
	e.SetStartAt(a.Start)
	e.SetEndAt(a.End)
	e.SetSummary(t.Summary)
	e.SetDescription(t.Description)
	if addr, cn, ok := organizer(t.Organizer); ok {
		var params []ics.PropertyParameter
		if cn != "" {
			params = append(params, ics.WithCN(cn))
		}
		e.SetOrganizer("mailto:"+addr, params...)
	}
	if a.JoinURL != "" {
		e.SetURL(a.JoinURL)
		e.SetLocation(a.JoinURL)
	}
	e.SetStatus(status)
	if !a.Cancelled {
		alarm := e.AddAlarm()
		alarm.SetAction(ics.ActionDisplay)
		// The reminder comes when the join button opens.
		alarm.SetTrigger(fmt.Sprintf("-PT%dM", int(domain.JoinOpensBefore.Minutes())))
		alarm.SetProperty(ics.ComponentPropertyDescription, t.Alarm)
	}
	var buf bytes.Buffer
	// RFC 5545 lines end in CRLF; the library's default is a bare LF.
	_ = cal.SerializeTo(&buf, ics.WithNewLine("\r\n"))
	return buf.Bytes()
}

// organizer splits a mail From into its address and a common name that is
// safe as an unquoted parameter value (the library escapes these with
// backslashes, which RFC 5545 does not know, so they are left out).
func organizer(from string) (addr, cn string, ok bool) {
	if strings.TrimSpace(from) == "" {
		return "", "", false
	}
	a, err := netmail.ParseAddress(from)
	if err != nil {
		return "", "", false
	}
	cn = strings.Map(func(r rune) rune {
		if strings.ContainsRune("\",;:\\'", r) || r < ' ' || r == 0x7f {
			return -1
		}
		return r
	}, a.Name)
	return a.Address, strings.TrimSpace(cn), true
}

// EventUID is the same for every copy of one appointment, so a second import
// updates the event instead of adding one; it is a hash, so the calendar
// never holds the token itself.
func EventUID(token string) string {
	sum := sha256.Sum256([]byte("balie-event\x00" + token))
	return hex.EncodeToString(sum[:16]) + "@digitalebalie"
}
