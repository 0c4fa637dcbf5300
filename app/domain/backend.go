package domain

import (
	"cmp"
	"context"
	"slices"
	"time"

	"golang.org/x/text/language"
)

// BookingRequest is everything a visitor chose and typed to book.
type BookingRequest struct {
	ServiceID       string
	Start           time.Time
	Language        string
	Contact         Contact
	ConsentResearch bool
	Interpreter     bool
	// InterpreterLanguage is the language the interpreter should speak, a
	// BCP 47 tag ("und": another, staff ask); the visitor's language when
	// empty.
	InterpreterLanguage string
	// Device is the kiosk that books, set by the gateway from its token
	// (empty in practice mode): its bookings are counted against its quota.
	Device string
	// Booker is the staff member who books on a caller's behalf
	// ("staff:an"), set by the back office; empty at a kiosk.
	Booker string
	// Key, when set, makes a repeat of the request return the booking the
	// first one made instead of a second: the kiosk keeps one key for a
	// visit, so "try again" after a lost answer never books twice.
	Key string
}

// Backend is a booking system: the embedded store (in-process demo or behind
// the gateway), the gateway's HTTP client, or Microsoft Bookings.
//
// Every method returns *Error values, so callers switch on CodeOf(err).
type Backend interface {
	// Services lists the catalogue, in every language it has.
	Services(ctx context.Context) ([]Service, error)
	// Slots lists the free slots of a service from the day of from (in
	// Europe/Brussels) for the given number of days, in time order.
	Slots(ctx context.Context, serviceID string, from time.Time, days int) ([]Slot, error)
	// Book books a free slot. ESlotTaken when someone was first.
	Book(ctx context.Context, req BookingRequest) (Appointment, error)
	// Find returns the appointment with code when check proves ownership
	// (see Appointment.MatchesCheck). ENotFound for a wrong code or check
	// alike, so a guesser learns nothing.
	Find(ctx context.Context, code, check string) (Appointment, error)
	// Cancel cancels the appointment, with the same proof as Find.
	Cancel(ctx context.Context, code, check string) error
}

// MaxFutureAppointments is how many appointments still to come one e-mail
// address or mobile number may hold: enough for a family's questions, too
// few to flood one inbox or phone through a leaked kiosk token.
const MaxFutureAppointments = 3

// MaxSlotDays is how far ahead a visitor may look for a slot.
const MaxSlotDays = 60

// ValidateBooking checks a request against the catalogue, the offered
// languages (any when nil) and the clock, and returns it with the contact
// normalised.
func ValidateBooking(req BookingRequest, services []Service, languages []string, now time.Time) (BookingRequest, error) {
	fields := map[string]FieldReason{}
	svc, ok := FindService(services, req.ServiceID)
	switch {
	case req.ServiceID == "":
		fields["serviceId"] = ReasonRequired
	case !ok:
		fields["serviceId"] = ReasonUnknown
	case !svc.ByVideo:
		fields["serviceId"] = ReasonUnknown
	}
	switch {
	case req.Start.IsZero():
		fields["start"] = ReasonRequired
	case !req.Start.After(now), req.Start.After(now.AddDate(0, 0, MaxSlotDays+1)):
		fields["start"] = ReasonOutOfRange
	}
	switch {
	case len(req.Language) > 16:
		fields["language"] = ReasonTooLong
	case req.Language != "" && languages != nil && !slices.Contains(languages, req.Language):
		fields["language"] = ReasonNotOffered
	}
	switch {
	case !req.Interpreter:
		req.InterpreterLanguage = ""
	case req.InterpreterLanguage == "":
		req.InterpreterLanguage = cmp.Or(req.Language, ReferenceLanguage)
	case len(req.InterpreterLanguage) > 16:
		fields["interpreterLanguage"] = ReasonTooLong
	default:
		if tag, err := language.Parse(req.InterpreterLanguage); err != nil {
			fields["interpreterLanguage"] = ReasonUnknown
		} else {
			req.InterpreterLanguage = tag.String()
		}
	}
	contact, err := ValidateContact(req.Contact)
	for f, r := range FieldsOf(err) {
		fields[f] = r
	}
	if len(fields) > 0 {
		return req, Invalid(fields)
	}
	req.Contact = contact
	if req.Language == "" {
		req.Language = ReferenceLanguage
	}
	return req, nil
}
