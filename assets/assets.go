// Package assets holds the kiosk's icons (and later fonts), embedded with
// `fyne bundle` into bundled.go. Nobody edits that generated file: add a file
// under icons/ and run go generate.
package assets

//go:generate fyne bundle --pkg assets --prefix icon -o bundled.go icons/

import "fyne.io/fyne/v2"

// icons maps the names the catalogue uses (domain.Service.Icon) to the
// bundled SVGs.
var icons = map[string]fyne.Resource{
	"building": iconBuildingSvg,
	"business": iconBusinessSvg,
	"climate":  iconClimateSvg,
	"energy":   iconEnergySvg,
	"fine":     iconFineSvg,
	"help":     iconHelpSvg,
	"housing":  iconHousingSvg,
	"idcard":   iconIdcardSvg,
	"landlord": iconLandlordSvg,
	"mobility": iconMobilitySvg,
	"phone":    iconPhoneSvg,
}

// Icon returns the icon called name, or nil when there is none.
func Icon(name string) fyne.Resource { return icons[name] }
