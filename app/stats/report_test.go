package stats

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/domain"
)

// at is a local time in loc.
func at(loc *time.Location, y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, loc)
}

func TestSummarizeDaysAndBounds(t *testing.T) {
	loc := brussels(t)
	v := func(start time.Time, o domain.VisitOutcome) domain.Visit {
		return domain.Visit{Device: "k1", Start: start, Outcome: o}
	}
	tests := []struct {
		name     string
		from, to time.Time
		visits   []domain.Visit
		want     int      // visits counted
		wantDays []string // "date count" per row
	}{{
		// 29 March 2026: clocks go from 02:00 to 03:00.
		name: "spring forward, bounds, empty day",
		from: at(loc, 2026, 3, 28, 0, 0), to: at(loc, 2026, 4, 1, 0, 0),
		visits: []domain.Visit{
			v(at(loc, 2026, 3, 28, 0, 0), domain.VisitBooked),                     // exactly at from: in
			v(at(loc, 2026, 3, 28, 0, 0).Add(-time.Nanosecond), domain.VisitHelp), // before from: out
			v(at(loc, 2026, 3, 29, 1, 59), domain.VisitAbandoned),                 // before the jump
			v(at(loc, 2026, 3, 29, 3, 0), domain.VisitTimedOut),                   // after the jump
			v(at(loc, 2026, 3, 29, 23, 30), domain.VisitJoined),                   // 21:30 UTC
			v(at(loc, 2026, 3, 30, 0, 30), domain.VisitHelp),                      // 22:30 UTC on the 29th
			v(at(loc, 2026, 4, 1, 0, 0), domain.VisitBooked),                      // exactly at to: out
		},
		want:     5,
		wantDays: []string{"2026-03-28 1", "2026-03-29 3", "2026-03-30 1", "2026-03-31 0"},
	}, {
		// 25 October 2026: 02:00–03:00 happens twice; the day has 25 hours.
		name: "fall back",
		from: at(loc, 2026, 10, 24, 0, 0), to: at(loc, 2026, 10, 27, 0, 0),
		visits: []domain.Visit{
			v(time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), domain.VisitBooked), // 02:30 CEST
			v(time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC), domain.VisitBooked), // 02:30 CET
			v(at(loc, 2026, 10, 25, 23, 59), domain.VisitBooked),
			v(at(loc, 2026, 10, 26, 0, 0), domain.VisitBooked),
		},
		want:     4,
		wantDays: []string{"2026-10-24 0", "2026-10-25 3", "2026-10-26 1"},
	}, {
		name: "to not at midnight still gets its day",
		from: at(loc, 2026, 5, 1, 12, 0), to: at(loc, 2026, 5, 2, 9, 0),
		visits: []domain.Visit{
			v(at(loc, 2026, 5, 1, 11, 0), domain.VisitBooked), // same day, before from: out
			v(at(loc, 2026, 5, 2, 8, 59), domain.VisitBooked),
		},
		want:     1,
		wantDays: []string{"2026-05-01 0", "2026-05-02 1"},
	}, {
		name: "empty period",
		from: at(loc, 2026, 5, 1, 0, 0), to: at(loc, 2026, 5, 1, 0, 0),
		visits: []domain.Visit{v(at(loc, 2026, 5, 1, 0, 0), domain.VisitBooked)},
		want:   0, wantDays: []string{},
	}, {
		name: "to before from",
		from: at(loc, 2026, 5, 1, 12, 0), to: at(loc, 2026, 5, 1, 10, 0),
		visits: []domain.Visit{v(at(loc, 2026, 5, 1, 11, 0), domain.VisitBooked)},
		want:   0, wantDays: []string{},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Summarize(tt.visits, tt.from, tt.to, loc)
			if r.Visits != tt.want {
				t.Errorf("Visits = %d, want %d", r.Visits, tt.want)
			}
			got := []string{}
			sum := 0
			for _, d := range r.ByDay {
				got = append(got, d.Date+" "+itoa(d.Visits))
				per := 0
				for _, oc := range d.ByOutcome {
					per += oc.Visits
				}
				if per != d.Visits {
					t.Errorf("%s: outcomes add up to %d, visits %d", d.Date, per, d.Visits)
				}
				sum += d.Visits
			}
			if strings.Join(got, ", ") != strings.Join(tt.wantDays, ", ") {
				t.Errorf("days = %v, want %v", got, tt.wantDays)
			}
			if sum != r.Visits {
				t.Errorf("days add up to %d, want %d", sum, r.Visits)
			}
		})
	}
}

