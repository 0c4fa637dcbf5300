package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// quitShortcut lets staff leave the full-screen kiosk: Ctrl+Alt+Q. A
// window manager's Alt+F4 closes the window as well, but a kiosk session
// often runs without one. Fyne hands a shortcut to the text field that has
// the cursor instead of the window, so in a field: click outside it first.
var quitShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyQ, Modifier: fyne.KeyModifierControl | fyne.KeyModifierAlt}

// addQuitShortcut makes quitShortcut call quit on the window's canvas c.
// It belongs to the canvas, not to a screen, so it outlives every screen
// the kiosk draws.
func addQuitShortcut(c fyne.Canvas, quit func()) {
	c.AddShortcut(quitShortcut, func(fyne.Shortcut) { quit() })
}

// staffShortcut opens staff mode from a keyboard, besides holding the
// welcome screen's title: Ctrl+Alt+S. It asks for the PIN as well.
var staffShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierControl | fyne.KeyModifierAlt}

func addStaffShortcut(c fyne.Canvas, open func()) {
	c.AddShortcut(staffShortcut, func(fyne.Shortcut) { open() })
}
