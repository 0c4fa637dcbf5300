// Package cities holds the city files that ship with the kiosk and the
// gateway, one folder per city: city.toml and the logo and icons it names.
// app/city reads them; this package has no Fyne, so the gateway can embed
// them too.
package cities

import "embed"

// FS has one folder per city.
//
//go:embed */*
var FS embed.FS
