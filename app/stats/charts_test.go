package stats

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/domain"
)

// svgInfo is what a test needs from a chart: its size and its words.
type svgInfo struct {
	width, height int
	text          string // all text nodes, joined by "|"
}

// parseSVG fails the test unless b is well-formed XML with an <svg> root
// that says its size.
func parseSVG(t *testing.T, b []byte) svgInfo {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	var info svgInfo
	var texts []string
	root := true
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, b)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if root {
				root = false
				if tok.Name.Local != "svg" || tok.Name.Space != "http://www.w3.org/2000/svg" {
					t.Fatalf("root is %v, want svg", tok.Name)
				}
				for _, a := range tok.Attr {
					switch a.Name.Local {
					case "width":
						info.width, _ = strconv.Atoi(a.Value)
					case "height":
						info.height, _ = strconv.Atoi(a.Value)
					}
				}
			}
		case xml.CharData:
			if s := strings.TrimSpace(string(tok)); s != "" {
				texts = append(texts, s)
			}
		}
	}
	if info.width <= 0 || info.height <= 0 {
		t.Fatalf("svg has no size: %.200s", b)
	}
	info.text = strings.Join(texts, "|")
	return info
}

func TestCharts(t *testing.T) {
	loc := brussels(t)
	from := at(loc, 2026, 3, 1, 0, 0)
	r := Summarize(sampleVisits(500, from, 31, 3), from, from.AddDate(0, 1, 0), loc)
	l := sampleLabels()
	allOutcomes := []string{"Afspraak gemaakt", "Gesprek gestart", "Hulp gevraagd", "Gestopt", "Tijd verstreken"}

	tests := []struct {
		name  string
		chart func() ([]byte, error)
		want  []string
	}{
		{"days", func() ([]byte, error) { return DayChart(r, l) },
			append([]string{"Bezoeken per dag", "1 maart 2026 – 31 maart 2026", "2/3", "500 bezoeken"}, allOutcomes...)},
		{"outcomes", func() ([]byte, error) { return OutcomeChart(r, l) },
			append([]string{"Afloop van de bezoeken"}, allOutcomes...)},
		{"screens", func() ([]byte, error) { return ScreenChart(r, l) },
			[]string{"Waar bezoekers afhaakten", "Contactgegevens", "Moment kiezen", "Gestopt", "Tijd verstreken"}},
		{"themes", func() ([]byte, error) { return BarChart("Bezoeken per onderwerp", r.ByTheme, l.Theme) },
			[]string{"Bezoeken per onderwerp", "Reispas of identiteitskaart aanvragen", "(geen)", "Waarvan afspraak gemaakt"}},
		{"languages", func() ([]byte, error) { return BarChart("Bezoeken per taal", r.ByLanguage, l.Language) },
			[]string{"Bezoeken per taal", "Nederlands", "Oekraïens"}},
		{"locations, keys as names", func() ([]byte, error) { return BarChart("Bezoeken per locatie", r.ByLocation, nil) },
			[]string{"Dienstencentrum Zuid", "Bibliotheek De Krook (inkomhal)"}},
		{"screens, keys as names", func() ([]byte, error) { return ScreenChart(r, Labels{}) },
			[]string{"contact", "slots"}},
		{"outcomes, own names", func() ([]byte, error) {
			return OutcomeChart(r, Labels{Outcome: func(o domain.VisitOutcome) string {
				if o == domain.VisitHelp {
					return "Balie geroepen"
				}
				return "" // falls back to the Dutch default
			}})
		}, []string{"Balie geroepen", "Afspraak gemaakt"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.chart()
			if err != nil {
				t.Fatal(err)
			}
			svg := parseSVG(t, b)
			// Catches a library upgrade that renames its font: the labels
			// would then be measured for one font and shown in another.
			if !bytes.Contains(b, []byte(fontFallbacks)) {
				t.Error("the font fallbacks were not put in")
			}
			for _, w := range tt.want {
				if !strings.Contains(svg.text, w) {
					t.Errorf("chart lacks %q; has %s", w, svg.text)
				}
			}
		})
	}
}

func TestChartsEmpty(t *testing.T) {
	loc := brussels(t)
	from := at(loc, 2026, 3, 1, 0, 0)
	reports := map[string]Report{
		"no visits":  Summarize(nil, from, from.AddDate(0, 1, 0), loc),
		"no days":    Summarize(nil, from, from, loc),
		"zero value": {},
	}
	for name, r := range reports {
		charts := map[string]func() ([]byte, error){
			"days":     func() ([]byte, error) { return DayChart(r, Labels{}) },
			"outcomes": func() ([]byte, error) { return OutcomeChart(r, Labels{}) },
			"screens":  func() ([]byte, error) { return ScreenChart(r, Labels{}) },
			"themes":   func() ([]byte, error) { return BarChart("Bezoeken per onderwerp", r.ByTheme, nil) },
		}
		for chart, f := range charts {
			t.Run(name+"/"+chart, func(t *testing.T) {
				b, err := f()
				if err != nil {
					t.Fatal(err)
				}
				if svg := parseSVG(t, b); !strings.Contains(svg.text, "Geen bezoeken in deze periode") {
					t.Errorf("empty chart does not say so: %s", svg.text)
				}
			})
		}
	}
}

