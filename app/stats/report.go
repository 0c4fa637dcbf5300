// Package stats turns the kiosks' anonymous visit records into the city's
// figures: counts, medians, drop-off per screen, CSV exports and charts.
package stats

import (
	"cmp"
	"slices"
	"time"

	"github.com/digitalebalie/balie/app/domain"
)

// Report is the figures for one period. The gateway serves it as JSON, so
// durations are also given in whole seconds.
type Report struct {
	From   time.Time `json:"from"`
	To     time.Time `json:"to"`
	Visits int       `json:"visits"`
	// ByOutcome has every outcome, in domain.VisitOutcomes order, even at 0.
	ByOutcome []OutcomeCount `json:"byOutcome"`
	// ByDay has one row per calendar day, days without visits included.
	ByDay      []DayCount `json:"byDay"`
	ByTheme    []Count    `json:"byTheme"`
	ByLanguage []Count    `json:"byLanguage"`
	ByLocation []Count    `json:"byLocation"`

	// MedianToBook is over booked visits that measured it (ToBook > 0);
	// ToBookCount says how many, since a median of three says little.
	MedianToBook          time.Duration `json:"-"`
	MedianToBookSeconds   int           `json:"medianToBookSeconds"`
	ToBookCount           int           `json:"toBookCount"`
	MedianDuration        time.Duration `json:"-"`
	MedianDurationSeconds int           `json:"medianDurationSeconds"`

	// Abandonment lists the screens where visits stopped or timed out.
	Abandonment []ScreenCount `json:"abandonment"`

	Assisted   int `json:"assisted"`
	LargerText int `json:"largerText"`
	Contrast   int `json:"contrast"`
	ReadAloud  int `json:"readAloud"`

	Scores Scores `json:"scores"`
}

// OutcomeCount is how many visits ended one way.
type OutcomeCount struct {
	Outcome domain.VisitOutcome `json:"outcome"`
	Visits  int                 `json:"visits"`
}

// DayCount is one calendar day's visits, per outcome in domain.VisitOutcomes
// order.
type DayCount struct {
	Date      string         `json:"date"` // 2006-01-02 in the report's zone
	Visits    int            `json:"visits"`
	ByOutcome []OutcomeCount `json:"byOutcome"`
}

// Count is the visits for one theme, language or location.
type Count struct {
	Key    string `json:"key"` // empty when the visit had none
	Visits int    `json:"visits"`
	Booked int    `json:"booked"`
}

// ScreenCount is how many visits were stopped or timed out on one screen.
type ScreenCount struct {
	Screen    string `json:"screen"`
	Abandoned int    `json:"abandoned"`
	TimedOut  int    `json:"timedOut"`
	Stopped   int    `json:"stopped"` // Abandoned + TimedOut
	// Ended is every visit whose last screen this was, whatever the outcome.
	Ended int `json:"ended"`
	// ShareOfVisits is Stopped over all visits in the period: the drop-off.
	ShareOfVisits float64 `json:"shareOfVisits"`
	// ShareOfEnded is Stopped over Ended: how often ending here meant giving up.
	ShareOfEnded float64 `json:"shareOfEnded"`
}

// Scores is the visitors' ratings; a visit without a rating is not counted.
type Scores struct {
	Counts [5]int  `json:"counts"` // Counts[0] is score 1, Counts[4] score 5
	Rated  int     `json:"rated"`
	Mean   float64 `json:"mean"` // 0 when none rated
}

