package backoffice

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/digitalebalie/balie/app/calendar"
	"github.com/digitalebalie/balie/app/domain"
)

// periodsPerDay is how many periods a weekday's form offers: a morning, an
// afternoon and an evening.
const periodsPerDay = 3

type capacityView struct {
	Theme    domain.Service
	Themes   []domain.Service
	Days     []weekdayForm
	Slot     int // minutes
	Counters int
	LeadTime int // hours
	Horizon  int // days
	Closed   string
	Blocked  string
	Error    string
	Saved    bool
	Misfits  []domain.Appointment
}

type weekdayForm struct {
	Day     time.Weekday
	Name    string
	Periods []periodForm
}

type periodForm struct{ From, To string }

// weekdays in the order a Belgian week has them.
var weekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

func capacityForm(c calendar.Capacity) capacityView {
	v := capacityView{Slot: int(c.Slot / time.Minute), Counters: c.Counters, LeadTime: int(c.LeadTime / time.Hour), Horizon: c.Horizon,
		Closed: strings.Join(c.Closed, "\n")}
	for _, d := range weekdays {
		f := weekdayForm{Day: d, Name: dutchDays[d]}
		for i := range periodsPerDay {
			var p periodForm
			if i < len(c.Hours[d]) {
				p = periodForm{From: hhmm(c.Hours[d][i].From), To: hhmm(c.Hours[d][i].To)}
			}
			f.Periods = append(f.Periods, p)
		}
		v.Days = append(v.Days, f)
	}
	var blocked []string
	for _, b := range c.Blocked {
		blocked = append(blocked, b.From.In(domain.Brussels).Format("2006-01-02 15:04")+" - "+b.To.In(domain.Brussels).Format("2006-01-02 15:04"))
	}
	v.Blocked = strings.Join(blocked, "\n")
	return v
}

func hhmm(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d/time.Hour), int(d%time.Hour/time.Minute))
}

func (s *Server) capacityPage(w http.ResponseWriter, r *http.Request, sess *session) {
	theme, themes, err := s.theme(r, sess)
	if err != nil {
		s.forbidden(w, r, sess)
		return
	}
	c, err := s.opts.Store.Capacity(theme.ID)
	if err != nil {
		s.failed(w, r, sess, err)
		return
	}
	v := capacityForm(c)
	v.Theme, v.Themes = theme, themes
	if v.Misfits, err = s.opts.Store.Misfits(theme.ID); err != nil {
		s.failed(w, r, sess, err)
		return
	}
	s.render(w, r, sess, "capacity", page{Title: "Capaciteit " + theme.Name.In("nl"), Main: v})
}

// saveCapacity stores what the lead set. Kiosks see the new slots at their
// next look; nothing is cancelled, and what no longer fits is listed.
func (s *Server) saveCapacity(w http.ResponseWriter, r *http.Request, sess *session) {
	theme, themes, err := s.theme(r, sess)
	if err != nil {
		s.forbidden(w, r, sess)
		return
	}
	c, problems := readCapacity(r)
	if problems == "" {
		if err := c.Validate(); err != nil {
			problems = err.Error()
		}
	}
	if problems != "" {
		v := formAgain(r)
		v.Theme, v.Themes, v.Error = theme, themes, problems
		w.WriteHeader(http.StatusUnprocessableEntity)
		s.render(w, r, sess, "capacity", page{Title: "Capaciteit " + theme.Name.In("nl"), Main: v})
		return
	}
	misfits, err := s.opts.Store.SetCapacity(theme.ID, c, sess.staff.Who())
	if err != nil {
		s.failed(w, r, sess, err)
		return
	}
	v := capacityForm(c)
	v.Theme, v.Themes, v.Saved, v.Misfits = theme, themes, true, misfits
	s.render(w, r, sess, "capacity", page{Title: "Capaciteit " + theme.Name.In("nl"), Main: v})
}

// readCapacity reads the form; problems says in Dutch what could not be
// read at all.
func readCapacity(r *http.Request) (calendar.Capacity, string) {
	var problems []string
	num := func(name, what string) int {
		n, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue(name)))
		if err != nil {
			problems = append(problems, what+" moet een getal zijn")
		}
		return n
	}
	c := calendar.Capacity{
		Slot:     time.Duration(num("slot", "De duur van een afspraak")) * time.Minute,
		Counters: num("counters", "Het aantal loketten"),
		LeadTime: time.Duration(num("lead", "De minimale tijd vooraf")) * time.Hour,
		Horizon:  num("horizon", "Het aantal dagen vooruit"),
		Hours:    calendar.Hours{},
	}
	for _, d := range weekdays {
		for i := range periodsPerDay {
			from, to := r.PostFormValue(fmt.Sprintf("d%d-%d-from", d, i)), r.PostFormValue(fmt.Sprintf("d%d-%d-to", d, i))
			if from == "" && to == "" {
				continue
			}
			f, err1 := clockTime(from)
			t, err2 := clockTime(to)
			if err1 != nil || err2 != nil {
				problems = append(problems, fmt.Sprintf("%s: schrijf uren als 09:00", dutchDays[d]))
				continue
			}
			c.Hours[d] = append(c.Hours[d], calendar.Period{From: f, To: t})
		}
	}
	for _, line := range strings.Split(r.PostFormValue("closed"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			c.Closed = append(c.Closed, line)
		}
	}
	for _, line := range strings.Split(r.PostFormValue("blocked"), "\n") {
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		from, to, ok := strings.Cut(line, " - ")
		f, err1 := time.ParseInLocation("2006-01-02 15:04", strings.TrimSpace(from), domain.Brussels)
		t, err2 := time.ParseInLocation("2006-01-02 15:04", strings.TrimSpace(to), domain.Brussels)
		if !ok || err1 != nil || err2 != nil {
			problems = append(problems, fmt.Sprintf("geblokkeerde periode %q: schrijf 2026-12-24 12:00 - 2026-12-24 17:00", line))
			continue
		}
		c.Blocked = append(c.Blocked, calendar.Span{From: f, To: t})
	}
	return c, strings.Join(problems, "; ")
}

// formAgain shows a refused form as it was typed: nothing typed is lost.
func formAgain(r *http.Request) capacityView {
	v := capacityView{Closed: r.PostFormValue("closed"), Blocked: r.PostFormValue("blocked")}
	v.Slot, _ = strconv.Atoi(r.PostFormValue("slot"))
	v.Counters, _ = strconv.Atoi(r.PostFormValue("counters"))
	v.LeadTime, _ = strconv.Atoi(r.PostFormValue("lead"))
	v.Horizon, _ = strconv.Atoi(r.PostFormValue("horizon"))
	for _, d := range weekdays {
		f := weekdayForm{Day: d, Name: dutchDays[d]}
		for i := range periodsPerDay {
			f.Periods = append(f.Periods, periodForm{
				From: r.PostFormValue(fmt.Sprintf("d%d-%d-from", d, i)), To: r.PostFormValue(fmt.Sprintf("d%d-%d-to", d, i)),
			})
		}
		v.Days = append(v.Days, f)
	}
	return v
}

func clockTime(s string) (time.Duration, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, err
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}
