// Package api is the wire format of the kiosk API under /v1: the JSON
// bodies balie-gateway serves and the kiosk's client sends, their mapping to
// and from the domain, and the OpenAPI description of it all. The server
// (app/gateway) and the client (app/gatewayclient) both use it, so they
// cannot drift apart. It imports the domain and the standard library only.
package api

import (
	_ "embed"
	"time"

	"github.com/digitalebalie/balie/app/domain"
)

// Paths and headers of the API.
const (
	Prefix            = "/v1"
	HeaderIdempotency = "Idempotency-Key"
	// MaxBodyBytes caps every request body; a booking is well under 2 KiB.
	MaxBodyBytes = 16 << 10
	// MaxIdempotencyKey is the longest Idempotency-Key accepted.
	MaxIdempotencyKey = 128
)

// Service is one theme. Texts are keyed by language; with ?lang=xx the
// gateway sends only that language and Dutch, which every screen shows
// alongside (Flemish language law).
type Service struct {
	ID              string              `json:"id"`
	Icon            string              `json:"icon"`
	Name            map[string]string   `json:"name"`
	Summary         map[string]string   `json:"summary"`
	DurationMinutes int                 `json:"durationMinutes"`
	ByVideo         bool                `json:"byVideo"`
	Prepare         []map[string]string `json:"prepare"`
	InPerson        map[string]string   `json:"inPerson,omitempty"`
}

// ServiceList is the body of GET /v1/services.
type ServiceList struct {
	Services []Service `json:"services"`
}

// Slot is a free period; times are RFC 3339 with the Brussels offset.
type Slot struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// SlotList is the body of GET /v1/services/{id}/slots.
type SlotList struct {
	ServiceID string `json:"serviceId"`
	Slots     []Slot `json:"slots"`
}