// Summarize makes the report of the visits with from <= Start < to. Days
// are calendar days in loc (UTC when nil), so a DST day counts as one day.
// It makes a row for every day of the period: callers that take the period
// from a request should bound it.
func Summarize(visits []domain.Visit, from, to time.Time, loc *time.Location) Report {
	if loc == nil {
		loc = time.UTC
	}
	r := Report{From: from, To: to, ByOutcome: outcomeRow()}
	days := dayRows(from, to, loc)
	first := civilDay(from.In(loc))

	themes := map[string]*Count{}
	langs := map[string]*Count{}
	places := map[string]*Count{}
	screens := map[string]*ScreenCount{}
	var toBook []time.Duration
	durations := make([]time.Duration, 0, len(visits)) // one per visit at most
	scoreSum := 0

	for i := range visits {
		v := &visits[i]
		if v.Start.Before(from) || !v.Start.Before(to) {
			continue
		}
		r.Visits++
		booked := v.Outcome == domain.VisitBooked
		oi := outcomeIndex(v.Outcome)
		if oi >= 0 {
			r.ByOutcome[oi].Visits++
		}
		if d := civilDay(v.Start.In(loc)) - first; d >= 0 && d < len(days) {
			days[d].Visits++
			if oi >= 0 {
				days[d].ByOutcome[oi].Visits++
			}
		}
		tally(themes, v.Theme, booked)
		tally(langs, v.Language, booked)
		tally(places, v.Location, booked)

		durations = append(durations, v.Duration)
		if booked && v.ToBook > 0 {
			toBook = append(toBook, v.ToBook)
		}

		s := screens[v.LastScreen]
		if s == nil {
			s = &ScreenCount{Screen: v.LastScreen}
			screens[v.LastScreen] = s
		}
		s.Ended++
		switch v.Outcome {
		case domain.VisitAbandoned:
			s.Abandoned++
		case domain.VisitTimedOut:
			s.TimedOut++
		}

		if v.Assisted {
			r.Assisted++
		}
		if v.LargerText {
			r.LargerText++
		}
		if v.Contrast {
			r.Contrast++
		}
		if v.ReadAloud {
			r.ReadAloud++
		}
		if v.Score >= 1 && v.Score <= 5 {
			r.Scores.Counts[v.Score-1]++
			r.Scores.Rated++
			scoreSum += v.Score
		}
	}

	r.ByDay = days
	r.ByTheme = sortedCounts(themes)
	r.ByLanguage = sortedCounts(langs)
	r.ByLocation = sortedCounts(places)
	r.Abandonment = abandonment(screens, r.Visits)
	r.MedianToBook, _ = medianInPlace(toBook)
	r.ToBookCount = len(toBook)
	r.MedianToBookSeconds = seconds(r.MedianToBook)
	r.MedianDuration, _ = medianInPlace(durations)
	r.MedianDurationSeconds = seconds(r.MedianDuration)
	if r.Scores.Rated > 0 {
		r.Scores.Mean = float64(scoreSum) / float64(r.Scores.Rated)
	}
	return r
}

func outcomeRow() []OutcomeCount {
	row := make([]OutcomeCount, len(domain.VisitOutcomes))
	for i, o := range domain.VisitOutcomes {
		row[i].Outcome = o
	}
	return row
}

// outcomeIndex is -1 for an outcome the domain does not know: such a visit
// still counts in the total, but in no outcome column.
func outcomeIndex(o domain.VisitOutcome) int {
	return slices.Index(domain.VisitOutcomes, o)
}

// dayRows makes a row for each calendar day in loc that [from, to) touches.
func dayRows(from, to time.Time, loc *time.Location) []DayCount {
	rows := []DayCount{} // [] not null in JSON, even for an empty period
	if !from.Before(to) {
		return rows
	}
	f := from.In(loc)
	for i := 0; ; i++ {
		// time.Date normalises day overflow and finds local midnight across
		// DST, where adding 24h would drift.
		day := time.Date(f.Year(), f.Month(), f.Day()+i, 0, 0, 0, 0, loc)
		if !day.Before(to) {
			break
		}
		rows = append(rows, DayCount{Date: day.Format(time.DateOnly), ByOutcome: outcomeRow()})
	}
	return rows
}

// civilDay numbers a calendar date, one apart per day whatever the zone's
// day length.
func civilDay(t time.Time) int {
	y, m, d := t.Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func tally(m map[string]*Count, key string, booked bool) {
	c := m[key]
	if c == nil {
		c = &Count{Key: key}
		m[key] = c
	}
	c.Visits++
	if booked {
		c.Booked++
	}
}

func sortedCounts(m map[string]*Count) []Count {
	out := make([]Count, 0, len(m))
	for _, c := range m {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b Count) int {
		return cmp.Or(cmp.Compare(b.Visits, a.Visits), cmp.Compare(a.Key, b.Key))
	})
	return out
}

func abandonment(m map[string]*ScreenCount, visits int) []ScreenCount {
	out := []ScreenCount{}
	for _, s := range m {
		s.Stopped = s.Abandoned + s.TimedOut
		if s.Stopped == 0 {
			continue
		}
		s.ShareOfVisits = float64(s.Stopped) / float64(visits)
		s.ShareOfEnded = float64(s.Stopped) / float64(s.Ended)
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b ScreenCount) int {
		return cmp.Or(cmp.Compare(b.Stopped, a.Stopped), cmp.Compare(a.Screen, b.Screen))
	})
	return out
}

func seconds(d time.Duration) int {
	return int(d.Round(time.Second) / time.Second)
}
