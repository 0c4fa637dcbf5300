package backoffice

import (
	"net/http"
	"strings"
	"time"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/i18n"
)

// Booking for someone: Gentinfo's phone agents and the counters book, move
// and cancel for a caller through the same validation, quotas and
// confirmation messages as the kiosk. Every change is in the audit log.

// bookDays is how many days ahead the booking form offers.
const bookDays = 21

type bookView struct {
	Theme     domain.Service
	Themes    []domain.Service
	Days      []time.Time // days with free times
	Day       time.Time
	Slots     []domain.Slot
	Languages []i18n.Language
	// Interpreters are the languages an interpreter may speak.
	Interpreters []i18n.Language
	Form         bookForm
	Errors       map[string]string
	Problem      string
}

type bookForm struct {
	Start, Name, Email, Phone, Language string
	Interpreter                         bool
	InterpreterLanguage                 string
}

// freeDays lists the days of the theme with free times, and the free
// times of the day the form asks for (?day=2006-01-02), or of the first.
func (s *Server) freeDays(r *http.Request, theme domain.Service) ([]time.Time, time.Time, []domain.Slot, error) {
	var day time.Time
	if d, err := time.ParseInLocation(time.DateOnly, r.FormValue("day"), domain.Brussels); err == nil {
		day = d
	}
	slots, err := s.opts.Store.Slots(r.Context(), theme.ID, s.opts.Now(), bookDays)
	if err != nil {
		return nil, day, nil, err
	}
	groups := domain.GroupByDay(slots, domain.Brussels)
	var days []time.Time
	var on []domain.Slot
	for _, g := range groups {
		days = append(days, g.Date)
		if day.IsZero() {
			day = g.Date
		}
		if g.Date.Equal(day) {
			on = g.Slots
		}
	}
	return days, day, on, nil
}

func (s *Server) bookPage(w http.ResponseWriter, r *http.Request, sess *session) {
	theme, themes, err := s.theme(r, sess)
	if err != nil {
		s.forbidden(w, r, sess)
		return
	}
	v := bookView{Theme: theme, Themes: themes, Languages: i18n.Offered, Interpreters: i18n.InterpreterLanguages(), Form: bookForm{Language: i18n.Reference}}
	s.showBook(w, r, sess, v, http.StatusOK)
}

func (s *Server) showBook(w http.ResponseWriter, r *http.Request, sess *session, v bookView, status int) {
	var err error
	if v.Days, v.Day, v.Slots, err = s.freeDays(r, v.Theme); err != nil {
		s.failed(w, r, sess, err)
		return
	}
	w.WriteHeader(status)
	s.render(w, r, sess, "book", page{Title: "Boeken voor iemand", Main: v})
}

// book makes the booking; a refusal shows the form again with everything
// typed and each reason in Dutch.
func (s *Server) book(w http.ResponseWriter, r *http.Request, sess *session) {
	theme, themes, err := s.theme(r, sess)
	if err != nil {
		s.forbidden(w, r, sess)
		return
	}
	f := bookForm{
		Start: r.PostFormValue("start"), Name: r.PostFormValue("name"), Email: r.PostFormValue("email"),
		Phone: r.PostFormValue("phone"), Language: r.PostFormValue("language"), Interpreter: r.PostFormValue("interpreter") == "on",
		InterpreterLanguage: r.PostFormValue("interpreterLanguage"),
	}
	v := bookView{Theme: theme, Themes: themes, Languages: i18n.Offered, Interpreters: i18n.InterpreterLanguages(), Form: f, Errors: map[string]string{}}
	start, err := time.Parse(time.RFC3339, f.Start)
	if err != nil {
		// Every reason at once: the contact is checked too.
		v.Errors["start"] = "Kies een tijdstip."
		_, err := domain.ValidateContact(domain.Contact{Name: f.Name, Email: f.Email, Phone: f.Phone})
		for field, reason := range domain.FieldsOf(err) {
			v.Errors[field] = reasonText(reason)
		}
		s.showBook(w, r, sess, v, http.StatusUnprocessableEntity)
		return
	}
	a, err := s.opts.Store.Book(r.Context(), domain.BookingRequest{
		ServiceID: theme.ID, Start: start, Language: f.Language, Interpreter: f.Interpreter, InterpreterLanguage: f.InterpreterLanguage,
		Contact: domain.Contact{Name: f.Name, Email: f.Email, Phone: f.Phone},
		Device:  "staff:" + sess.staff.Name, Booker: sess.staff.Who(),
	})
	if err != nil {
		for field, reason := range domain.FieldsOf(err) {
			v.Errors[field] = reasonText(reason)
		}
		v.Problem = problemText(domain.CodeOf(err))
		s.showBook(w, r, sess, v, http.StatusUnprocessableEntity)
		return
	}
	http.Redirect(w, r, "/staff/a/"+a.Code+"?booked=1", http.StatusSeeOther)
}

