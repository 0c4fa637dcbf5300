package stats

import (
	"fmt"

	"github.com/go-analyze/charts"

	"github.com/digitalebalie/balie/app/domain"
)

// DayChart shows the visits per day, stacked per outcome.
func DayChart(r Report, labels Labels) ([]byte, error) {
	const name = "Bezoeken per dag"
	if r.Visits == 0 || len(r.ByDay) == 0 {
		return noData(name)
	}
	values := make([][]float64, len(domain.VisitOutcomes))
	names := make([]string, len(domain.VisitOutcomes))
	for i, o := range domain.VisitOutcomes {
		names[i] = labels.outcome(o)
		values[i] = make([]float64, len(r.ByDay))
	}
	most := 0
	for d, day := range r.ByDay {
		most = max(most, day.Visits)
		for i, oc := range day.ByOutcome {
			if i < len(values) {
				values[i][d] = float64(oc.Visits)
			}
		}
	}
	opt := charts.NewBarChartOptionWithData(values)
	opt.Theme = outcomeTheme()
	opt.Title = heading(name, period(r)+" · "+number(r.Visits)+" bezoeken")
	opt.Legend = bottomLegend(names...)
	opt.StackSeries = charts.Ptr(true)
	// One label per day, many of them empty: the library would otherwise
	// pick its own and always add the last, which can collide.
	days := dayLabels(r.ByDay)
	opt.CategoryAxis = charts.CategoryAxisOption{Labels: days, LabelFontStyle: labelFont,
		LabelCount: len(days)}
	opt.ValueAxis = []charts.ValueAxisOption{valueAxis(float64(most))}
	if n := float64(len(days)); n*maxBar < 0.7*chartWidth {
		opt.BarSize = n * maxBar / chartWidth // a few days are not one slab
	}
	opt.Padding = outcomePadding
	return render(chartWidth, chartHeight, func(p *charts.Painter) error { return p.BarChart(opt) })
}

// BarChart shows rows as horizontal bars, visits beside bookings, with the
// keys named by labels (nil shows the keys). Long names fit better across.
func BarChart(title string, rows []Count, labels func(string) string) ([]byte, error) {
	if len(rows) == 0 {
		return noData(title)
	}
	n := len(rows)
	names := make([]string, n)
	visits := make([]float64, n)
	booked := make([]float64, n)
	total, most := 0, 0
	for i, c := range rows {
		// The library draws the first category at the bottom; reverse so
		// the first row, the biggest, is read first.
		j := n - 1 - i
		names[j] = shorten(label(labels, c.Key))
		visits[j] = float64(c.Visits)
		booked[j] = float64(c.Booked)
		total += c.Visits
		most = max(most, c.Visits, c.Booked)
	}
	return horizontalBars(heading(title, number(total)+" bezoeken"), names,
		[][]float64{visits, booked}, float64(most),
		bottomLegend("Bezoeken", "Waarvan afspraak gemaakt"), colorBlue, colorGreen)
}

// horizontalBars draws one group of bars per name, its height growing
// with the names, each bar with its value at its end.
func horizontalBars(title charts.TitleOption, names []string, values [][]float64, most float64,
	legend charts.LegendOption, colors ...charts.Color) ([]byte, error) {
	opt := charts.NewBarChartOptionWithData(values)
	opt.Horizontal = true
	opt.Theme = theme(colors...)
	opt.Title = title
	opt.Legend = legend
	opt.CategoryAxis = charts.CategoryAxisOption{Labels: names, LabelFontStyle: labelFont}
	// Headroom past the longest bar for its value label.
	opt.ValueAxis = []charts.ValueAxisOption{valueAxis(most * 1.1)}
	opt.SeriesLabelPosition = charts.PositionRight
	for i := range opt.SeriesList {
		opt.SeriesList[i].Label = charts.SeriesLabel{Show: charts.Ptr(true), FontStyle: labelFont,
			ValueFormatter: axisNumber}
	}
	opt.Padding = padding
	h := barsHeight(len(names))
	return render(chartWidth, h, func(p *charts.Painter) error { return p.BarChart(opt) })
}

// OutcomeChart shows how the visits ended, one coloured slice per outcome.
func OutcomeChart(r Report, labels Labels) ([]byte, error) {
	const name = "Afloop van de bezoeken"
	if r.Visits == 0 {
		return noData(name)
	}
	values := make([]float64, len(r.ByOutcome))
	names := make([]string, len(r.ByOutcome))
	for i, oc := range r.ByOutcome {
		values[i] = float64(oc.Visits)
		names[i] = labels.outcome(oc.Outcome)
	}
	opt := charts.NewPieChartOptionWithData(values)
	opt.Theme = outcomeTheme()
	opt.Title = heading(name, period(r)+" · "+number(r.Visits)+" bezoeken")
	opt.Legend = bottomLegend(names...)
	total := float64(r.Visits)
	for i := range opt.SeriesList {
		opt.SeriesList[i].Label = charts.SeriesLabel{Show: charts.Ptr(true), FontStyle: labelFont,
			LabelFormatter: func(_ int, name string, v float64) (string, *charts.LabelStyle) {
				if v == 0 {
					return "", nil // no label pointing at a slice that is not there
				}
				return fmt.Sprintf("%s: %s (%s)", name, number(int(v)), percent(v/total)), nil
			}}
	}
	opt.Padding = outcomePadding
	return render(chartWidth, chartHeight, func(p *charts.Painter) error { return p.PieChart(opt) })
}

// ScreenChart shows on which screens visitors stopped or timed out.
func ScreenChart(r Report, labels Labels) ([]byte, error) {
	const name = "Waar bezoekers afhaakten"
	if len(r.Abandonment) == 0 || r.Visits == 0 {
		return noData(name)
	}
	n := len(r.Abandonment)
	names := make([]string, n)
	abandoned := make([]float64, n)
	timedOut := make([]float64, n)
	stopped, most := 0, 0
	for i, s := range r.Abandonment {
		j := n - 1 - i // biggest on top, as in BarChart
		names[j] = shorten(label(labels.Screen, s.Screen))
		abandoned[j] = float64(s.Abandoned)
		timedOut[j] = float64(s.TimedOut)
		stopped += s.Stopped
		most = max(most, s.Abandoned, s.TimedOut)
	}
	sub := number(stopped) + " van de " + number(r.Visits) + " bezoeken (" +
		percent(float64(stopped)/float64(r.Visits)) + "), per laatste scherm"
	return horizontalBars(heading(name, sub), names, [][]float64{abandoned, timedOut}, float64(most),
		bottomLegend(labels.outcome(domain.VisitAbandoned), labels.outcome(domain.VisitTimedOut)),
		colorRed, colorGrey)
}
