// Package assets holds the kiosk's icons and the fonts Fyne does not bring,
// embedded with `fyne bundle` into bundled.go and bundled_fonts.go. Nobody
// edits those generated files: add a file under icons/ or fonts/ and run go
// generate. The fonts' licence is fonts/OFL.txt.
package assets

//go:generate fyne bundle --pkg assets --prefix icon -o bundled.go icons/
//go:generate fyne bundle --pkg assets --prefix font -o bundled_fonts.go fonts/NotoSansArabicUI-Regular.ttf
//go:generate fyne bundle --pkg assets --prefix font -o bundled_fonts.go -append fonts/NotoSansArabicUI-Bold.ttf

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// icons maps the names the catalogue uses (domain.Service.Icon) to the
// bundled SVGs.
var icons = map[string]fyne.Resource{
	"building": iconBuildingSvg,
	"business": iconBusinessSvg,
	"climate":  iconClimateSvg,
	"energy":   iconEnergySvg,
	"face1":    iconFace1Svg, // very unhappy … face5: very happy
	"face2":    iconFace2Svg,
	"face3":    iconFace3Svg,
	"face4":    iconFace4Svg,
	"face5":    iconFace5Svg,
	"fine":     iconFineSvg,
	"help":     iconHelpSvg,
	"housing":  iconHousingSvg,
	"idcard":   iconIdcardSvg,
	"landlord": iconLandlordSvg,
	"mobility": iconMobilitySvg,
	"phone":    iconPhoneSvg,
}

// Icon returns the icon called name, or nil when there is none. It takes
// the palette's primary colour, so it keeps its contrast in high contrast
// too (the SVGs' own blue is dark on a dark card).
func Icon(name string) fyne.Resource {
	res, ok := icons[name]
	if !ok {
		return nil
	}
	return theme.NewPrimaryThemedResource(res)
}

// ArabicFont is Noto Sans Arabic UI, for Arabic, Dari and Pashto: Fyne's own
// font has no Arabic script, and a public PC may have none either. The UI
// cut has the line height of Fyne's Latin font (1.36 em, where plain Noto
// Sans Arabic takes 2.1 em): mixed lines stay even, and a screen in Arabic
// is as tall as the same screen in Dutch.
func ArabicFont(bold bool) fyne.Resource {
	if bold {
		return fontNotoSansArabicUIBoldTtf
	}
	return fontNotoSansArabicUIRegularTtf
}
