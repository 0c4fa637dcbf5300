// Package feed writes the iCalendar subscription (RFC 5545) that counter
// staff add to Outlook through a secret URL: one feed per theme or per staff
// member, every appointment one event.
//
// An event has the UID of icsfile.EventUID, the same as in the file the
// visitor got, so a moved appointment changes in place and a cancelled one
// stays the same event with STATUS:CANCELLED.
//
// The feed holds no contact details: its URL may be forwarded, pasted into
// a shared mailbox or kept by a calendar server, so an Item has nowhere to
// put a name, an e-mail address or a phone number. It does hold the join
// links, so the URL is a secret all the same (see Token and SameToken).
//
// It may import the domain, icsfile and the iCalendar library, never Fyne
// or HTTP.
package feed

import (
	"bytes"
	"cmp"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"

	ics "github.com/arran4/golang-ical"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/icsfile"
)

// Item is one appointment as a feed shows it. No contact details: the feed
// is a URL that may end up in many mailboxes.
type Item struct {
	Token        string // for the UID only (icsfile.EventUID), never written
	Code         string // the booking code, e.g. K7M-4PQ
	Theme        string // the theme's Dutch name
	Start, End   time.Time
	Language     string // the visitor's language tag, e.g. "ar"
	LanguageName string // its Dutch name, e.g. "Arabisch"
	Interpreter  string // "" or the language an interpreter is wanted for, Dutch name
	JoinURL      string
	Cancelled    bool
	Updated      time.Time // last change, for DTSTAMP/LAST-MODIFIED and SEQUENCE
	Sequence     int
}

// FromAppointment makes the Item of a, leaving its contact details behind.
// theme and languageName are the Dutch names of a's service and language;
// interpreter is the Dutch name of the language an interpreter is wanted
// for, kept only when a asks for one (and then languageName when empty).
//
// Sequence and Updated follow icsfile: the number of moves and the time of
// the last one (or the booking), one more once it is cancelled.
func FromAppointment(a domain.Appointment, theme, languageName, interpreter string) Item {
	it := Item{
		Token:        a.Token,
		Code:         a.Code,
		Theme:        theme,
		Start:        a.Start,
		End:          a.End,
		Language:     a.Language,
		LanguageName: languageName,
		JoinURL:      a.JoinURL,
		Cancelled:    a.Cancelled,
		Updated:      cmp.Or(a.Changed, a.CreatedAt),
		Sequence:     a.Sequence,
	}
	if a.Interpreter {
		it.Interpreter = cmp.Or(interpreter, languageName)
	}
	if a.Cancelled {
		it.Sequence++
	}
	return it
}

// Refresh is how often a calendar should fetch the feed again.
const Refresh = "PT5M"

