package kiosk

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/digitalebalie/balie/app/city"
	"github.com/digitalebalie/balie/assets"
)

// kioskTheme embeds Fyne's default light theme and overrides only sizes,
// colours and fonts: large text and strong contrast. Targets get their 64 px
// height from the layouts in widgets.go.
type kioskTheme struct {
	fyne.Theme
	look
	brand city.Colours
}

// withBrand puts the city's colours for the main buttons and their text
// into p, the normal palette or the high-contrast one; the city file has
// checked their contrast. Colours it leaves out keep the kiosk's own.
func withBrand(p palette, b city.Colours, contrast bool) palette {
	primary, on := b.Primary, b.OnPrimary
	if contrast {
		primary, on = b.ContrastPrimary, b.ContrastOnPrimary
	}
	if primary.A != 0 && on.A != 0 {
		p.primary, p.onPrimary = primary.NRGBA, on.NRGBA
	}
	return p
}

// look is what a visitor can change, plus the script: the theme is rebuilt
// when any of it changes, and the session's end puts it back.
type look struct {
	scale float32 // text size multiplier: 1 is the default
	// arabic makes the bundled Noto Sans Arabic UI the first font, for Arabic,
	// Dari and Pashto: buttons and fields then need no system font, and
	// Latin letters still come from Fyne's own font behind it.
	arabic bool
	// contrast is the high-contrast palette: white and yellow on black.
	contrast bool
}

func newTheme(l look, b city.Colours) *kioskTheme {
	if l.scale <= 0 {
		l.scale = 1
	}
	return &kioskTheme{Theme: theme.DefaultTheme(), look: l, brand: b}
}

// TextSteps are the text sizes the visitor can choose, up to 200%.
var TextSteps = []float32{1, 1.3, 1.6, 2}

func (t *kioskTheme) Font(style fyne.TextStyle) fyne.Resource {
	if t.arabic && !style.Monospace && !style.Symbol {
		return assets.ArabicFont(style.Bold)
	}
	return t.Theme.Font(style)
}

// palette is one set of colours; every text colour has at least 7:1
// against the background it is drawn on (WCAG AAA), and every edge, border
// and icon at least 3:1 (WCAG 1.4.11), which tests check.
type palette struct {
	background, text, quiet, primary, onPrimary, button, error, practice, confirm, bannerText, focus color.NRGBA
	// edge outlines buttons and cards, whose fill alone is too close to
	// the page to show where they are.
	edge color.NRGBA
}

// Colours: the city's dark blue for primary actions and near-black text on
// white; in high contrast, white text and yellow actions on black.
var (
	normalColours = palette{
		background: color.NRGBA{R: 0xFF, G: 0xFF, B: 0xFF, A: 0xFF},
		text:       color.NRGBA{R: 0x1A, G: 0x1A, B: 0x1A, A: 0xFF},
		// quiet is for secondary text (the Dutch line, placeholders,
		// disabled buttons) and input borders: 7:1 on white, where Fyne's
		// default greys are under 3:1.
		quiet:      color.NRGBA{R: 0x55, G: 0x55, B: 0x55, A: 0xFF},
		primary:    color.NRGBA{R: 0x1F, G: 0x4E, B: 0x8C, A: 0xFF},
		onPrimary:  color.NRGBA{R: 0xFF, G: 0xFF, B: 0xFF, A: 0xFF},
		button:     color.NRGBA{R: 0xF2, G: 0xF2, B: 0xF2, A: 0xFF},
		error:      color.NRGBA{R: 0xB0, G: 0x00, B: 0x20, A: 0xFF},
		practice:   color.NRGBA{R: 0xFF, G: 0xD3, B: 0x4D, A: 0xFF},
		confirm:    color.NRGBA{R: 0xD7, G: 0xF0, B: 0xDD, A: 0xFF}, // pale green behind dark text
		bannerText: color.NRGBA{R: 0x1A, G: 0x1A, B: 0x1A, A: 0xFF},
		focus:      color.NRGBA{R: 0x00, G: 0x00, B: 0x00, A: 0xFF},
		edge:       color.NRGBA{R: 0x76, G: 0x76, B: 0x76, A: 0xFF},
	}
	highContrast = palette{
		background: color.NRGBA{R: 0x00, G: 0x00, B: 0x00, A: 0xFF},
		text:       color.NRGBA{R: 0xFF, G: 0xFF, B: 0xFF, A: 0xFF},
		quiet:      color.NRGBA{R: 0xD0, G: 0xD0, B: 0xD0, A: 0xFF},
		primary:    color.NRGBA{R: 0xFF, G: 0xE6, B: 0x00, A: 0xFF},
		onPrimary:  color.NRGBA{R: 0x00, G: 0x00, B: 0x00, A: 0xFF},
		button:     color.NRGBA{R: 0x26, G: 0x26, B: 0x26, A: 0xFF},
		error:      color.NRGBA{R: 0xFF, G: 0x9E, B: 0x9E, A: 0xFF},
		practice:   color.NRGBA{R: 0xFF, G: 0xE6, B: 0x00, A: 0xFF},
		confirm:    color.NRGBA{R: 0xFF, G: 0xFF, B: 0xFF, A: 0xFF},
		bannerText: color.NRGBA{R: 0x00, G: 0x00, B: 0x00, A: 0xFF},
		focus:      color.NRGBA{R: 0xFF, G: 0xE6, B: 0x00, A: 0xFF},
		edge:       color.NRGBA{R: 0xB0, G: 0xB0, B: 0xB0, A: 0xFF},
	}
)

func (t *kioskTheme) colours() palette {
	if t.contrast {
		return withBrand(highContrast, t.brand, true)
	}
	return withBrand(normalColours, t.brand, false)
}

func (t *kioskTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	p := t.colours()
	switch n {
	case theme.ColorNameBackground, theme.ColorNameInputBackground, theme.ColorNameOverlayBackground, theme.ColorNameMenuBackground:
		return p.background
	case theme.ColorNamePrimary:
		return p.primary
	case theme.ColorNameFocus:
		// Fyne tints a focused widget with this: a light tint only, the
		// ring around kiosk buttons is what shows the focus.
		c := p.primary
		c.A = 0x30
		return c
	case theme.ColorNameForegroundOnPrimary:
		return p.onPrimary
	case theme.ColorNameButton, theme.ColorNameDisabledButton:
		return p.button
	case theme.ColorNameError:
		return p.error
	case theme.ColorNameForeground:
		return p.text
	case theme.ColorNamePlaceHolder, theme.ColorNameInputBorder, theme.ColorNameDisabled:
		return p.quiet
	}
	return t.Theme.Color(n, theme.VariantLight)
}

// current is the palette of the theme in use, for the few things drawn in
// fixed colours (banners, the step dots, the booking code).
func current() palette {
	if t, ok := fyne.CurrentApp().Settings().Theme().(*kioskTheme); ok {
		return t.colours()
	}
	return normalColours
}

func (t *kioskTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return 22 * t.scale
	case theme.SizeNameHeadingText:
		return 34 * t.scale
	case theme.SizeNameSubHeadingText:
		return 26 * t.scale
	case theme.SizeNameCaptionText:
		return 17 * t.scale
	case theme.SizeNameInnerPadding:
		return 10
	case theme.SizeNamePadding:
		return 8
	case theme.SizeNameInlineIcon:
		return 36 * t.scale
	case theme.SizeNameInputBorder:
		return 3
	case theme.SizeNameSelectionRadius, theme.SizeNameInputRadius:
		return 8
	}
	return t.Theme.Size(n)
}
