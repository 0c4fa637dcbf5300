package store

import (
	"time"

	"github.com/digitalebalie/balie/app/domain"
)

// record is how an appointment is stored: its own type, so a change to the
// domain struct never silently changes the file format.
type record struct {
	Code            string    `json:"code"`
	Token           string    `json:"token"`
	ServiceID       string    `json:"serviceId"`
	Start           time.Time `json:"start"`
	End             time.Time `json:"end"`
	Language        string    `json:"language"`
	Name            string    `json:"name"`
	Email           string    `json:"email,omitempty"`
	Phone           string    `json:"phone,omitempty"`
	ConsentResearch bool      `json:"consentResearch"`
	Interpreter     bool      `json:"interpreter"`
	// InterpreterLanguage is the interpreter's language (a BCP 47 tag).
	InterpreterLanguage string    `json:"interpreterLanguage,omitempty"`
	JoinURL             string    `json:"joinUrl"`
	Cancelled           bool      `json:"cancelled"`
	CreatedAt           time.Time `json:"createdAt"`
	// IdempotencyKey is the caller's key the booking was made with, so the
	// purge can remove it too.
	IdempotencyKey string `json:"idempotencyKey,omitempty"`
	// Device is the kiosk that booked (empty in practice mode).
	Device string `json:"device,omitempty"`
	// FailedChecks counts wrong checks given with this code; from
	// domain.ShortCheckTries on, the last four digits no longer open it.
	FailedChecks int `json:"failedChecks,omitempty"`
	// Outcome is what staff marked: done or no-show.
	Outcome domain.Outcome `json:"outcome,omitempty"`
	// Booker is the staff member who booked for the visitor.
	Booker string `json:"booker,omitempty"`
	// Counter is which of the slot's parallel counters the booking holds.
	Counter int `json:"counter,omitempty"`
	// Sequence counts moves; Changed is when the last one was.
	Sequence int       `json:"sequence,omitempty"`
	Changed  time.Time `json:"changed,omitzero"`
}

func toRecord(a domain.Appointment) record {
	return record{
		Code: a.Code, Token: a.Token, ServiceID: a.ServiceID, Start: a.Start, End: a.End,
		Language: a.Language, Name: a.Contact.Name, Email: a.Contact.Email, Phone: a.Contact.Phone,
		ConsentResearch: a.ConsentResearch, Interpreter: a.Interpreter, InterpreterLanguage: a.InterpreterLanguage, JoinURL: a.JoinURL,
		Cancelled: a.Cancelled, CreatedAt: a.CreatedAt, Outcome: a.Outcome, Booker: a.Booker,
		Sequence: a.Sequence, Changed: a.Changed,
	}
}

func (r record) appointment() domain.Appointment {
	return domain.Appointment{
		Code: r.Code, Token: r.Token, ServiceID: r.ServiceID,
		Start: r.Start.In(domain.Brussels), End: r.End.In(domain.Brussels),
		Language: r.Language, Contact: domain.Contact{Name: r.Name, Email: r.Email, Phone: r.Phone},
		ConsentResearch: r.ConsentResearch, Interpreter: r.Interpreter, InterpreterLanguage: r.InterpreterLanguage, JoinURL: r.JoinURL,
		Cancelled: r.Cancelled, CreatedAt: r.CreatedAt, Outcome: r.Outcome, Booker: r.Booker,
		Sequence: r.Sequence, Changed: r.Changed,
	}
}
