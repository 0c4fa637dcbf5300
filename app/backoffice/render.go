package backoffice

import (
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/digitalebalie/balie/app/domain"
)

// page is what every template gets; each page fills what it shows.
type page struct {
	Title   string
	Message string
	Staff   Staff
	CSRF    string
	Nav     []navLink
	Main    any
}

type navLink struct {
	Href, Label string
	Current     bool
}

// pageNames are the templates, each with the layout.
var pageNames = []string{"signin", "message", "agenda", "appointment", "print", "capacity", "audit", "book", "move", "cancel", "feeds", "accounts", "help", "figures", "research"}

func parsePages() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"clock":    func(t time.Time) string { return t.In(domain.Brussels).Format("15:04") },
		"date":     dutchDate,
		"language": languageName,
		"status":   statusName,
		"minutes":  func(d time.Duration) int { return int(d / time.Minute) },
		"phone":    domain.DisplayPhone,
		"rfc3339":  func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"isoday":   func(t time.Time) string { return t.Format(time.DateOnly) },
		"inc":      func(i int) int { return i + 1 },
		"action":   actionName,
		"stamp":    func(t time.Time) string { return t.In(domain.Brussels).Format("02-01-2006 15:04") },
		"has":      func(list []string, s string) bool { return slices.Contains(list, s) },
		"decimal":  func(f float64) string { return strings.Replace(strconv.FormatFloat(f, 'f', 1, 64), ".", ",", 1) },
	}
	out := map[string]*template.Template{}
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, err
		}
		out[name] = t
	}
	return out, nil
}

// render writes a page in the layout, with the navigation of sess's role.
func (s *Server) render(w http.ResponseWriter, r *http.Request, sess *session, name string, p page) {
	if sess != nil {
		p.Staff, p.CSRF = sess.staff, sess.csrf
		p.Nav = s.nav(r, sess)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := s.pages[name].ExecuteTemplate(w, "layout", p); err != nil {
		s.opts.Log.Error("render", "page", name, "err", err)
	}
}

func (s *Server) nav(r *http.Request, sess *session) []navLink {
	var links []navLink
	add := func(href, label string) {
		links = append(links, navLink{Href: href, Label: label, Current: r.URL.Path == href})
	}
	if sess.staff.may(seeAgenda) {
		add("/staff/agenda", "Agenda")
	}
	if sess.staff.may(bookForCaller) {
		add("/staff/book", "Boeken voor iemand")
	}
	if sess.staff.may(setCapacity) {
		add("/staff/capacity", "Capaciteit")
	}
	if sess.staff.may(seeAgenda) && s.opts.FeedBase != "" {
		add("/staff/feeds", "Agenda in Outlook")
	}
	if sess.staff.may(answerHelp) {
		add("/staff/help", "Hulpvragen")
	}
	if sess.staff.may(seeFigures) {
		add("/staff/figures", "Cijfers")
	}
	if sess.staff.may(readResearch) {
		add("/staff/research", "Evaluatie")
	}
	if sess.staff.may(keepAccounts) {
		add("/staff/accounts", "Accounts")
	}
	if sess.staff.may(readAudit) {
		add("/staff/audit", "Auditlog")
	}
	return links
}

var dutchMonths = [...]string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"}

// dutchDate is "maandag 23 november 2026".
func dutchDate(t time.Time) string {
	t = t.In(domain.Brussels)
	return dutchDays[t.Weekday()] + " " + strconv.Itoa(t.Day()) + " " + dutchMonths[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

var dutchDays = [...]string{"zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"}

func statusName(st domain.Status) string {
	switch st {
	case domain.StatusCancelled:
		return "geannuleerd"
	case domain.StatusDone:
		return "afgerond"
	case domain.StatusNoShow:
		return "niet gekomen"
	}
	return "geboekt"
}