// Contact is how the visitor can be reached.
type Contact struct {
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// BookingRequest is the body of POST /v1/appointments.
type BookingRequest struct {
	ServiceID       string    `json:"serviceId"`
	Start           time.Time `json:"start"`
	Language        string    `json:"language"`
	Contact         Contact   `json:"contact"`
	ConsentResearch bool      `json:"consentResearch"`
	Interpreter     bool      `json:"interpreter"`
	// InterpreterLanguage is the interpreter's language; the visitor's
	// when empty.
	InterpreterLanguage string `json:"interpreterLanguage,omitempty"`
}

// Appointment is what the gateway returns for a booking or a lookup. It
// carries no contact details: the kiosk already has them from the visitor,
// and a lookup must not hand them to whoever holds a code.
type Appointment struct {
	Code        string    `json:"code"`
	Token       string    `json:"token"`
	ServiceID   string    `json:"serviceId"`
	Start       time.Time `json:"start"`
	End         time.Time `json:"end"`
	Language    string    `json:"language"`
	Interpreter bool      `json:"interpreter"`
	// InterpreterLanguage is set when an interpreter is asked for.
	InterpreterLanguage string `json:"interpreterLanguage,omitempty"`
	JoinURL             string `json:"joinUrl"`
	PhoneURL            string `json:"phoneUrl"`
	Cancelled           bool   `json:"cancelled"`
}

// CancelRequest is the body of POST /v1/appointments/{code}/cancel.
type CancelRequest struct {
	Check string `json:"check"`
}

// HelpRequest is the body of POST /v1/help-requests: a visitor at a kiosk
// asks for a member of staff. It names no person.
type HelpRequest struct {
	// ID is the kiosk's own id for the request: sent again (after a lost
	// answer, or from the kiosk's disk once the network is back) it is the
	// same request, and GET /v1/help-requests/{id} follows it.
	ID       string `json:"id,omitempty"`
	Language string `json:"language"`
	Screen   string `json:"screen"`
	Location string `json:"location,omitempty"`
}

// HelpStatus is the body of GET /v1/help-requests/{id}: where staff are
// with the request. It does not name who is coming.
type HelpStatus struct {
	ID    string `json:"id"`
	State string `json:"state"` // open, on-the-way, handled
}

// Feedback is the body of POST /v1/feedback: an anonymous rating, and
// perhaps a short suggestion.
type Feedback struct {
	Language   string `json:"language"`
	ServiceID  string `json:"serviceId,omitempty"`
	Rating     int    `json:"rating,omitempty"` // 1 (bad) to 5 (good); absent with only a suggestion
	Suggestion string `json:"suggestion,omitempty"`
}

// Visit is one anonymous visit record: no name, contact, code or free
// text.
type Visit struct {
	ID              string    `json:"id"`
	Location        string    `json:"location,omitempty"`
	Start           time.Time `json:"start"`
	DurationSeconds int       `json:"durationSeconds"`
	ToBookSeconds   int       `json:"toBookSeconds,omitempty"`
	Language        string    `json:"language"`
	Theme           string    `json:"theme,omitempty"`
	Outcome         string    `json:"outcome"`
	LastScreen      string    `json:"lastScreen,omitempty"`
	Assisted        bool      `json:"assisted,omitempty"`
	LargerText      bool      `json:"largerText,omitempty"`
	Contrast        bool      `json:"contrast,omitempty"`
	ReadAloud       bool      `json:"readAloud,omitempty"`
	Score           int       `json:"score,omitempty"`
}

// MaxVisitsPerBatch bounds POST /v1/visits.
const MaxVisitsPerBatch = 100

// VisitBatch is the body of POST /v1/visits.
type VisitBatch struct {
	Visits []Visit `json:"visits"`
}

// VisitsRecorded is the answer to POST /v1/visits: visits the gateway had
// already counted are duplicates, not errors.
type VisitsRecorded struct {
	Recorded   int `json:"recorded"`
	Duplicates int `json:"duplicates"`
}

// StaffSignIn is the body of POST /v1/staff/sessions: a member of staff
// at a kiosk signs in with their back-office account.
type StaffSignIn struct {
	Name     string `json:"name"`
	Password string `json:"password"`
}

// StaffSession is the answer to a staff sign-in: a bearer token for the
// staff endpoints, valid while used.
type StaffSession struct {
	Token       string `json:"token"`
	Name        string `json:"name"`
	IdleSeconds int    `json:"idleSeconds"`
}

// HelpCall is one help request in the staff's queue.
type HelpCall struct {
	ID       string    `json:"id"`
	Device   string    `json:"device"`
	Location string    `json:"location,omitempty"`
	Language string    `json:"language"`
	Screen   string    `json:"screen,omitempty"`
	At       time.Time `json:"at"`
	State    string    `json:"state"`
	TakenBy  string    `json:"takenBy,omitempty"`
}

// HelpQueue is the body of GET /v1/staff/help-requests.
type HelpQueue struct {
	HelpRequests []HelpCall `json:"helpRequests"`
}

// HelpStateChange is the body of POST /v1/staff/help-requests/{id}.
type HelpStateChange struct {
	State string `json:"state"` // on-the-way or handled
}

// Accepted is the body of a 202 answer to a help request or feedback.
type Accepted struct {
	ID string `json:"id"`
}

// Health is the body of GET /v1/health.
type Health struct {
	Status string `json:"status"` // "ok"
}

// ErrorBody is the body of every error answer.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail says what went wrong: a stable code, an English sentence for
// the operator, and for invalid input a reason per field.
type ErrorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// Error codes that exist only on the wire, besides the domain's own.
const (
	CodeBadRequest       = "bad_request"        // the body is not valid JSON of the right shape
	CodeTooLarge         = "too_large"          // the body is over MaxBodyBytes
	CodeUnauthorized     = "unauthorized"       // no or an unknown device token
	CodeForbidden        = "forbidden"          // a staff member whose role may not do this
	CodeRateLimited      = "rate_limited"       // too many lookups; Retry-After says when to try again
	CodeMethodNotAllowed = "method_not_allowed" // wrong HTTP method for the path
	CodeNoRoute          = "no_route"           // no such path
)

// Field reasons that exist only on the wire, besides the domain's own: why
// the gateway could not read a header, a query parameter or a body field.
const (
	ReasonInvalid        = "invalid"         // a header or query value not of the listed forms
	ReasonInvalidDate    = "invalid_date"    // not a date (query), or not an RFC 3339 time with an offset (body)
	ReasonWrongType      = "wrong_type"      // a body field of another JSON kind, or a query value that is not a whole number
	ReasonUnknownField   = "unknown_field"   // a body key the operation does not take
	ReasonWrongCase      = "wrong_case"      // a body key that names a field in another case; names are case-sensitive
	ReasonDuplicateField = "duplicate_field" // a body key given twice in one object, in the same or another case
)

// FromService converts a service, keeping only lang and Dutch when lang is
// not empty.
func FromService(s domain.Service, lang string) Service {
	out := Service{
		ID: s.ID, Icon: s.Icon,
		Name:            pick(s.Name, lang),
		Summary:         pick(s.Summary, lang),
		DurationMinutes: int(s.Duration / time.Minute),
		ByVideo:         s.ByVideo,
		Prepare:         []map[string]string{},
	}
	for _, p := range s.Prepare {
		out.Prepare = append(out.Prepare, pick(p, lang))
	}
	if len(s.InPerson) > 0 {
		out.InPerson = pick(s.InPerson, lang)
	}
	return out
}

func pick(t domain.Text, lang string) map[string]string {
	out := map[string]string{}
	for l, s := range t {
		if lang == "" || l == lang || l == domain.ReferenceLanguage {
			out[l] = s
		}
	}
	return out
}

// Domain converts the service back.
func (s Service) Domain() domain.Service {
	out := domain.Service{
		ID: s.ID, Icon: s.Icon,
		Name: s.Name, Summary: s.Summary,
		Duration: time.Duration(s.DurationMinutes) * time.Minute,
		ByVideo:  s.ByVideo,
	}
	for _, p := range s.Prepare {
		out.Prepare = append(out.Prepare, p)
	}
	if len(s.InPerson) > 0 {
		out.InPerson = s.InPerson
	}
	return out
}

// FromSlot converts a slot, in Brussels time so its offset is the city's.
func FromSlot(s domain.Slot) Slot {
	return Slot{Start: s.Start.In(domain.Brussels), End: s.End.In(domain.Brussels)}
}

// Domain converts the slot back.
func (s Slot) Domain(serviceID string) domain.Slot {
	return domain.Slot{ServiceID: serviceID, Start: s.Start.In(domain.Brussels), End: s.End.In(domain.Brussels)}
}

// FromBookingRequest converts a domain request for the wire.
func FromBookingRequest(r domain.BookingRequest) BookingRequest {
	return BookingRequest{
		ServiceID: r.ServiceID, Start: r.Start.In(domain.Brussels), Language: r.Language,
		Contact:         Contact{Name: r.Contact.Name, Email: r.Contact.Email, Phone: r.Contact.Phone},
		ConsentResearch: r.ConsentResearch, Interpreter: r.Interpreter, InterpreterLanguage: r.InterpreterLanguage,
	}
}

// Domain converts the request back.
func (r BookingRequest) Domain() domain.BookingRequest {
	return domain.BookingRequest{
		ServiceID: r.ServiceID, Start: r.Start, Language: r.Language,
		Contact:         domain.Contact{Name: r.Contact.Name, Email: r.Contact.Email, Phone: r.Contact.Phone},
		ConsentResearch: r.ConsentResearch, Interpreter: r.Interpreter, InterpreterLanguage: r.InterpreterLanguage,
	}
}

// FromAppointment converts an appointment for the wire, without contact.
func FromAppointment(a domain.Appointment) Appointment {
	return Appointment{
		Code: a.Code, Token: a.Token, ServiceID: a.ServiceID,
		Start: a.Start.In(domain.Brussels), End: a.End.In(domain.Brussels),
		Language: a.Language, Interpreter: a.Interpreter, InterpreterLanguage: a.InterpreterLanguage,
		JoinURL: a.JoinURL, PhoneURL: a.PhoneURL, Cancelled: a.Cancelled,
	}
}

// Domain converts the appointment back; its Contact is empty.
func (a Appointment) Domain() domain.Appointment {
	return domain.Appointment{
		Code: a.Code, Token: a.Token, ServiceID: a.ServiceID,
		Start: a.Start.In(domain.Brussels), End: a.End.In(domain.Brussels),
		Language: a.Language, Interpreter: a.Interpreter, InterpreterLanguage: a.InterpreterLanguage,
		JoinURL: a.JoinURL, PhoneURL: a.PhoneURL, Cancelled: a.Cancelled,
	}
}

// OpenAPI is the OpenAPI 3 description of the API, served at
// /v1/openapi.json.
//
//go:embed openapi.json
var OpenAPI []byte

// Notice is one e-mail or SMS owed to a visitor, as staff see it in
// GET /v1/staff/notices: what and for which booking, never the address or
// number it goes to.
type Notice struct {
	ID        uint64    `json:"id"`
	Kind      string    `json:"kind"` // confirm-email, cancel-email, sms-day, sms-soon
	Code      string    `json:"code"` // the booking code
	State     string    `json:"state"`
	Due       time.Time `json:"due"`
	Attempts  int       `json:"attempts"`
	LastError string    `json:"lastError,omitempty"`
}

// Notices is the body of GET /v1/staff/notices.
type Notices struct {
	Notices []Notice `json:"notices"`
}

// FromVisit is a visit as the API sends it; the kiosk also keeps visits on
// its disk in this form until they are sent.
func FromVisit(v domain.Visit) Visit {
	return Visit{
		ID: v.ID, Location: v.Location, Start: v.Start.UTC().Truncate(time.Second),
		DurationSeconds: int(v.Duration.Seconds()), ToBookSeconds: int(v.ToBook.Seconds()),
		Language: v.Language, Theme: v.Theme, Outcome: string(v.Outcome), LastScreen: v.LastScreen,
		Assisted: v.Assisted, LargerText: v.LargerText, Contrast: v.Contrast, ReadAloud: v.ReadAloud, Score: v.Score,
	}
}

// ToVisit is the domain's visit of a wire one, sent by device.
func (v Visit) ToVisit(device string) domain.Visit {
	return domain.Visit{
		ID: v.ID, Device: device, Location: v.Location, Start: v.Start,
		Duration: secondsOf(v.DurationSeconds), ToBook: secondsOf(v.ToBookSeconds),
		Language: v.Language, Theme: v.Theme, Outcome: domain.VisitOutcome(v.Outcome), LastScreen: v.LastScreen,
		Assisted: v.Assisted, LargerText: v.LargerText, Contrast: v.Contrast, ReadAloud: v.ReadAloud, Score: v.Score,
	}
}

// secondsOf is n seconds, or -1 (refused by validation) for a count past
// a year, which would overflow a time.Duration and wrap round to a small
// one.
func secondsOf(n int) time.Duration {
	if n < 0 || n > 366*24*3600 {
		return -1
	}
	return time.Duration(n) * time.Second
}