// TestChartsAwkward feeds what staff might type or a long period brings.
func TestChartsAwkward(t *testing.T) {
	loc := brussels(t)
	from := at(loc, 2026, 1, 1, 0, 0)
	rows := []Count{
		{Key: `Huis & Hof <Zuid> "oud"`, Visits: 3, Booked: 1},
		{Key: strings.Repeat("Zeer lange locatienaam ", 6), Visits: 2},
		{Key: "", Visits: 1},
	}
	many := make([]Count, 60)
	for i := range many {
		many[i] = Count{Key: "thema-" + itoa(i), Visits: 60 - i, Booked: i % 3}
	}
	oneOutcome := Summarize([]domain.Visit{{Start: from.Add(time.Hour), Outcome: domain.VisitBooked}},
		from, from.AddDate(0, 0, 1), loc)
	year := Summarize(sampleVisits(3000, from, 365, 4), from, from.AddDate(1, 0, 0), loc)

	t.Run("escaped names", func(t *testing.T) {
		b, err := BarChart("Per locatie", rows, nil)
		if err != nil {
			t.Fatal(err)
		}
		svg := parseSVG(t, b)
		if !strings.Contains(svg.text, `Huis & Hof <Zuid> "oud"`) {
			t.Errorf("name lost: %s", svg.text)
		}
		if !strings.Contains(svg.text, "…") || strings.Contains(svg.text, strings.Repeat("Zeer lange locatienaam ", 3)) {
			t.Errorf("long name not shortened: %s", svg.text)
		}
	})
	t.Run("bars grow with rows", func(t *testing.T) {
		few, err := BarChart("x", rows, nil)
		if err != nil {
			t.Fatal(err)
		}
		lots, err := BarChart("x", many, nil)
		if err != nil {
			t.Fatal(err)
		}
		if h1, h2 := parseSVG(t, few).height, parseSVG(t, lots).height; h2 < h1+50*barRowHeight {
			t.Errorf("heights %d for 3 rows, %d for 60", h1, h2)
		}
	})
	t.Run("one outcome", func(t *testing.T) {
		b, err := OutcomeChart(oneOutcome, Labels{})
		if err != nil {
			t.Fatal(err)
		}
		if svg := parseSVG(t, b); !strings.Contains(svg.text, "Afspraak gemaakt: 1 (100%)") {
			t.Errorf("got %s", svg.text)
		}
	})
	t.Run("a year of days", func(t *testing.T) {
		b, err := DayChart(year, Labels{})
		if err != nil {
			t.Fatal(err)
		}
		parseSVG(t, b)
	})
}

func TestDayLabels(t *testing.T) {
	days := func(n int) []DayCount {
		from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) // a Sunday
		out := make([]DayCount, n)
		for i := range out {
			out[i].Date = from.AddDate(0, 0, i).Format(time.DateOnly)
		}
		return out
	}
	tests := []struct {
		n    int
		want string // the labels shown, in order
	}{
		{1, "1/3"},
		{7, "1/3 2/3 3/3 4/3 5/3 6/3 7/3"},
		{20, "1/3 3/3 5/3 7/3 9/3 11/3 13/3 15/3 17/3 19/3"},
		{21, "2/3 9/3 16/3"},           // three weeks: Mondays
		{31, "2/3 9/3 16/3 23/3 30/3"}, // Mondays
		{30, "2/3 9/3 16/3 23/3"},      // the last day, a Monday, stays bare
		{92, "2/3 9/3 16/3 23/3 30/3 6/4 13/4 20/4 27/4 4/5 11/5 18/5 25/5"},
	}
	for _, tt := range tests {
		var got []string
		for _, l := range dayLabels(days(tt.n)) {
			if l != "" {
				got = append(got, l)
			}
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("%d days: %v, want %s", tt.n, got, tt.want)
		}
	}
}

func TestNumbers(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{number(0), "0"}, {number(999), "999"}, {number(1000), "1.000"}, {number(1234567), "1.234.567"},
		{number(-1500), "-1.500"}, {percent(0.555), "56%"}, {shortDate("2026-03-09"), "9/3"},
		{longDate("2026-10-25"), "25 oktober 2026"}, {shorten("kort"), "kort"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
	for _, v := range []float64{0, 1, 5, 7, 59, 120, 519, 1446, 99999} {
		step := niceStep(v)
		if v/step > 5 {
			t.Errorf("niceStep(%v) = %v: more than 5 steps", v, step)
		}
	}
}
