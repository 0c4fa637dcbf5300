package main

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/driver/software"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// Ctrl+Alt+Q quits, on whatever screen the kiosk drew; other combinations
// with Q do not.
func TestQuitShortcut(t *testing.T) {
	test.NewTempApp(t)
	// The software canvas handles shortcuts as the real window's does
	// (fyne.ShortcutHandler); the test window's canvas hides TypedShortcut.
	c := software.NewCanvas()
	c.SetContent(widget.NewLabel("welcome"))
	quits := 0
	addQuitShortcut(c, func() { quits++ })
	// The kiosk replaces the window's content on every screen.
	c.SetContent(widget.NewButton("book", func() {}))

	// What the GLFW driver hands the canvas for a key with modifiers other
	// than Shift alone, when no text field has the cursor.
	press := func(key fyne.KeyName, mod fyne.KeyModifier) {
		c.(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: key, Modifier: mod})
	}
	ctrl, alt, shift := fyne.KeyModifierControl, fyne.KeyModifierAlt, fyne.KeyModifierShift
	for _, tc := range []struct {
		key fyne.KeyName
		mod fyne.KeyModifier
	}{
		{fyne.KeyQ, ctrl},
		{fyne.KeyQ, alt},
		{fyne.KeyQ, ctrl | shift},
		{fyne.KeyQ, ctrl | alt | shift},
		{fyne.KeyW, ctrl | alt},
	} {
		press(tc.key, tc.mod)
		if quits != 0 {
			t.Fatalf("%s quit the kiosk", (&desktop.CustomShortcut{KeyName: tc.key, Modifier: tc.mod}).ShortcutName())
		}
	}
	press(fyne.KeyQ, ctrl|alt)
	if quits != 1 {
		t.Fatalf("Ctrl+Alt+Q: %d quits, want 1", quits)
	}
}
