package backoffice

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"time"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/stats"
	"github.com/digitalebalie/balie/i18n"
)

// The city's figures ("meten is weten"): anonymous counts of the kiosks'
// visits over a period, drawn as charts on the server, with CSV exports.
// Nothing here names a visitor: the records hold no name, contact, code or
// free text.

// figuresDays is the default period: the last 30 days.
const figuresDays = 30

// maxFiguresDays bounds one period, as the API's /v1/stats.
const maxFiguresDays = 400

type figuresView struct {
	From, To string // the days, both included
	Query    string // from=…&to=… for the charts and exports
	Problem  string
	Report   stats.Report
	Charts   []chartLink
	// Shares of visits, in whole percents.
	BookedShare, AssistedShare, LargerTextShare, ContrastShare, ReadAloudShare int
	Screens                                                                    []screenRow
	MedianToBook, MedianDuration                                               string
}

// chartLink is one chart: its own address (to open or save it) and the
// SVG itself inline, so the page is whole when printed or saved.
type chartLink struct {
	Kind, Alt string
	Data      template.URL
}

type screenRow struct {
	Name                         string
	Abandoned, TimedOut, Percent int
}

// period reads ?from=&to= (days, both included, in Brussels) into
// [from, to), by default the last 30 days up to today.
func (s *Server) period(r *http.Request) (from, to time.Time, problem string) {
	now := s.opts.Now().In(domain.Brussels)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, domain.Brussels)
	day := func(name string, fallback time.Time) time.Time {
		v := r.URL.Query().Get(name)
		if v == "" {
			return fallback
		}
		d, err := time.ParseInLocation(time.DateOnly, v, domain.Brussels)
		if err != nil {
			problem = "Een datum is niet te lezen; de laatste 30 dagen worden getoond."
			return fallback
		}
		return d
	}
	last := day("to", today)
	first := day("from", last.AddDate(0, 0, -(figuresDays-1)))
	switch {
	case problem != "":
		first, last = today.AddDate(0, 0, -(figuresDays-1)), today
	case last.Before(first):
		problem = "De einddatum ligt voor de begindatum; ze zijn omgewisseld."
		first, last = last, first
	case last.Sub(first) > maxFiguresDays*24*time.Hour:
		problem = fmt.Sprintf("Een periode is ten hoogste %d dagen; de laatste %d dagen tot de einddatum worden getoond.", maxFiguresDays, maxFiguresDays)
		first = last.AddDate(0, 0, -(maxFiguresDays - 1))
	}
	return first, last.AddDate(0, 0, 1), problem
}

func (s *Server) report(r *http.Request) (stats.Report, []domain.Visit, string, error) {
	from, to, problem := s.period(r)
	visits, err := s.opts.Store.Visits(from, to)
	if err != nil {
		return stats.Report{}, nil, problem, err
	}
	return stats.Summarize(visits, from, to, domain.Brussels), visits, problem, nil
}

func (s *Server) figuresPage(w http.ResponseWriter, r *http.Request, sess *session) {
	rep, _, problem, err := s.report(r)
	if err != nil {
		s.failed(w, r, sess, err)
		return
	}
	last := rep.To.AddDate(0, 0, -1)
	v := figuresView{
		From: rep.From.Format(time.DateOnly), To: last.Format(time.DateOnly), Problem: problem, Report: rep,
		MedianToBook: minSec(rep.MedianToBook), MedianDuration: minSec(rep.MedianDuration),
		Charts: []chartLink{
			{Kind: "days", Alt: "Bezoeken per dag, per afloop"},
			{Kind: "outcomes", Alt: "Bezoeken per afloop"},
			{Kind: "themes", Alt: "Bezoeken per thema"},
			{Kind: "languages", Alt: "Bezoeken per taal"},
			{Kind: "locations", Alt: "Bezoeken per locatie"},
			{Kind: "screens", Alt: "Waar bezoekers stopten"},
		},
	}
	labels := s.labels(r.Context())
	for i, c := range v.Charts {
		svg, err := chart(c.Kind, rep, labels)
		if err != nil {
			s.failed(w, r, sess, err)
			return
		}
		v.Charts[i].Data = template.URL("data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString(svg))
	}
	v.Query = "from=" + v.From + "&to=" + v.To
	share := func(n int) int {
		if rep.Visits == 0 {
			return 0
		}
		return (n*100 + rep.Visits/2) / rep.Visits
	}
	for _, o := range rep.ByOutcome {
		if o.Outcome == domain.VisitBooked {
			v.BookedShare = share(o.Visits)
		}
	}
	v.AssistedShare, v.LargerTextShare, v.ContrastShare, v.ReadAloudShare = share(rep.Assisted), share(rep.LargerText), share(rep.Contrast), share(rep.ReadAloud)
	for _, sc := range rep.Abandonment {
		v.Screens = append(v.Screens, screenRow{Name: screenName(sc.Screen), Abandoned: sc.Abandoned, TimedOut: sc.TimedOut, Percent: int(sc.ShareOfVisits*100 + 0.5)})
	}
	s.render(w, r, sess, "figures", page{Title: "Cijfers", Main: v})
}

// figuresChart serves one chart as SVG, drawn on the server.
func (s *Server) figuresChart(w http.ResponseWriter, r *http.Request, sess *session) {
	rep, _, _, err := s.report(r)
	if err != nil {
		s.failed(w, r, sess, err)
		return
	}
	svg, err := chart(r.PathValue("kind"), rep, s.labels(r.Context()))
	if errors.Is(err, errNoChart) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		s.failed(w, r, sess, err)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "private, max-age=60")
	w.Write(svg)
}