// reasonText says in Dutch why a field was refused.
func reasonText(r domain.FieldReason) string {
	switch r {
	case domain.ReasonRequired:
		return "Vul dit in."
	case domain.ReasonTooLong:
		return "Dit is te lang."
	case domain.ReasonInvalidName:
		return "Een naam met letters, zonder cijfers of tekens."
	case domain.ReasonInvalidEmail:
		return "Geen geldig e-mailadres: het heeft een @ en een domein, bv. naam@voorbeeld.be."
	case domain.ReasonInvalidPhone:
		return "Geen geldig gsm-nummer, bv. 0470 12 34 56 of +31 6 12345678."
	case domain.ReasonNotMobile:
		return "Dit is geen gsm-nummer: een sms kan er niet heen."
	case domain.ReasonEmailOrPhone:
		return "Geef een e-mailadres of een gsm-nummer, of allebei."
	case domain.ReasonOutOfRange:
		return "Dit tijdstip kan niet (meer) geboekt worden. Kies een ander."
	case domain.ReasonNotOffered:
		return "Deze taal wordt niet aangeboden."
	}
	return "Dit klopt niet."
}

// problemText says in Dutch why a whole booking was refused.
func problemText(c domain.ErrorCode) string {
	switch c {
	case "", domain.EInvalid:
		return ""
	case domain.ESlotTaken:
		return "Dit tijdstip is intussen volzet. Kies een ander."
	case domain.EContactQuota:
		return "Deze persoon heeft al 3 afspraken gepland. Annuleer er eerst een."
	case domain.EDeviceQuota:
		return "U hebt het voorbije uur veel afspraken gemaakt. Probeer het later opnieuw."
	}
	return "De afspraak kon niet gemaakt worden. Probeer het opnieuw."
}

type moveView struct {
	A     domain.Appointment
	Theme domain.Service
	Days  []time.Time
	Day   time.Time
	Slots []domain.Slot
	Error string
}

func (s *Server) movePage(w http.ResponseWriter, r *http.Request, sess *session) {
	v, ok := s.withAppointment(w, r, sess)
	if !ok {
		return
	}
	s.showMove(w, r, sess, moveView{A: v.A, Theme: v.Theme}, http.StatusOK)
}

func (s *Server) showMove(w http.ResponseWriter, r *http.Request, sess *session, v moveView, status int) {
	var err error
	if v.Days, v.Day, v.Slots, err = s.freeDays(r, v.Theme); err != nil {
		s.failed(w, r, sess, err)
		return
	}
	w.WriteHeader(status)
	s.render(w, r, sess, "move", page{Title: "Afspraak " + v.A.Code + " verplaatsen", Main: v})
}

// move moves the appointment; the visitor gets the new time by e-mail and
// SMS, with an .ics that moves the event in their calendar.
func (s *Server) move(w http.ResponseWriter, r *http.Request, sess *session) {
	v, ok := s.withAppointment(w, r, sess)
	if !ok {
		return
	}
	mv := moveView{A: v.A, Theme: v.Theme}
	start, err := time.Parse(time.RFC3339, r.PostFormValue("start"))
	if err == nil {
		_, err = s.opts.Store.Move(v.A.Code, start, sess.staff.Who())
	}
	if err != nil {
		mv.Error = strings.TrimSpace(problemText(domain.CodeOf(err)) + " " + "Kies een ander tijdstip.")
		s.showMove(w, r, sess, mv, http.StatusUnprocessableEntity)
		return
	}
	http.Redirect(w, r, "/staff/a/"+v.A.Code+"?moved=1", http.StatusSeeOther)
}

func (s *Server) cancelPage(w http.ResponseWriter, r *http.Request, sess *session) {
	if v, ok := s.withAppointment(w, r, sess); ok {
		s.render(w, r, sess, "cancel", page{Title: "Afspraak " + v.A.Code + " annuleren", Main: v})
	}
}

// cancel cancels for the visitor, who gets the cancellation e-mail.
func (s *Server) cancel(w http.ResponseWriter, r *http.Request, sess *session) {
	v, ok := s.withAppointment(w, r, sess)
	if !ok {
		return
	}
	if err := s.opts.Store.CancelAsStaff(v.A.Code, sess.staff.Who()); err != nil {
		s.failed(w, r, sess, err)
		return
	}
	http.Redirect(w, r, "/staff/a/"+v.A.Code+"?cancelled=1", http.StatusSeeOther)
}
