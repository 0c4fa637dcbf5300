package staffmode

import (
	"context"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// TestScreenshots writes the staff screens at 1280x720 to the folder in
// BALIE_STAFF_PNG, for a person to look at.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("BALIE_STAFF_PNG")
	if dir == "" {
		t.Skip("set BALIE_STAFF_PNG=DIR to write the staff screens as PNGs")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	screens(t, dir, "", nil)
	screens(t, dir, "-kiosk", kioskSizes{test.Theme()})
}

// kioskSizes has the kiosk theme's text and padding sizes, which the
// staff screens get inside the kiosk.
type kioskSizes struct{ fyne.Theme }

func (k kioskSizes) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return 22
	case theme.SizeNameHeadingText:
		return 34
	case theme.SizeNameSubHeadingText:
		return 26
	case theme.SizeNameInnerPadding:
		return 10
	case theme.SizeNamePadding:
		return 8
	case theme.SizeNameInlineIcon:
		return 36
	}
	return k.Theme.Size(n)
}

func screens(t *testing.T, dir, suffix string, th fyne.Theme) {
	shoot := func(name string, content fyne.CanvasObject) {
		w := test.NewWindow(content)
		defer w.Close()
		// A real window lays out again each frame until wrapped labels
		// settle; the test window only on a resize.
		for _, width := range []float32{1279, 1280, 1279, 1280} {
			w.Resize(fyne.NewSize(width, 720))
		}
		file, err := os.Create(filepath.Join(dir, name+suffix+".png"))
		if err != nil {
			t.Fatal(err)
		}
		defer file.Close()
		if err := png.Encode(file, w.Canvas().Capture()); err != nil {
			t.Fatal(err)
		}
	}

	clk, ui := setup(t)
	if th != nil {
		test.ApplyTheme(t, th)
	}
	pin := NewPIN(cheapHash("4711"), clk.Now)
	pad := NewPINPad("Staff-modus", pin.Check, nil, nil)
	for range 4 {
		for _, d := range "1234" {
			test.Tap(button(t, pad, string(d)))
		}
		test.Tap(button(t, pad, "OK"))
		ui.wait(t, 1)
	}
	test.Tap(button(t, pad, "1"))
	test.Tap(button(t, pad, "2"))
	shoot("pinpad", pad)
	for _, d := range "4" {
		test.Tap(button(t, pad, string(d)))
	}
	test.Tap(button(t, pad, "OK"))
	ui.wait(t, 1)
	shoot("pinpad-locked", pad)

	desk := newHelpDesk()
	desk.who = "Jan Peeters"
	p := NewPanel(Options{
		Settings: Settings{Location: "Stadskantoor, inkomhal", Languages: []string{"nl", "fr", "ar"}, DefaultLanguage: "ar",
			Themes: []string{"energie", "id"}, Idle: 2 * time.Minute, Gateway: "https://balie.gent.be", DeviceToken: "geheim", Volume: 2},
		Languages: languages, Themes: themes,
		Save: func(Settings) error { return nil },
		TestConnection: func(context.Context, string, string) error {
			return nil
		},
		Health: func(context.Context) Health {
			return Health{GatewayOK: false, GatewayDetail: "geen antwoord van https://balie.gent.be binnen 5 seconden",
				Version: "1.4.2 (2026-11-20)", Voices: []string{"nl-BE Ellen", "fr-BE Céline", "ar Maged"},
				FreeDisk: 12_345_678_901, DiskPath: "/var/lib/balie"}
		},
		Help: desk, Book: func() {}, Close: func() {},
	})
	defer p.Stop()
	ui.wait(t, 1)
	shoot("help", p.Content())

	test.Tap(button(t, p.Content(), "Instellingen"))
	test.Tap(button(t, p.Content(), "Bewaren"))
	test.Tap(button(t, p.Content(), "Verbinding testen"))
	ui.wait(t, 1)
	shoot("settings", p.Content())
	for _, s := range find(p.Content(), func(*container.Scroll) bool { return true }) {
		s.ScrollToBottom()
	}
	shoot("settings-bottom", p.Content())
	for _, c := range find(p.Content(), func(c *widget.Check) bool { return c.Checked }) {
		c.SetChecked(false)
	}
	for _, e := range find(p.Content(), func(*widget.Entry) bool { return true }) {
		if e.Password {
			e.SetText("")
		} else if e.Text == "https://balie.gent.be" {
			e.SetText("balie.gent.be")
		}
	}
	test.Tap(button(t, p.Content(), "Bewaren"))
	shoot("settings-errors", p.Content())
	for _, s := range find(p.Content(), func(*container.Scroll) bool { return true }) {
		s.ScrollToTop()
	}
	shoot("settings-errors-top", p.Content())

	test.Tap(button(t, p.Content(), "Toestand"))
	ui.wait(t, 1)
	shoot("health", p.Content())

	signIn := NewPanel(Options{Languages: languages, Themes: themes, Help: newHelpDesk()})
	defer signIn.Stop()
	test.Type(entry(t, signIn.Content(), "naam van uw account"), "Jan")
	test.Type(entry(t, signIn.Content(), "wachtwoord"), "fout")
	test.Tap(button(t, signIn.Content(), "Aanmelden"))
	ui.wait(t, 1)
	shoot("help-signin", signIn.Content())

	practice := NewPanel(Options{Languages: languages, Themes: themes, Save: func(Settings) error { return nil }})
	defer practice.Stop()
	shoot("help-practice", practice.Content())
}
