package kiosk

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"

	"github.com/digitalebalie/balie/app/city"
)

// The city's colours replace the kiosk's own for the main buttons, in
// both palettes.
func TestBrandColoursReplacePrimary(t *testing.T) {
	mechelen := city.MustLoad("mechelen")
	b := mechelen.Colours
	if got := newTheme(look{}, b).Color("primary", 0); got != mechelen.Colours.Primary.NRGBA {
		t.Errorf("primary %v, want Mechelen's %v", got, mechelen.Colours.Primary)
	}
	if got := newTheme(look{contrast: true}, b).Color("primary", 0); got != mechelen.Colours.ContrastPrimary.NRGBA {
		t.Errorf("high-contrast primary %v, want %v", got, mechelen.Colours.ContrastPrimary)
	}
	if got := newTheme(look{}, city.Colours{}).Color("primary", 0); got != normalColours.primary {
		t.Errorf("without a brand primary %v, want the kiosk's own", got)
	}
}

// contrast is WCAG 2's contrast ratio, as the city file checks it.
func contrast(a, b color.NRGBA) float64 { return city.Contrast(a, b) }

// colourPair is a colour drawn on another, and what it is.
type colourPair struct {
	what   string
	fg, bg color.NRGBA
}

// reaches checks, in both palettes, the kiosk's own and with each
// built-in city's colours, that every pair has at least least:1.
func reaches(t *testing.T, least float64, pairs func(p palette) []colourPair) {
	t.Helper()
	palettes := map[string]palette{"normal": normalColours, "high contrast": highContrast}
	for _, id := range city.Builtin() {
		b := city.MustLoad(id).Colours
		palettes[id+" normal"], palettes[id+" high contrast"] = withBrand(normalColours, b, false), withBrand(highContrast, b, true)
	}
	for name, p := range palettes {
		for _, pr := range pairs(p) {
			if c := contrast(pr.fg, pr.bg); c < least {
				t.Errorf("%s: %s has %.2f:1, want at least %g:1", name, pr.what, c, least)
			}
		}
	}
}

// Every text the kiosk draws has at least 7:1 against what it is drawn on,
// in both palettes (WCAG 2.2 AAA; the issue asks 7:1 for high contrast).
func TestPalettesReachSevenToOne(t *testing.T) {
	reaches(t, 7, func(p palette) []colourPair {
		return []colourPair{
			{"text", p.text, p.background},
			{"Dutch line and placeholders", p.quiet, p.background},
			{"error", p.error, p.background},
			{"text on a button", p.text, p.button},
			{"text on the primary button", p.onPrimary, p.primary},
			{"booking code and step dots", p.primary, p.background},
			{"practice banner", p.bannerText, p.practice},
			{"confirmation banner", p.bannerText, p.confirm},
			{"focus ring on the page", p.focus, p.background},
		}
	})
	if c := contrast(color.NRGBA{A: 255}, color.NRGBA{R: 255, G: 255, B: 255, A: 255}); math.Abs(c-21) > 0.01 {
		t.Fatalf("black on white = %.2f, want 21", c)
	}
}

// Every edge, border and icon that shows where a control is has at least
// 3:1 against what it stands on, in both palettes (WCAG 1.4.11).
func TestControlsReachThreeToOne(t *testing.T) {
	reaches(t, 3, func(p palette) []colourPair {
		return []colourPair{
			{"edge of a button or card on the page", p.edge, p.background},
			{"edge of a button or card against its fill", p.edge, p.button},
			{"field border on the page", p.quiet, p.background},
			{"icon on a button or card", p.text, p.button},
			{"icon on the page (step dots, theme icons)", p.primary, p.background},
			{"theme icon on its card", p.primary, p.button},
			{"primary button on the page", p.primary, p.background},
			{"focus ring on the page", p.focus, p.background},
		}
	})
}

// In a right-to-left grid the first card is on the right of the first row.
func TestMirroredGrid(t *testing.T) {
	a, b, c := canvas.NewRectangle(color.Black), canvas.NewRectangle(color.Black), canvas.NewRectangle(color.Black)
	grid := container.New(mirrored{layout.NewGridLayoutWithColumns(2)}, a, b, c)
	grid.Resize(fyne.NewSize(208, 100))
	if a.Position().X <= b.Position().X || c.Position().X != a.Position().X || c.Position().Y <= a.Position().Y {
		t.Fatalf("positions a=%v b=%v c=%v: want a right of b, c under a", a.Position(), b.Position(), c.Position())
	}
}