var errNoChart = errors.New("no such chart")

// chart draws one of the figures' charts as SVG.
func chart(kind string, rep stats.Report, labels stats.Labels) ([]byte, error) {
	switch kind {
	case "days":
		return stats.DayChart(rep, labels)
	case "outcomes":
		return stats.OutcomeChart(rep, labels)
	case "themes":
		return stats.BarChart("Bezoeken per thema", rep.ByTheme, labels.Theme)
	case "languages":
		return stats.BarChart("Bezoeken per taal", rep.ByLanguage, labels.Language)
	case "locations":
		return stats.BarChart("Bezoeken per locatie", rep.ByLocation, nil)
	case "screens":
		return stats.ScreenChart(rep, labels)
	}
	return nil, errNoChart
}

func (s *Server) figuresVisitsCSV(w http.ResponseWriter, r *http.Request, sess *session) {
	rep, visits, _, err := s.report(r)
	if err != nil {
		s.failed(w, r, sess, err)
		return
	}
	csvHeaders(w, "bezoeken", rep)
	stats.WriteVisitsCSV(w, visits, domain.Brussels)
}

func (s *Server) figuresDaysCSV(w http.ResponseWriter, r *http.Request, sess *session) {
	rep, _, _, err := s.report(r)
	if err != nil {
		s.failed(w, r, sess, err)
		return
	}
	csvHeaders(w, "bezoeken-per-dag", rep)
	stats.WriteDaysCSV(w, rep)
}

func csvHeaders(w http.ResponseWriter, name string, rep stats.Report) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s-%s.csv"`,
		name, rep.From.Format(time.DateOnly), rep.To.AddDate(0, 0, -1).Format(time.DateOnly)))
}

// labels names themes, languages, outcomes and screens in Dutch.
func (s *Server) labels(ctx context.Context) stats.Labels {
	services, _ := s.opts.Store.Services(ctx)
	return stats.Labels{
		Theme: func(id string) string {
			if svc, ok := domain.FindService(services, id); ok {
				return svc.Name.In(i18n.Reference)
			}
			return id
		},
		Language: languageName,
		Screen:   screenName,
	}
}

// screenNames are the kiosk's screens in staff's words.
var screenNames = map[string]string{
	"welcome": "Welkom (taal)", "home": "Keuze", "theme": "Thema", "fit": "Past video?", "day": "Dag", "time": "Uur",
	"contact": "Gegevens", "confirm": "Bevestigen", "done": "Afspraak gemaakt", "join-find": "Afspraak zoeken",
	"join-status": "Afspraak gevonden", "join-phone": "Op de gsm", "help": "Hulp", "join-cancel": "Annuleren",
	"join-call": "In gesprek", "join-call-over": "Gesprek voorbij", "interpreter": "Tolk", "feedback": "Feedback",
}

func screenName(s string) string {
	if n, ok := screenNames[s]; ok {
		return n
	}
	return s
}

// minSec writes a duration as "3 min 20 s".
func minSec(d time.Duration) string {
	if d <= 0 {
		return "–"
	}
	d = d.Round(time.Second)
	m, sec := int(d/time.Minute), int(d%time.Minute/time.Second)
	if m == 0 {
		return fmt.Sprintf("%d s", sec)
	}
	return fmt.Sprintf("%d min %d s", m, sec)
}
