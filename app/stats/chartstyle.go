package stats

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/go-analyze/charts"

	"github.com/digitalebalie/balie/app/domain"
)

const (
	chartWidth  = 800
	chartHeight = 400
	// barRowHeight is the room per row of a horizontal bar chart, so names
	// stay readable however many themes or locations there are.
	barRowHeight = 34
	barChrome    = 130 // title, legend and value axis of a bar chart
)

// Colours from the Okabe–Ito palette, told apart with colour blindness too,
// each at least 3:1 against white for graphics (WCAG 1.4.11).
var (
	textColor  = charts.Color{R: 33, G: 33, B: 33, A: 255}
	axisColor  = charts.Color{R: 90, G: 90, B: 90, A: 255}
	gridColor  = charts.Color{R: 225, G: 225, B: 225, A: 255}
	colorGreen = charts.Color{R: 0, G: 158, B: 115, A: 255}   // booked
	colorBlue  = charts.Color{R: 0, G: 114, B: 178, A: 255}   // joined
	colorPink  = charts.Color{R: 204, G: 121, B: 167, A: 255} // help
	colorRed   = charts.Color{R: 213, G: 94, B: 0, A: 255}    // abandoned
	colorGrey  = charts.Color{R: 110, G: 110, B: 110, A: 255} // timed out
)

// outcomeColors keeps an outcome's colour the same in every chart.
var outcomeColors = map[domain.VisitOutcome]charts.Color{
	domain.VisitBooked:    colorGreen,
	domain.VisitJoined:    colorBlue,
	domain.VisitHelp:      colorPink,
	domain.VisitAbandoned: colorRed,
	domain.VisitTimedOut:  colorGrey,
}

func theme(series ...charts.Color) charts.ColorPalette {
	return charts.MakeTheme(charts.ThemeOption{
		AxisStrokeColor:    axisColor,
		AxisSplitLineColor: gridColor,
		BackgroundColor:    charts.ColorWhite,
		TextColor:          textColor,
		SeriesColors:       series,
	})
}

func outcomeTheme() charts.ColorPalette {
	cs := make([]charts.Color, len(domain.VisitOutcomes))
	for i, o := range domain.VisitOutcomes {
		cs[i] = outcomeColors[o]
	}
	return theme(cs...)
}

var (
	titleFont  = charts.NewFontStyleWithSize(16)
	subFont    = charts.NewFontStyleWithSize(12)
	labelFont  = charts.NewFontStyleWithSize(12)
	legendFont = charts.NewFontStyleWithSize(12)
)

// heading centres the title: the library centres a subtitle under it, so
// a left-aligned block would look off.
func heading(text, sub string) charts.TitleOption {
	return charts.TitleOption{Text: text, Subtext: sub, FontStyle: titleFont, SubtextFontStyle: subFont,
		Offset: charts.OffsetStr{Left: charts.PositionCenter}}
}

func bottomLegend(names ...string) charts.LegendOption {
	return charts.LegendOption{SeriesNames: names, FontStyle: legendFont,
		Offset: charts.OffsetStr{Left: charts.PositionCenter, Top: charts.PositionBottom}}
}

var (
	// padding leaves room on the right for the value at a bar's end.
	padding = charts.Box{Top: 16, Left: 16, Right: 40, Bottom: 12}
	// outcomePadding is narrower, so the five outcomes fit one legend row.
	outcomePadding = charts.Box{Top: 16, Left: 12, Right: 12, Bottom: 12}
)

const (
	maxBar     = 48 // px, the widest a day's bar gets
	labelSpace = 52 // px a day label needs
)

// dayLabels names each day, or every other day, or for three weeks and
// more the Mondays (every so many weeks), so that labels never touch. The
// last day stays bare then: the library pins its label to the right edge,
// where it would run into the one before.
func dayLabels(days []DayCount) []string {
	n := len(days)
	out := make([]string, n)
	every := max(1, (n*labelSpace+chartWidth-1)/chartWidth)
	// Three weeks or more read best by week, so every month looks alike.
	if every <= 2 && n < 21 {
		for i := 0; i < n; i += every {
			out[i] = shortDate(days[i].Date)
		}
		return out
	}
	weeks := max(1, (every+6)/7)
	mondays := 0
	for i, d := range days[:n-1] {
		t, err := time.Parse(time.DateOnly, d.Date)
		if err != nil || t.Weekday() != time.Monday {
			continue
		}
		if mondays%weeks == 0 {
			out[i] = shortDate(d.Date)
		}
		mondays++
	}
	return out
}

