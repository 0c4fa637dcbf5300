package kiosk

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/digitalebalie/balie/assets"
)

// kioskTheme embeds Fyne's default light theme and overrides only sizes and
// a few colours: large text and near-black text for contrast. Targets get
// their 64 px height from the layouts in widgets.go.
type kioskTheme struct {
	fyne.Theme
	scale float32 // text size multiplier: 1 is the default
	// arabic makes the bundled Noto Sans Arabic the first font, for Arabic,
	// Dari and Pashto: buttons and fields then need no system font, and
	// Latin letters still come from Fyne's own font behind it.
	arabic bool
}

func newTheme(scale float32, arabic bool) *kioskTheme {
	if scale <= 0 {
		scale = 1
	}
	return &kioskTheme{Theme: theme.DefaultTheme(), scale: scale, arabic: arabic}
}

func (t *kioskTheme) Font(style fyne.TextStyle) fyne.Resource {
	if t.arabic && !style.Monospace && !style.Symbol {
		return assets.ArabicFont(style.Bold)
	}
	return t.Theme.Font(style)
}

// Colours: the city's dark blue for primary actions, and a clear warning
// orange for the practice banner.
var (
	colorPrimary  = color.NRGBA{R: 0x1F, G: 0x4E, B: 0x8C, A: 0xFF}
	colorPractice = color.NRGBA{R: 0xFF, G: 0xD3, B: 0x4D, A: 0xFF}
	colorError    = color.NRGBA{R: 0xB0, G: 0x00, B: 0x20, A: 0xFF}
	colorConfirm  = color.NRGBA{R: 0xD7, G: 0xF0, B: 0xDD, A: 0xFF} // pale green behind dark text
	colorText     = color.NRGBA{R: 0x1A, G: 0x1A, B: 0x1A, A: 0xFF}
	// colorQuiet is for secondary text (the Dutch line, placeholders,
	// disabled buttons) and input borders: 7:1 on white, where Fyne's
	// default greys are under 3:1.
	colorQuiet = color.NRGBA{R: 0x55, G: 0x55, B: 0x55, A: 0xFF}
)

func (t *kioskTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	switch n {
	case theme.ColorNamePrimary, theme.ColorNameFocus:
		return colorPrimary
	case theme.ColorNameError:
		return colorError
	case theme.ColorNameForeground:
		return colorText
	case theme.ColorNamePlaceHolder, theme.ColorNameInputBorder, theme.ColorNameDisabled:
		return colorQuiet
	}
	return t.Theme.Color(n, theme.VariantLight)
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