// Write writes a VCALENDAR named name (X-WR-CALNAME, e.g. "Digitale Balie
// – Energiecentrale") holding one VEVENT per item, in start order, with
// times in UTC (no VTIMEZONE needed; every calendar shows them in its own
// zone) and METHOD:PUBLISH. A cancelled item stays in the feed with
// STATUS:CANCELLED. now stamps items that have no Updated time.
//
// An item without token, without times, ending before it starts, or with
// the token of another item is an error; then nothing is written.
func Write(w io.Writer, name string, items []Item, now time.Time) error {
	sorted := slices.Clone(items)
	slices.SortStableFunc(sorted, func(a, b Item) int { return a.Start.Compare(b.Start) })
	seen := make(map[string]bool, len(sorted))
	for _, it := range sorted {
		switch {
		case it.Token == "":
			return fmt.Errorf("feed: appointment %q has no token", it.Code)
		case seen[it.Token]:
			return fmt.Errorf("feed: appointment %q is in the feed twice", it.Code)
		case it.Start.IsZero() || it.End.IsZero():
			return fmt.Errorf("feed: appointment %q has no time", it.Code)
		case it.End.Before(it.Start):
			return fmt.Errorf("feed: appointment %q ends before it starts", it.Code)
		}
		seen[it.Token] = true
	}

	cal := ics.NewCalendar()
	cal.SetProductId("-//Digitale Balie//Balie//NL")
	cal.SetCalscale("GREGORIAN")
	cal.SetMethod(ics.MethodPublish)
	cal.SetXWRCalName(oneLine(name))
	// A wish, not a promise: Outlook desktop can follow X-PUBLISHED-TTL,
	// Outlook on the web and Google fetch on their own schedule (hours).
	cal.SetRefreshInterval(Refresh)
	cal.SetXPublishedTTL(Refresh)
	for _, it := range sorted {
		addEvent(cal, it, now)
	}
	var buf bytes.Buffer
	// RFC 5545 lines end in CRLF; the library's default is a bare LF. It
	// folds at 75 octets, between characters, and escapes TEXT values.
	if err := cal.SerializeTo(&buf, ics.WithNewLine("\r\n")); err != nil {
		return fmt.Errorf("feed: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func addEvent(cal *ics.Calendar, it Item, now time.Time) {
	e := cal.AddEvent(icsfile.EventUID(it.Token))
	stamp := it.Updated
	if stamp.IsZero() {
		stamp = now
	}
	e.SetDtStampTime(stamp)
	e.SetLastModifiedAt(stamp)
	e.SetSequence(max(it.Sequence, 0))
	e.SetStartAt(it.Start)
	e.SetEndAt(it.End)
	e.SetSummary(summary(it))
	join := safeURL(it.JoinURL)
	e.SetDescription(description(it, join))
	if join != "" {
		e.SetLocation(join)
		e.SetURL(join)
	}
	if it.Cancelled {
		e.SetStatus(ics.ObjectStatusCancelled)
		// A cancelled appointment no longer makes the counter busy.
		e.SetTimeTransparency(ics.TransparencyTransparent)
	} else {
		e.SetStatus(ics.ObjectStatusConfirmed)
		e.SetTimeTransparency(ics.TransparencyOpaque)
	}
}

// summary is the event's title: "Video-afspraak Energiecentrale – K7M-4PQ",
// with " – tolk Arabisch" when an interpreter is wanted.
func summary(it Item) string {
	s := "Video-afspraak " + oneLine(it.Theme) + " – " + oneLine(it.Code)
	if in := oneLine(it.Interpreter); in != "" {
		s += " – tolk " + in
	}
	return s
}

// description is the event's body, in Dutch, one fact a line, the join link
// alone on the last.
func description(it Item, join string) string {
	var lines []string
	if it.Cancelled {
		lines = append(lines, "GEANNULEERD: deze afspraak gaat niet door.", "")
	}
	lines = append(lines, "Code: "+oneLine(it.Code))
	name, tag := oneLine(it.LanguageName), oneLine(it.Language)
	switch {
	case name != "" && tag != "":
		lines = append(lines, "Taal: "+name+" ("+tag+")")
	case name != "" || tag != "":
		lines = append(lines, "Taal: "+name+tag)
	}
	if in := oneLine(it.Interpreter); in != "" {
		lines = append(lines, "Tolk gevraagd: "+in)
	} else {
		lines = append(lines, "Tolk: niet gevraagd")
	}
	if join != "" {
		lines = append(lines, "", "Deelnemen aan het videogesprek:", join)
	}
	return strings.Join(lines, "\n")
}

// oneLine makes s safe as one line of a TEXT value: control characters
// (a CR would end the line where the library does not escape it) and line
// separators become spaces. The library escapes , ; \ and newlines.
func oneLine(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s))
}

// safeURL returns s when it is an absolute http(s) link without spaces or
// control characters, "" otherwise: the URL property is written as it is,
// unescaped, so a line break in it would start a property of its own.
func safeURL(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f || r > unicode.MaxASCII }) >= 0 {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return ""
	}
	return s
}

// tokenBytes is 256 bits, like domain.NewToken.
const tokenBytes = 32

// Token returns a new secret for a feed URL: 256 random bits, URL-safe
// base64 without padding (43 characters).
func Token() string {
	buf := make([]byte, tokenBytes)
	if _, err := rand.Read(buf); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(buf)
}

// SameToken tells whether a and b are the same secret. It takes the same
// time whatever the two have in common, their length included: it compares
// their SHA-256 hashes in constant time. An empty secret matches nothing,
// so a feed whose token was never set cannot be opened with an empty one.
func SameToken(a, b string) bool {
	ha, hb := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	same := subtle.ConstantTimeCompare(ha[:], hb[:]) == 1
	return same && a != "" && b != ""
}
