package backoffice

import (
	"context"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/store"
)

// someVisits records a week of visits at three kiosks in two locations:
// each kiosk books, stops and times out in turn.
func (f *fixture) someVisits(t testing.TB) {
	t.Helper()
	outcomes := []domain.VisitOutcome{domain.VisitBooked, domain.VisitAbandoned, domain.VisitTimedOut, domain.VisitBooked, domain.VisitHelp}
	var visits []domain.Visit
	for day := range 7 {
		for i, device := range []string{"zuid-1", "zuid-2", "muide-1"} {
			o := outcomes[(day+i)%len(outcomes)]
			v := domain.Visit{ID: fmt.Sprintf("v%d-%d", day, i), Device: device, Location: map[bool]string{true: "Digipunt Muide", false: "Administratief Centrum Zuid"}[device == "muide-1"],
				Start: monday.AddDate(0, 0, day-6).Add(time.Duration(2+i) * time.Hour), Duration: time.Duration(3+i) * time.Minute,
				Language: []string{"nl", "ar", "tr"}[i], Theme: "energie", Outcome: o, LastScreen: "contact", Score: 1 + (day+i)%5,
				LargerText: i == 1}
			if o == domain.VisitBooked {
				v.ToBook = time.Duration(2+i) * time.Minute
				v.LastScreen = "done"
			}
			visits = append(visits, v)
		}
	}
	if _, _, err := f.store.RecordVisitsCounted(visits); err != nil {
		t.Fatal(err)
	}
}

// Management sees the week's figures over all kiosks: the summary, where
// visitors stopped, the charts drawn on the server, and the CSV exports.
func TestFiguresPage(t *testing.T) {
	f := newFixture(t)
	f.someVisits(t)
	mgmt := f.signIn(t, "management")
	res, body := mgmt.get("/staff/figures?from=2026-11-17&to=2026-11-23")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("figures: %d", res.StatusCode)
	}
	for _, want := range []string{"<td>21</td>", "Gegevens", "Mediane tijd tot de afspraak", "Bezoeken per taal", `src="data:image/svg&#43;xml;base64,`} {
		if !strings.Contains(body, want) {
			t.Errorf("the figures page lacks %q", want)
		}
	}
	for _, kind := range []string{"days", "outcomes", "themes", "languages", "locations", "screens"} {
		res, svg := mgmt.get("/staff/figures/chart/" + kind + "?from=2026-11-17&to=2026-11-23")
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/svg+xml" {
			t.Errorf("chart %s: %d %s", kind, res.StatusCode, res.Header.Get("Content-Type"))
			continue
		}
		if err := wellFormed(svg); err != nil {
			t.Errorf("chart %s is not well-formed SVG: %v", kind, err)
		}
		if kind == "locations" && !strings.Contains(svg, "Digipunt Muide") {
			t.Errorf("the location chart does not name the locations")
		}
	}
	if res, _ := mgmt.get("/staff/figures/chart/nope"); res.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown chart answers %d", res.StatusCode)
	}
	_, rows := mgmt.get("/staff/figures/visits.csv?from=2026-11-17&to=2026-11-23")
	table, err := csv.NewReader(strings.NewReader(rows)).ReadAll()
	if err != nil || len(table) != 22 {
		t.Fatalf("visits CSV: %d rows, %v", len(table), err)
	}
	_, days := mgmt.get("/staff/figures/days.csv?from=2026-11-17&to=2026-11-23")
	if table, err := csv.NewReader(strings.NewReader(days)).ReadAll(); err != nil || len(table) != 8 {
		t.Errorf("days CSV: %d rows, %v", len(table), err)
	}
	// A period with the end before the start is turned round, and said so.
	if _, body := mgmt.get("/staff/figures?from=2026-11-23&to=2026-11-17"); !strings.Contains(body, "omgewisseld") || !strings.Contains(body, "<td>21</td>") {
		t.Errorf("a reversed period is not turned round")
	}
}

func wellFormed(s string) error {
	d := xml.NewDecoder(strings.NewReader(s))
	for {
		if _, err := d.Token(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}

// The research role sees the contacts of visitors who agreed to be asked,
// and each look and export is in the audit log.
func TestResearchContacts(t *testing.T) {
	f := newFixture(t)
	slots, _ := f.store.Slots(context.Background(), "energie", monday, 5)
	if _, err := f.store.Book(context.Background(), domain.BookingRequest{ServiceID: "energie", Start: slots[0].Start, Language: "tr", ConsentResearch: true,
		Contact: domain.Contact{Name: "Ayşe Yılmaz", Email: "ayse@example.be"}}); err != nil {
		t.Fatal(err)
	}
	f.book(t, "energie", "Bram") // no consent
	r := f.signIn(t, "research")
	_, body := r.get("/staff/research")
	if !strings.Contains(body, "Ayşe Yılmaz") || strings.Contains(body, "Bram") {
		t.Errorf("the research page shows the wrong people")
	}
	_, rows := r.get("/staff/research.csv")
	table, err := csv.NewReader(strings.NewReader(rows)).ReadAll()
	if err != nil || len(table) != 2 || table[1][4] != "ayse@example.be" {
		t.Fatalf("research CSV %v, %v", table, err)
	}
	audit, _ := f.store.Audit(monday.AddDate(0, 0, -1))
	var seen []string
	for _, e := range audit {
		if e.Who == "research:research" {
			seen = append(seen, e.Action)
		}
	}
	if strings.Join(seen, ",") != "sign-in,"+store.AuditResearchRead+","+store.AuditResearchRead+","+store.AuditResearchCSV { // signIn opened the page once too
		t.Errorf("audit of the research role: %v", seen)
	}
}
