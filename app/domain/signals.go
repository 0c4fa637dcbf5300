package domain

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// HelpRequest is a visitor at a kiosk asking for a member of staff. It
// names no person: only where and in which language help is wanted.
type HelpRequest struct {
	ID string // given when it is recorded; staff act on it by this
	// Ref is the kiosk's own id for it: a resend with the same Ref is the
	// same request, and the kiosk follows it by this.
	Ref      string
	Device   string // which kiosk; set by the gateway from the device token
	Location string // where the kiosk stands, as its staff named it
	Language string
	Screen   string // the screen the visitor was on, e.g. "contact"
	At       time.Time
	// State is where staff are with it; TakenBy who is on the way.
	State   HelpState
	TakenBy string
	TakenAt time.Time
}

// HelpState is where staff are with a help request.
type HelpState string

const (
	HelpOpen     HelpState = "open"       // nobody has taken it yet
	HelpOnTheWay HelpState = "on-the-way" // a member of staff is coming
	HelpHandled  HelpState = "handled"
)

// Feedback is an anonymous rating after a visit, and perhaps a short
// suggestion. The kiosk and the gateway both strip from the suggestion
// anything that looks like an e-mail address, a phone number or a booking
// code before it is stored.
type Feedback struct {
	Device     string
	Language   string
	ServiceID  string
	Rating     int    // 1 (bad) to 5 (good); 0 = only a suggestion
	Suggestion string // "what could be simpler?"; at most MaxSuggestion characters
	At         time.Time
}

// MaxSuggestion is the longest suggestion kept, in characters.
const MaxSuggestion = 500

// Signals is what a booking system may offer besides bookings. The kiosk
// checks for it with a type assertion, so a backend without it still works.
type Signals interface {
	RequestHelp(ctx context.Context, req HelpRequest) error
	SendFeedback(ctx context.Context, fb Feedback) error
}

// ValidateHelpRequest checks a help request's fields.
func ValidateHelpRequest(r HelpRequest) error {
	fields := map[string]FieldReason{}
	checkTag(fields, "language", r.Language)
	if r.Ref != "" {
		checkID(fields, "id", r.Ref)
	}
	if utf8.RuneCountInString(r.Location) > 64 {
		fields["location"] = ReasonTooLong
	}
	if len(r.Screen) > 32 {
		fields["screen"] = ReasonTooLong
	}
	if len(fields) > 0 {
		return Invalid(fields)
	}
	return nil
}

// ValidateFeedback checks a rating's fields.
func ValidateFeedback(f Feedback) error {
	fields := map[string]FieldReason{}
	checkTag(fields, "language", f.Language)
	switch {
	case f.Rating < 0 || f.Rating > 5:
		fields["rating"] = ReasonOutOfRange
	case f.Rating == 0 && strings.TrimSpace(f.Suggestion) == "":
		fields["rating"] = ReasonRequired
	}
	if utf8.RuneCountInString(f.Suggestion) > MaxSuggestion {
		fields["suggestion"] = ReasonTooLong
	}
	if len(f.ServiceID) > 64 {
		fields["serviceId"] = ReasonTooLong
	}
	if len(fields) > 0 {
		return Invalid(fields)
	}
	return nil
}

// checkTag refuses an empty or overlong language tag.
func checkTag(fields map[string]FieldReason, name, tag string) {
	switch {
	case tag == "":
		fields[name] = ReasonRequired
	case len(tag) > 16:
		fields[name] = ReasonTooLong
	}
}
