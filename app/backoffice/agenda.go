package backoffice

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/digitalebalie/balie/app/domain"
)

// agendaView is the agenda of one theme for a day or a week.
type agendaView struct {
	Theme   domain.Service
	Themes  []domain.Service
	Day     time.Time
	Week    bool
	Days    []agendaDay
	Prev    string // query of the day or week before
	Next    string
	Today   string
	Version string // changes when the agenda does: the page reloads
	Query   string
}

type agendaDay struct {
	Date  time.Time
	Items []domain.Appointment
}

// day reads ?day=2006-01-02 in Brussels time, today by default.
func (s *Server) day(r *http.Request) time.Time {
	now := s.opts.Now().In(domain.Brussels)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, domain.Brussels)
	d, err := time.ParseInLocation(time.DateOnly, r.URL.Query().Get("day"), domain.Brussels)
	if err != nil {
		return today
	}
	return d
}

// agendaData reads the agenda the request asks for.
func (s *Server) agendaData(r *http.Request, sess *session) (agendaView, error) {
	theme, themes, err := s.theme(r, sess)
	if err != nil {
		return agendaView{}, err
	}
	v := agendaView{Theme: theme, Themes: themes, Day: s.day(r), Week: r.URL.Query().Get("view") == "week"}
	from, days := v.Day, 1
	if v.Week { // Monday to Sunday
		from = from.AddDate(0, 0, -((int(from.Weekday()) + 6) % 7))
		days = 7
	}
	to := from.AddDate(0, 0, days)
	items, err := s.opts.Store.Agenda([]string{theme.ID}, from, to)
	if err != nil {
		return v, err
	}
	for i := range days {
		d := agendaDay{Date: from.AddDate(0, 0, i)}
		end := d.Date.AddDate(0, 0, 1)
		for _, a := range items {
			if !a.Start.Before(d.Date) && a.Start.Before(end) {
				d.Items = append(d.Items, a)
			}
		}
		v.Days = append(v.Days, d)
	}
	view := ""
	if v.Week {
		view = "&view=week"
	}
	q := func(d time.Time) string { return "?theme=" + theme.ID + "&day=" + d.Format(time.DateOnly) + view }
	v.Prev, v.Next, v.Today, v.Query = q(from.AddDate(0, 0, -days)), q(to), "?theme="+theme.ID+view, q(v.Day)
	v.Version = version(items)
	return v, nil
}

