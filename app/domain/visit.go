package domain

import (
	"context"
	"time"
	"unicode/utf8"
)

// VisitOutcome is how a visit at a kiosk ended.
type VisitOutcome string

const (
	VisitBooked    VisitOutcome = "booked"    // an appointment was made
	VisitJoined    VisitOutcome = "joined"    // the visitor joined a video call
	VisitHelp      VisitOutcome = "help"      // the visitor called for staff
	VisitAbandoned VisitOutcome = "abandoned" // the visitor pressed "stop" on the way
	VisitTimedOut  VisitOutcome = "timed-out" // nobody answered "are you still there?"
)

// VisitOutcomes lists every outcome, in the order figures show them.
var VisitOutcomes = []VisitOutcome{VisitBooked, VisitJoined, VisitHelp, VisitAbandoned, VisitTimedOut}

// Visit is the anonymous record of one session at a kiosk, for the city's
// figures. It holds no name, contact, code or free text: only which kiosk,
// when, how long, in which language and theme, how it ended, and which aids
// were used.
type Visit struct {
	ID       string // made by the kiosk; sending it twice counts once
	Device   string // which kiosk; set by the gateway from the device token
	Location string // where the kiosk stands, as its staff named it
	Start    time.Time
	Duration time.Duration
	// ToBook is the time from the first tap to the booking, for booked
	// visits only.
	ToBook     time.Duration
	Language   string
	Theme      string // service id; empty when none was chosen
	Outcome    VisitOutcome
	LastScreen string // where the visitor was when it ended, e.g. "contact"
	Assisted   bool   // a member of staff booked on the visitor's behalf
	LargerText bool
	Contrast   bool
	ReadAloud  bool
	Score      int // the visitor's rating, 1 (bad) to 5 (good); 0 = none
}

// MaxVisitDuration bounds a visit's length: a session longer than a day is
// a clock error, not a visitor.
const MaxVisitDuration = 24 * time.Hour

// ValidateVisit checks a visit's fields.
func ValidateVisit(v Visit) error {
	fields := map[string]FieldReason{}
	checkID(fields, "id", v.ID)
	checkTag(fields, "language", v.Language)
	if utf8.RuneCountInString(v.Location) > 64 {
		fields["location"] = ReasonTooLong
	}
	if len(v.Theme) > 64 {
		fields["theme"] = ReasonTooLong
	}
	if len(v.LastScreen) > 32 {
		fields["lastScreen"] = ReasonTooLong
	}
	if v.Start.IsZero() {
		fields["start"] = ReasonRequired
	}
	if v.Duration < 0 || v.Duration > MaxVisitDuration {
		fields["durationSeconds"] = ReasonOutOfRange
	}
	if v.ToBook < 0 || v.ToBook > v.Duration || (v.ToBook > 0 && v.Outcome != VisitBooked) {
		fields["toBookSeconds"] = ReasonOutOfRange
	}
	if !knownOutcome(v.Outcome) {
		fields["outcome"] = ReasonUnknown
	}
	if v.Score < 0 || v.Score > 5 {
		fields["score"] = ReasonOutOfRange
	}
	if len(fields) > 0 {
		return Invalid(fields)
	}
	return nil
}

func knownOutcome(o VisitOutcome) bool {
	for _, k := range VisitOutcomes {
		if k == o {
			return true
		}
	}
	return false
}

// checkID refuses an id that is empty, overlong or more than letters,
// digits and dashes: ids are made by kiosks and end up in store keys.
func checkID(fields map[string]FieldReason, name, id string) {
	switch {
	case id == "":
		fields[name] = ReasonRequired
	case len(id) > 40:
		fields[name] = ReasonTooLong
	default:
		for _, r := range id {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				fields[name] = ReasonInvalidID
				return
			}
		}
	}
}

// ResearchContact is a visitor who agreed, with their booking, that the
// city may ask them later about the service. It is kept apart from the
// booking, with its own end date, and only the research role sees it.
type ResearchContact struct {
	ID        string
	Device    string
	Language  string
	ServiceID string
	Contact   Contact
	At        time.Time
	Until     time.Time // deleted after this
}

// Figures is what a booking system may offer to count visits.
type Figures interface {
	RecordVisits(ctx context.Context, visits []Visit) error
}

// HelpFollower is a booking system that can say where staff are with a
// help request this kiosk sent.
type HelpFollower interface {
	HelpState(ctx context.Context, id string) (HelpRequest, error)
}
