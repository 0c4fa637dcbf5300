package assets

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"github.com/BurntSushi/toml"
	"github.com/go-text/typesetting/font"

	"github.com/digitalebalie/balie/app/textflow"
	"github.com/digitalebalie/balie/i18n"
)

func face(t *testing.T, r fyne.Resource) *font.Face {
	t.Helper()
	f, err := font.ParseTTF(bytes.NewReader(r.Content()))
	if err != nil {
		t.Fatalf("%s: %v", r.Name(), err)
	}
	return f
}

// Every character of every message, in every language, has a glyph in the
// fonts the kiosk brings: Fyne's Noto Sans for Latin and Cyrillic, our Noto
// Sans Arabic for Arabic script. So no screen shows a missing-glyph box on a
// PC without fonts of its own.
func TestEveryMessageHasGlyphs(t *testing.T) {
	type fonts struct{ latin, arabic *font.Face }
	sets := map[string]fonts{
		"regular": {face(t, theme.DefaultTextFont()), face(t, ArabicFont(false))},
		"bold":    {face(t, theme.DefaultTextBoldFont()), face(t, ArabicFont(true))},
	}
	files, _ := filepath.Glob("../i18n/active.*.toml")
	if len(files) < 3 {
		t.Fatalf("found %d message files", len(files))
	}
	// The welcome screen shows every language's own name.
	names := map[string]map[string]any{}
	for _, l := range i18n.Offered {
		names[l.Tag] = map[string]any{"other": l.Name}
	}
	for _, file := range append(files, "language names") {
		msgs := names
		if file != "language names" {
			msgs = nil
			if _, err := toml.DecodeFile(file, &msgs); err != nil {
				t.Fatal(err)
			}
		}
		var all strings.Builder
		for _, m := range msgs {
			for k, v := range m {
				if s, ok := v.(string); ok && k != "description" {
					all.WriteString(s)
				}
			}
		}
		missing := map[string][]string{}
		for _, r := range all.String() {
			if unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
				continue
			}
			for style, f := range sets {
				font := f.latin
				if textflow.IsRTLRune(r) { // as the kiosk chooses its font
					font = f.arabic
				}
				if _, ok := font.NominalGlyph(r); !ok && !strings.Contains(strings.Join(missing[style], ""), string(r)) {
					missing[style] = append(missing[style], string(r))
				}
			}
		}
		for style, runes := range missing {
			t.Errorf("%s (%s): no glyph for %q", filepath.Base(file), style, runes)
		}
	}
}

// The fonts' licence travels with them.
func TestFontLicenceIsThere(t *testing.T) {
	b, err := os.ReadFile("fonts/OFL.txt")
	if err != nil || !bytes.Contains(b, []byte("SIL Open Font License")) {
		t.Fatalf("fonts/OFL.txt: %v", err)
	}
}

// The theme icons take the palette's primary colour, so high contrast
// recolours them: their own dark blue on a dark card had 1.5:1.
func TestIconsFollowThePalette(t *testing.T) {
	for _, name := range []string{"energy", "housing", "idcard", "help", "phone"} {
		if _, ok := Icon(name).(*theme.PrimaryThemedResource); !ok {
			t.Errorf("%s: %T, not themed with the primary colour", name, Icon(name))
		}
	}
	if Icon("nonexistent") != nil {
		t.Error("an unknown icon is not nil")
	}
}