// version is a short hash of what the agenda shows, for the refresh.
func version(items []domain.Appointment) string {
	h := sha256.New()
	for _, a := range items {
		fmt.Fprintf(h, "%s|%s|%s|%s|%t\n", a.Code, a.Start, a.Status(), a.Contact.Name, a.Interpreter)
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

func (s *Server) agenda(w http.ResponseWriter, r *http.Request, sess *session) {
	s.showAgenda(w, r, sess, "agenda", "Agenda ")
}

// showAgenda draws the agenda the request asks for with the page template
// name: on screen or for paper.
func (s *Server) showAgenda(w http.ResponseWriter, r *http.Request, sess *session, name, title string) {
	v, err := s.agendaData(r, sess)
	switch {
	case err == errNoTheme:
		s.forbidden(w, r, sess)
	case err != nil:
		s.failed(w, r, sess, err)
	default:
		s.render(w, r, sess, name, page{Title: title + v.Theme.Name.In("nl"), Main: v})
	}
}

// agendaVersion answers the page's refresh script: a new booking shows
// within its 5-second poll without a reload by hand.
func (s *Server) agendaVersion(w http.ResponseWriter, r *http.Request, sess *session) {
	v, err := s.agendaData(r, sess)
	if err == errNoTheme {
		http.Error(w, "{}", http.StatusForbidden)
		return
	}
	writeVersion(w, v.Version, err)
}

// writeVersion answers a page's refresh script with the version of what
// the page shows; the script reloads the page when it changed.
func writeVersion(w http.ResponseWriter, version string, err error) {
	if err != nil {
		http.Error(w, "{}", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]string{"version": version})
}

// printDay is the day list for paper: no contact details, not even the
// name (a list left on a desk).
func (s *Server) printDay(w http.ResponseWriter, r *http.Request, sess *session) {
	s.showAgenda(w, r, sess, "print", "Daglijst ")
}

// appointmentView is one appointment, with its contact details only when
// asked for (and logged).
type appointmentView struct {
	A       domain.Appointment
	Theme   domain.Service
	Contact *domain.Contact
	CanJoin bool
	Serve   bool
	Change  bool   // may move and cancel it for the visitor
	Done    string // what was just done to it, to confirm
	Back    string
}

// withAppointment loads the appointment in the path, for staff of its
// theme only.
func (s *Server) withAppointment(w http.ResponseWriter, r *http.Request, sess *session) (appointmentView, bool) {
	a, err := s.opts.Store.Appointment(r.PathValue("code"))
	if domain.CodeOf(err) == domain.ENotFound {
		s.notFound(w, r, sess)
		return appointmentView{}, false
	}
	if err != nil {
		s.failed(w, r, sess, err)
		return appointmentView{}, false
	}
	if !sess.staff.theme(a.ServiceID) {
		s.forbidden(w, r, sess)
		return appointmentView{}, false
	}
	services, _ := s.opts.Store.Services(r.Context())
	theme, _ := domain.FindService(services, a.ServiceID)
	now := s.opts.Now()
	return appointmentView{
		A: a, Theme: theme, CanJoin: !a.Cancelled && now.Before(a.End), Serve: sess.staff.may(serve),
		Change: sess.staff.may(bookForCaller) && !a.Cancelled && now.Before(a.End),
		Back:   "/staff/agenda?theme=" + a.ServiceID + "&day=" + a.Start.In(domain.Brussels).Format(time.DateOnly),
	}, true
}

func (s *Server) appointment(w http.ResponseWriter, r *http.Request, sess *session) {
	if v, ok := s.withAppointment(w, r, sess); ok {
		q := r.URL.Query()
		switch {
		case q.Has("booked"):
			v.Done = "Geboekt. De bevestiging gaat naar de persoon, per e-mail en sms."
		case q.Has("moved"):
			v.Done = "Verplaatst. De persoon krijgt het nieuwe tijdstip per e-mail en sms."
		case q.Has("cancelled"):
			v.Done = "Geannuleerd. De persoon krijgt een e-mail."
		}
		s.render(w, r, sess, "appointment", page{Title: "Afspraak " + v.A.Code, Main: v})
	}
}

// showContact shows the contact details, after writing to the audit log
// that sess saw them.
func (s *Server) showContact(w http.ResponseWriter, r *http.Request, sess *session) {
	v, ok := s.withAppointment(w, r, sess)
	if !ok {
		return
	}
	c, err := s.opts.Store.ContactOf(v.A.Code, sess.staff.Who())
	if err != nil {
		s.failed(w, r, sess, err)
		return
	}
	v.Contact = &c
	s.render(w, r, sess, "appointment", page{Title: "Afspraak " + v.A.Code, Main: v})
}

func (s *Server) setOutcome(w http.ResponseWriter, r *http.Request, sess *session) {
	v, ok := s.withAppointment(w, r, sess)
	if !ok {
		return
	}
	err := s.opts.Store.SetOutcome(v.A.Code, domain.Outcome(r.PostFormValue("outcome")), sess.staff.Who())
	if domain.CodeOf(err) == domain.EInvalid {
		w.WriteHeader(http.StatusUnprocessableEntity)
		s.render(w, r, sess, "message", page{Title: "Niet gelukt", Message: "Een geannuleerde afspraak krijgt geen uitkomst."})
		return
	}
	if err != nil {
		s.failed(w, r, sess, err)
		return
	}
	http.Redirect(w, r, v.Back, http.StatusSeeOther)
}

// sameToken compares two secrets in constant time.
func sameToken(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
