package domain

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"strings"
	"time"
)

// Appointment is a booked video appointment.
type Appointment struct {
	Code      string // short, read aloud: "K7M-4PQ"
	Token     string // opaque, unguessable: the only thing a QR code carries
	ServiceID string
	Start     time.Time
	End       time.Time
	Language  string
	Contact   Contact
	// ConsentResearch is the visitor's optional yes to be asked for feedback.
	ConsentResearch bool
	// Interpreter is the visitor's optional request for an interpreter,
	// in InterpreterLanguage.
	Interpreter         bool
	InterpreterLanguage string
	JoinURL             string
	// PhoneURL is the phone page the QR code opens; empty when the backend
	// has no phone page of its own and the kiosk builds it from the token.
	PhoneURL  string
	Cancelled bool
	CreatedAt time.Time
	// Outcome is what the counter marked once the time came.
	Outcome Outcome
	// Booker names who booked for the visitor ("staff:an"), or is empty
	// for a booking at a kiosk.
	Booker string
	// Sequence counts the moves: the calendar files of a moved appointment
	// carry it, so a calendar updates the event instead of adding one.
	Sequence int
	// Changed is when it was last moved; zero if never.
	Changed time.Time
}

// Outcome is what happened at an appointment, as staff mark it.
type Outcome string

const (
	OutcomeNone   Outcome = ""
	OutcomeDone   Outcome = "done"
	OutcomeNoShow Outcome = "noshow"
)

// Status is what the agenda shows of an appointment.
type Status string

const (
	StatusBooked    Status = "booked"
	StatusCancelled Status = "cancelled"
	StatusDone      Status = "done"
	StatusNoShow    Status = "noshow"
)

// Status is booked, cancelled, done or no-show.
func (a Appointment) Status() Status {
	switch {
	case a.Cancelled:
		return StatusCancelled
	case a.Outcome == OutcomeDone:
		return StatusDone
	case a.Outcome == OutcomeNoShow:
		return StatusNoShow
	}
	return StatusBooked
}

// JoinOpensBefore is how long before the start the visitor may enter the call.
const JoinOpensBefore = 15 * time.Minute

// CanJoin tells whether the call may be entered at now: from JoinOpensBefore
// the start until the end.
func (a Appointment) CanJoin(now time.Time) bool {
	return !a.Cancelled && !now.Before(a.Start.Add(-JoinOpensBefore)) && now.Before(a.End)
}

// Over tells whether the appointment has ended at now.
func (a Appointment) Over(now time.Time) bool { return !now.Before(a.End) }

// ShortCheckTries is how many wrong checks one code takes before the last
// four digits of the mobile number no longer prove ownership: 5 guesses of
// 10,000 leave a guesser a 1 in 2,000 chance. The full e-mail address or
// mobile number always works, so a stranger who knows the code cannot lock
// the owner out.
const ShortCheckTries = 5

// IsShortCheck tells whether check is the short form: four digits.
func IsShortCheck(check string) bool {
	return len(onlyDigits(check)) == 4 && len(strings.TrimSpace(check)) <= 8
}

// MatchesCheck tells whether check proves the caller owns the appointment:
// the e-mail address given at booking (any case), the full mobile number as
// people write it, or, while shortAllowed, its last four digits. It
// compares in constant time.
func (a Appointment) MatchesCheck(check string, shortAllowed bool) bool {
	check = strings.TrimSpace(check)
	if check == "" {
		return false
	}
	ok := false
	if a.Contact.Email != "" && equalFold(check, a.Contact.Email) {
		ok = true
	}
	if a.Contact.Phone != "" && len(a.Contact.Phone) >= 4 {
		if full, reason := NormaliseMobile(check); reason == "" && subtle.ConstantTimeCompare([]byte(full), []byte(a.Contact.Phone)) == 1 {
			ok = true
		}
		digits := onlyDigits(check)
		if shortAllowed && IsShortCheck(check) && subtle.ConstantTimeCompare([]byte(digits), []byte(a.Contact.Phone[len(a.Contact.Phone)-4:])) == 1 {
			ok = true
		}
	}
	return ok
}

func equalFold(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(strings.ToLower(a)), []byte(strings.ToLower(b))) == 1
}

func onlyDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// CodeAlphabet has no characters that are confused when read aloud or typed:
// no 0/O, no 1/I/L, no 5/S, no 2/Z, no 8/B, no U/V.
const CodeAlphabet = "34679ACDEFGHJKMNPQRTWXY"

// codeLength gives 23^6 ≈ 148 million codes; the owner check and the
// gateway's rate limit make guessing impractical.
const codeLength = 6

// NewCode returns a fresh booking code such as "K7M-4PQ".
func NewCode() string {
	// Bytes at or above the largest multiple of the alphabet's size are
	// rejected, so every character is equally likely.
	limit := byte(256 / len(CodeAlphabet) * len(CodeAlphabet))
	code := make([]byte, 0, codeLength)
	buf := make([]byte, 16)
	for len(code) < codeLength {
		if _, err := rand.Read(buf); err != nil {
			panic(err) // crypto/rand never fails on supported platforms
		}
		for _, c := range buf {
			if c < limit && len(code) < codeLength {
				code = append(code, CodeAlphabet[int(c)%len(CodeAlphabet)])
			}
		}
	}
	return string(code[:3]) + "-" + string(code[3:])
}

// NormalizeCode turns what a visitor typed into the stored form: upper case,
// with spaces, dots and dashes ignored. It returns "" when the input cannot
// be a code. (The alphabet leaves out 0/O, 1/I and the like altogether, so
// there is nothing to map them to.)
func NormalizeCode(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch r {
		case ' ', '-', '.', '\t':
			continue
		}
		if !strings.ContainsRune(CodeAlphabet, r) {
			return ""
		}
		b.WriteRune(r)
	}
	c := b.String()
	if len(c) != codeLength {
		return ""
	}
	return c[:3] + "-" + c[3:]
}

// NewToken returns an opaque, URL-safe token with 256 bits of randomness.
func NewToken() string {
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(buf)
}