// fleet is a week of visits at three kiosks in two locations.
func fleet(loc *time.Location) []domain.Visit {
	day := func(d, h int) time.Time { return at(loc, 2026, 3, d, h, 0) }
	return []domain.Visit{
		{Device: "k1", Location: "Stadhuis", Start: day(2, 9), Duration: 100 * time.Second, ToBook: 60 * time.Second,
			Language: "nl", Theme: "reispas", Outcome: domain.VisitBooked, LastScreen: "done", Score: 5, LargerText: true},
		{Device: "k1", Location: "Stadhuis", Start: day(2, 10), Duration: 300 * time.Second, ToBook: 120 * time.Second,
			Language: "nl", Theme: "adres", Outcome: domain.VisitBooked, LastScreen: "done", Assisted: true, Score: 4},
		{Device: "k2", Location: "Stadhuis", Start: day(3, 11), Duration: 200 * time.Second, ToBook: 0,
			Language: "fr", Theme: "reispas", Outcome: domain.VisitBooked, LastScreen: "done"},
		{Device: "k2", Location: "Stadhuis", Start: day(3, 12), Duration: 50 * time.Second,
			Language: "fr", Theme: "reispas", Outcome: domain.VisitAbandoned, LastScreen: "contact", Contrast: true, Score: 1},
		{Device: "k3", Location: "Zuid", Start: day(4, 9), Duration: 90 * time.Second,
			Language: "en", Outcome: domain.VisitTimedOut, LastScreen: "contact", ReadAloud: true},
		{Device: "k3", Location: "Zuid", Start: day(5, 9), Duration: 40 * time.Second,
			Language: "nl", Theme: "adres", Outcome: domain.VisitAbandoned, LastScreen: "slots"},
		{Device: "k3", Location: "Zuid", Start: day(5, 10), Duration: 400 * time.Second,
			Language: "nl", Theme: "afval", Outcome: domain.VisitJoined, LastScreen: "video", LargerText: true},
		{Device: "k3", Location: "Zuid", Start: day(6, 14), Duration: 70 * time.Second,
			Language: "ar", Theme: "afval", Outcome: domain.VisitHelp, LastScreen: "contact", Score: 3},
	}
}

