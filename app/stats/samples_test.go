package stats

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Brussels without relying on the machine's zoneinfo

	"github.com/digitalebalie/balie/app/domain"
)

func brussels(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

var sampleThemes = map[string]string{
	"reispas":          "Reispas of identiteitskaart aanvragen",
	"kids-id":          "Kids-ID voor kinderen onder 12 jaar",
	"rijbewijs":        "Rijbewijs of internationaal rijbewijs",
	"adres":            "Adreswijziging en verhuis doorgeven",
	"huwelijk":         "Huwelijk of wettelijke samenwoning",
	"afval":            "Afvalkalender en recyclagepark",
	"bouw":             "Omgevingsvergunning voor bouwen of verbouwen",
	"parkeren":         "Bewonerskaart parkeren",
	"strafregister":    "Uittreksel uit het strafregister",
	"geboorte":         "Geboorteaangifte",
	"sociaal-huis":     "Sociaal huis: premies en tegemoetkomingen",
	"nationaliteit":    "Belgische nationaliteit aanvragen",
	"":                 "",
	"begraafplaatsen":  "Begraven en begraafplaatsen",
	"evenementen-zaal": "Evenementen en zaalverhuur",
}

var sampleLanguages = map[string]string{
	"nl": "Nederlands", "fr": "Frans", "en": "Engels", "ar": "Arabisch",
	"tr": "Turks", "uk": "Oekraïens", "pl": "Pools", "ro": "Roemeens",
}

var sampleScreens = map[string]string{
	"welcome": "Welkom", "language": "Taal kiezen", "theme": "Onderwerp kiezen",
	"slots": "Moment kiezen", "contact": "Contactgegevens", "confirm": "Bevestigen",
	"done": "Klaar", "video": "Videogesprek", "help": "Hulp",
}

func sampleLabels() Labels {
	return Labels{
		Theme:    func(id string) string { return sampleThemes[id] },
		Language: func(tag string) string { return sampleLanguages[tag] },
		Screen:   func(s string) string { return sampleScreens[s] },
	}
}

// pick chooses from keys with the given weights.
func pick[T any](r *rand.Rand, keys []T, weights []int) T {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := r.IntN(total)
	for i, w := range weights {
		if n < w {
			return keys[i]
		}
		n -= w
	}
	return keys[len(keys)-1]
}

// sampleVisits makes n plausible visits over the days from start, opening
// hours only, from three kiosks at two locations and one at a third.
func sampleVisits(n int, start time.Time, days int, seed uint64) []domain.Visit {
	r := rand.New(rand.NewPCG(seed, 1))
	devices := []string{"kiosk-stadhuis-1", "kiosk-stadhuis-2", "kiosk-zuid", "kiosk-bib"}
	places := map[string]string{
		"kiosk-stadhuis-1": "Stadhuis, Botermarkt 1",
		"kiosk-stadhuis-2": "Stadhuis, Botermarkt 1",
		"kiosk-zuid":       "Dienstencentrum Zuid",
		"kiosk-bib":        "Bibliotheek De Krook (inkomhal)",
	}
	themes := []string{"reispas", "kids-id", "rijbewijs", "adres", "huwelijk", "afval", "bouw",
		"parkeren", "strafregister", "geboorte", "sociaal-huis", "nationaliteit", "", "begraafplaatsen", "evenementen-zaal"}
	themeW := []int{30, 10, 14, 16, 4, 8, 3, 9, 6, 3, 5, 2, 6, 1, 1}
	langs := []string{"nl", "fr", "en", "ar", "tr", "uk", "pl", "ro"}
	langW := []int{70, 8, 7, 5, 4, 3, 2, 1}
	outcomes := domain.VisitOutcomes
	outW := []int{55, 8, 7, 20, 10}
	stopAt := []string{"language", "theme", "slots", "contact", "confirm", "welcome"}
	stopW := []int{5, 20, 25, 30, 12, 8}

	out := make([]domain.Visit, n)
	for i := range out {
		day := start.AddDate(0, 0, r.IntN(days))
		for day.Weekday() == time.Sunday { // closed on Sundays
			day = start.AddDate(0, 0, r.IntN(days))
		}
		at := time.Date(day.Year(), day.Month(), day.Day(), 8+r.IntN(10), r.IntN(60), r.IntN(60), 0, start.Location())
		dev := devices[pick(r, []int{0, 1, 2, 3}, []int{35, 25, 25, 15})]
		v := domain.Visit{
			ID: fmt.Sprintf("v%06d", i), Device: dev, Location: places[dev], Start: at,
			Duration: time.Duration(40+r.IntN(400)) * time.Second,
			Language: pick(r, langs, langW), Theme: pick(r, themes, themeW),
			Outcome:    pick(r, outcomes, outW),
			LargerText: r.IntN(12) == 0, Contrast: r.IntN(30) == 0, ReadAloud: r.IntN(20) == 0,
		}
		switch v.Outcome {
		case domain.VisitBooked:
			v.LastScreen = "done"
			v.ToBook = time.Duration(float64(v.Duration) * (0.6 + 0.3*r.Float64()))
			v.Assisted = r.IntN(10) == 0
		case domain.VisitJoined:
			v.LastScreen = "video"
		case domain.VisitHelp:
			v.LastScreen = "help"
		default:
			v.LastScreen = pick(r, stopAt, stopW)
		}
		if r.IntN(3) == 0 {
			v.Score = pick(r, []int{1, 2, 3, 4, 5}, []int{3, 4, 10, 30, 40})
		}
		out[i] = v
	}
	return out
}

// TestWriteSamples writes the charts for a made-up month (and a quarter, a
// day and an empty period) to the folder in BALIE_STATS_SAMPLES, to look at
// after a change:
//
//	BALIE_STATS_SAMPLES=/tmp/stats-charts go test -run TestWriteSamples ./app/stats
//	for f in /tmp/stats-charts/*.svg; do rsvg-convert "$f" -o "${f%.svg}.png"; done
//
// rsvg-convert is in Debian's librsvg2-bin; with fonts-liberation2 too the
// PNGs use Arial's widths, as most browsers will.
func TestWriteSamples(t *testing.T) {
	dir := os.Getenv("BALIE_STATS_SAMPLES")
	if dir == "" {
		t.Skip("set BALIE_STATS_SAMPLES=DIR to write sample charts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	loc := brussels(t)
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, loc)
	to := from.AddDate(0, 1, 0)
	visits := sampleVisits(2000, from, 31, 7)
	r := Summarize(visits, from, to, loc)
	l := sampleLabels()
	empty := Summarize(nil, from, to, loc)

	write := func(name string, b []byte, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := DayChart(r, l)
	write("days.svg", b, err)
	b, err = OutcomeChart(r, l)
	write("outcomes.svg", b, err)
	b, err = ScreenChart(r, l)
	write("screens.svg", b, err)
	b, err = BarChart("Bezoeken per onderwerp", r.ByTheme, l.Theme)
	write("themes.svg", b, err)
	b, err = BarChart("Bezoeken per taal", r.ByLanguage, l.Language)
	write("languages.svg", b, err)
	b, err = BarChart("Bezoeken per locatie", r.ByLocation, nil)
	write("locations.svg", b, err)
	// A quarter and a single day, to see how the day axis copes.
	qTo := from.AddDate(0, 3, 0)
	b, err = DayChart(Summarize(sampleVisits(6000, from, 92, 8), from, qTo, loc), l)
	write("quarter-days.svg", b, err)
	dTo := from.AddDate(0, 0, 2)
	b, err = DayChart(Summarize(visits, from.AddDate(0, 0, 1), dTo, loc), l)
	write("one-day.svg", b, err)
	b, err = DayChart(empty, l)
	write("empty-days.svg", b, err)
	b, err = BarChart("Bezoeken per onderwerp", empty.ByTheme, l.Theme)
	write("empty-themes.svg", b, err)
}