// barsHeight grows a horizontal bar chart with its rows.
func barsHeight(rows int) int {
	return max(chartHeight/2, barChrome+rows*barRowHeight)
}

// noData is an empty chart that says so, so a page never shows a broken
// image for a quiet period.
func noData(name string) ([]byte, error) {
	opt := charts.NewBarChartOptionWithSeries(nil)
	opt.Theme = theme(colorBlue)
	opt.Title = heading(name, "Geen bezoeken in deze periode")
	opt.ValueAxis = []charts.ValueAxisOption{{Show: charts.Ptr(false)}}
	opt.CategoryAxis.Show = charts.Ptr(false)
	opt.Padding = padding
	return render(chartWidth, chartHeight/2, func(p *charts.Painter) error { return p.BarChart(opt) })
}

// render draws on an SVG painter, then fixes two things the library leaves
// to the viewer: it sets only a viewBox, which an <img> without a width
// stretches, so the root gets its size; and it names only Roboto Medium,
// whose widths it measured, so viewers without it get fonts of the same
// widths (Arial and its look-alikes) rather than any sans-serif, whose
// wider letters would run labels into the bars.
func render(w, h int, draw func(*charts.Painter) error) ([]byte, error) {
	p := charts.NewPainter(charts.PainterOptions{OutputFormat: charts.ChartOutputSVG, Width: w, Height: h})
	if err := draw(p); err != nil {
		return nil, err
	}
	b, err := p.Bytes()
	if err != nil {
		return nil, err
	}
	size := fmt.Sprintf(`<svg width="%d" height="%d" `, w, h)
	b = bytes.Replace(b, []byte("<svg "), []byte(size), 1)
	return bytes.ReplaceAll(b, []byte(measuredFont), []byte(fontFallbacks)), nil
}

const (
	measuredFont  = "font-family:'Roboto Medium',sans-serif"
	fontFallbacks = "font-family:'Roboto Medium',Roboto,Arial,'Liberation Sans',Helvetica,sans-serif"
)

// maxLabel bounds a bar's name: the library keeps names on one line, and a
// longer one would squeeze the bars.
const maxLabel = 48

// shorten cuts a name to maxLabel runes at a word, marking the cut.
func shorten(s string) string {
	r := []rune(s)
	if len(r) <= maxLabel {
		return s
	}
	cut := maxLabel - 1
	for i := cut; i > maxLabel/2; i-- {
		if r[i] == ' ' {
			cut = i
			break
		}
	}
	return strings.TrimRight(string(r[:cut]), " ,;:-") + "…"
}

// valueAxis runs from 0 in round steps: the library's own choice for a
// horizontal axis can land on steps like 58 whose labels collide.
func valueAxis(maxValue float64) charts.ValueAxisOption {
	step := niceStep(maxValue)
	top := max(math.Ceil(maxValue/step), 1) * step
	return charts.ValueAxisOption{
		Min: charts.Ptr(0.0), Max: charts.Ptr(top), LabelCount: int(top/step) + 1,
		LabelFontStyle: labelFont, ValueFormatter: axisNumber,
	}
}

// niceStep is the smallest 1, 2 or 5 times a power of ten that splits
// 0..maxValue in at most 5 steps: more crowd the axis' last label, which
// the library pins to the edge.
func niceStep(maxValue float64) float64 {
	if !(maxValue > 0) || math.IsInf(maxValue, 0) {
		return 1
	}
	for mag := 1.0; ; mag *= 10 {
		for _, m := range []float64{1, 2, 5} {
			if step := m * mag; maxValue/step <= 5 {
				return step
			}
		}
	}
}