func TestSummarizeFleet(t *testing.T) {
	loc := brussels(t)
	r := Summarize(fleet(loc), at(loc, 2026, 3, 2, 0, 0), at(loc, 2026, 3, 9, 0, 0), loc)

	if r.Visits != 8 || len(r.ByDay) != 7 {
		t.Fatalf("visits %d, days %d", r.Visits, len(r.ByDay))
	}
	wantOutcomes := []OutcomeCount{{domain.VisitBooked, 3}, {domain.VisitJoined, 1}, {domain.VisitHelp, 1},
		{domain.VisitAbandoned, 2}, {domain.VisitTimedOut, 1}}
	if !equal(r.ByOutcome, wantOutcomes) {
		t.Errorf("ByOutcome = %v", r.ByOutcome)
	}
	countTests := []struct {
		name string
		got  []Count
		want []Count
	}{
		{"theme", r.ByTheme, []Count{{"reispas", 3, 2}, {"adres", 2, 1}, {"afval", 2, 0}, {"", 1, 0}}},
		{"language", r.ByLanguage, []Count{{"nl", 4, 2}, {"fr", 2, 1}, {"ar", 1, 0}, {"en", 1, 0}}},
		{"location", r.ByLocation, []Count{{"Stadhuis", 4, 3}, {"Zuid", 4, 0}}},
	}
	for _, tt := range countTests {
		if !equal(tt.got, tt.want) {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	// ToBook 0 on the third booking means not measured: median of 60 and 120.
	if r.MedianToBook != 90*time.Second || r.MedianToBookSeconds != 90 || r.ToBookCount != 2 {
		t.Errorf("to book: %v %d s over %d", r.MedianToBook, r.MedianToBookSeconds, r.ToBookCount)
	}
	// Durations 40 50 70 90 100 200 300 400: middle 90 and 100.
	if r.MedianDuration != 95*time.Second || r.MedianDurationSeconds != 95 {
		t.Errorf("duration: %v %d s", r.MedianDuration, r.MedianDurationSeconds)
	}
	if r.Assisted != 1 || r.LargerText != 2 || r.Contrast != 1 || r.ReadAloud != 1 {
		t.Errorf("aids: assisted %d larger %d contrast %d read %d", r.Assisted, r.LargerText, r.Contrast, r.ReadAloud)
	}
	if r.Scores.Counts != [5]int{1, 0, 1, 1, 1} || r.Scores.Rated != 4 || r.Scores.Mean != 3.25 {
		t.Errorf("scores = %+v", r.Scores)
	}
}

func TestAbandonment(t *testing.T) {
	loc := brussels(t)
	r := Summarize(fleet(loc), at(loc, 2026, 3, 2, 0, 0), at(loc, 2026, 3, 9, 0, 0), loc)
	want := []ScreenCount{
		// contact: 1 stopped, 1 timed out, and a help request ended there too.
		{Screen: "contact", Abandoned: 1, TimedOut: 1, Stopped: 2, Ended: 3, ShareOfVisits: 2.0 / 8, ShareOfEnded: 2.0 / 3},
		{Screen: "slots", Abandoned: 1, Stopped: 1, Ended: 1, ShareOfVisits: 1.0 / 8, ShareOfEnded: 1},
	}
	if !equal(r.Abandonment, want) {
		t.Errorf("Abandonment =\n%+v\nwant\n%+v", r.Abandonment, want)
	}
}

func TestSummarizeEmpty(t *testing.T) {
	loc := brussels(t)
	for _, visits := range [][]domain.Visit{nil, {}} {
		r := Summarize(visits, at(loc, 2026, 3, 1, 0, 0), at(loc, 2026, 3, 3, 0, 0), loc)
		if r.Visits != 0 || len(r.ByOutcome) != len(domain.VisitOutcomes) || len(r.ByDay) != 2 ||
			r.MedianToBook != 0 || r.ToBookCount != 0 || r.Scores.Mean != 0 {
			t.Errorf("empty report = %+v", r)
		}
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		// The gateway's clients expect lists, never null.
		if strings.Contains(string(b), "null") {
			t.Errorf("JSON has a null: %s", b)
		}
	}
}

func TestSummarizeNilZoneIsUTC(t *testing.T) {
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	vs := []domain.Visit{{Start: from.Add(23*time.Hour + 30*time.Minute), Outcome: domain.VisitBooked}}
	r := Summarize(vs, from, from.AddDate(0, 0, 2), nil)
	if len(r.ByDay) != 2 || r.ByDay[0].Date != "2026-03-01" || r.ByDay[0].Visits != 1 {
		t.Errorf("days = %+v", r.ByDay)
	}
}

func TestReportJSONNames(t *testing.T) {
	loc := brussels(t)
	r := Summarize(fleet(loc), at(loc, 2026, 3, 2, 0, 0), at(loc, 2026, 3, 9, 0, 0), loc)
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"byOutcome"`, `"byDay"`, `"byTheme"`, `"medianToBookSeconds":90`,
		`"toBookCount":2`, `"medianDurationSeconds":95`, `"abandonment"`, `"shareOfVisits"`, `"scores"`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("JSON lacks %s: %s", key, b)
		}
	}
}

func TestSummarizeUnknownOutcome(t *testing.T) {
	loc := brussels(t)
	vs := []domain.Visit{{Start: at(loc, 2026, 3, 2, 9, 0), Outcome: "exploded"}}
	r := Summarize(vs, at(loc, 2026, 3, 2, 0, 0), at(loc, 2026, 3, 3, 0, 0), loc)
	if r.Visits != 1 || r.ByDay[0].Visits != 1 {
		t.Errorf("unknown outcome not counted: %+v", r)
	}
	for _, oc := range r.ByOutcome {
		if oc.Visits != 0 {
			t.Errorf("unknown outcome counted as %s", oc.Outcome)
		}
	}
}

func equal[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func itoa(n int) string { return number(n) }

func BenchmarkSummarize(b *testing.B) {
	loc := brussels(b)
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, loc)
	to := from.AddDate(1, 0, 0)
	visits := sampleVisits(100_000, from, 365, 1)
	b.ReportAllocs()
	for b.Loop() {
		Summarize(visits, from, to, loc)
	}
}
