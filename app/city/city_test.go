package city

import (
	"errors"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/digitalebalie/balie/i18n"
)

// Both shipped cities load, offer every language of the kiosk with every
// text in it, and differ: Mechelen is configuration, not Ghent renamed.
func TestBuiltinCitiesLoad(t *testing.T) {
	if got := Builtin(); !slices.Equal(got, []string{"gent", "mechelen"}) {
		t.Fatalf("built-in cities %v", got)
	}
	gent, mechelen := MustLoad("gent"), MustLoad("mechelen")
	for _, c := range []*City{gent, mechelen} {
		if len(c.LogoImage) == 0 {
			t.Errorf("%s: no logo", c.ID)
		}
		if !slices.Equal(c.Offered(), i18n.Tags()) {
			t.Errorf("%s offers %v, want every language", c.ID, c.Offered())
		}
		for _, s := range c.Services() {
			for _, lang := range i18n.Tags() {
				if s.Name[lang] == "" || s.Summary[lang] == "" {
					t.Errorf("%s %s: no name or summary in %s", c.ID, s.ID, lang)
				}
				if !s.ByVideo && (s.InPerson[lang] == "" || !strings.Contains(s.InPerson[lang], c.HelpLine.Phone)) {
					t.Errorf("%s %s (%s): in person %q lacks the help line's number", c.ID, s.ID, lang, s.InPerson[lang])
				}
			}
		}
	}
	if gent.HelpLine.Phone == mechelen.HelpLine.Phone || gent.Colours.Primary == mechelen.Colours.Primary ||
		gent.Themes[0].ID == mechelen.Themes[0].ID || gent.NameFor("fr") == mechelen.NameFor("fr") {
		t.Error("Mechelen has Ghent's help line, colours, themes or name")
	}
}

// A new city is a folder: its file, its logo and an icon of its own, in
// the languages it chose, with no code change.
func TestACityAddedByConfiguration(t *testing.T) {
	c, err := Load(filepath.Join("testdata", "heusden-zolder", "city.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if c.NameFor("en") != "Heusden-Zolder" || c.AuthorityFor("en") != "Municipality of Heusden-Zolder" || c.AuthorityFor("fr") != "Gemeente Heusden-Zolder" {
		t.Errorf("names: %q %q %q", c.NameFor("en"), c.AuthorityFor("en"), c.AuthorityFor("fr"))
	}
	if len(c.LogoImage) == 0 || len(c.Icons["sociaal.svg"]) == 0 {
		t.Error("the logo or the theme's own icon was not read")
	}
	services := c.Services()
	if len(services) != 2 || services[0].ID != "sociaal-huis" || !services[0].ByVideo || services[0].Duration.Minutes() != 30 {
		t.Fatalf("services %+v", services)
	}
	if _, ok := services[0].Name["fr"]; ok {
		t.Error("a language the city does not offer has texts")
	}
	if got := services[1].InPerson["en"]; got != "Please come to the town hall for this, or call Infolijn on 011 23 45 67." {
		t.Errorf("in person: %q", got)
	}
	if b := c.Browser("linux"); len(b) != 1 || b[0].Name != "chromium" {
		t.Errorf("browser on Linux %+v", b)
	}
	if b := c.Browser("windows"); b != nil {
		t.Errorf("browser on Windows %+v, want the kiosk's own", b)
	}
	if from, to, err := c.HelpLine.Opening(); err != nil || from.Hours() != 9 || to.Minutes() != 16*60+30 {
		t.Errorf("opening %v-%v %v", from, to, err)
	}
}

// In a right-to-left language the number keeps its order in the theme's
// text: without an isolate its groups would be reversed.
func TestInPersonKeepsTheNumbersOrderRightToLeft(t *testing.T) {
	gent := MustLoad("gent")
	for _, s := range gent.Services() {
		if s.ByVideo {
			continue
		}
		if ar := s.InPerson["ar"]; !strings.Contains(ar, "\u2066"+gent.HelpLine.Phone+"\u2069") {
			t.Errorf("ar: %q has no isolated number", ar)
		}
		if nl := s.InPerson["nl"]; strings.Contains(nl, "\u2066") {
			t.Errorf("nl: %q has an isolate", nl)
		}
	}
}

// A broken city file is refused at start with every problem listed, each
// saying what to fix; missing translations name the theme, the field and
// the languages.
func TestBrokenCityFilesAreRefused(t *testing.T) {
	valid, err := os.ReadFile(filepath.Join("testdata", "heusden-zolder", "city.toml"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		edit    func(string) string
		want    []string
		refused bool
	}{
		{"a theme untranslated", func(s string) string {
			s = strings.Replace(s, `name = "Social services"`, ``, 1)
			return strings.Replace(s, `summary = "Applying for an identity card, passport or driving licence."`, ``, 1)
		}, []string{"theme sociaal-huis: no name in en", "theme burgerzaken: no summary in en"}, true},
		{"a language offered without texts", func(s string) string {
			return strings.Replace(s, `languages = ["nl", "en"]`, `languages = ["nl", "en", "ar", "tr"]`, 1)
		}, []string{"theme sociaal-huis: no name in ar, tr", "theme burgerzaken: no in_person in ar, tr", "theme sociaal-huis: no prepare (1 items, as in Dutch) in ar, tr"}, true},
		{"a prepare list shorter than the Dutch", func(s string) string {
			return strings.Replace(s, `prepare = ["Your identity card"]`, `prepare = []`, 1)
		}, []string{"theme sociaal-huis: no prepare (1 items, as in Dutch) in en"}, true},
		{"a language the kiosk does not have", func(s string) string {
			return strings.Replace(s, `languages = ["nl", "en"]`, `languages = ["nl", "en", "de"]`, 1)
		}, []string{`languages: the kiosk has no "de"`}, true},
		{"no Dutch", func(s string) string {
			return strings.Replace(s, `languages = ["nl", "en"]`, `languages = ["en"]`, 1)
		}, []string{"Dutch (nl) must be offered"}, true},
		{"a button too pale for its text", func(s string) string {
			return strings.Replace(s, `primary = "#005A32"`, `primary = "#4CAF50"`, 1)
		}, []string{"colours (normal): on_primary on primary has a contrast of 2.8:1; it needs at least 7:1"}, true},
		{"a high-contrast button too dark on black", func(s string) string {
			return strings.Replace(s, `contrast_primary = "#FFFFFF"`, `contrast_primary = "#0000FF"`, 1)
		}, []string{"colours (high contrast): contrast_primary on the black page"}, true},
		{"a colour written wrongly", func(s string) string {
			return strings.Replace(s, `"#005A32"`, `"green"`, 1)
		}, []string{`colour "green": write it as #RRGGBB`}, true},
		{"a help line that is no number", func(s string) string {
			return strings.Replace(s, `phone = "011 23 45 67"`, `phone = "call us"`, 1)
		}, []string{`help_line: phone "call us" is not a phone number`}, true},
		{"hours backwards", func(s string) string {
			return strings.Replace(s, `hours = "09:00-16:30"`, `hours = "16:30-09:00"`, 1)
		}, []string{`help_line: hours "16:30-09:00"`}, true},
		{"one video room for all", func(s string) string {
			return strings.Replace(s, `HZ-{room}`, `HZ`, 1)
		}, []string{"join_template must contain {room}"}, true},
		{"a browser without the link", func(s string) string {
			return strings.Replace(s, `, "{link}"]`, `]`, 1)
		}, []string{"video: browser_linux:"}, true},
		{"an icon the kiosk does not have", func(s string) string {
			return strings.Replace(s, `icon = "idcard"`, `icon = "passport"`, 1)
		}, []string{`theme burgerzaken: icon "passport"`}, true},
		{"an icon file that is not there", func(s string) string {
			return strings.Replace(s, `icon = "sociaal.svg"`, `icon = "missing.svg"`, 1)
		}, []string{"theme sociaal-huis: icon:"}, true},
		{"a field the texts do not have", func(s string) string {
			return strings.Replace(s, `op {{.Phone}}.`, `op {{.Fax}}.`, 1)
		}, []string{"theme burgerzaken (nl): in_person: {{.Fax}} is not known"}, true},
		{"the same theme twice", func(s string) string {
			return strings.Replace(s, `id = "burgerzaken"`, `id = "sociaal-huis"`, 1)
		}, []string{"theme sociaal-huis: its id is used twice"}, true},
		{"a setting misspelt", func(s string) string {
			return strings.Replace(s, `[help_line]`, "[help_line]\nphon = \"1\"", 1)
		}, []string{"unknown settings: help_line.phon"}, true},
		{"nothing by video", func(s string) string {
			return strings.Replace(s, "minutes = 30\n", "counter_only = true\n", 1)
		}, []string{"the city offers no theme by video", "theme sociaal-huis: no in_person in nl, en"}, true},
		{"the valid file", func(s string) string { return s }, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range []string{"logo.svg", "sociaal.svg"} {
				b, _ := os.ReadFile(filepath.Join("testdata", "heusden-zolder", f))
				if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			path := filepath.Join(dir, "city.toml")
			if err := os.WriteFile(path, []byte(tt.edit(string(valid))), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Load(path)
			if !tt.refused {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

// Every problem comes at once, so whoever edits the file fixes it in one go.
func TestEveryProblemIsListed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "city.toml")
	if err := os.WriteFile(path, []byte("id = \"X\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path)
	var invalid *Invalid
	if !errors.As(err, &invalid) || len(invalid.Problems) < 8 {
		t.Fatalf("%v", err)
	}
}

func TestNotACity(t *testing.T) {
	for _, name := range []string{"antwerpen", "../gent"} {
		if _, err := Load(name); err == nil {
			t.Errorf("%q loaded", name)
		}
	}
}

func TestContrast(t *testing.T) {
	black, white := color.NRGBA{A: 255}, color.NRGBA{R: 255, G: 255, B: 255, A: 255}
	for _, tt := range []struct {
		a, b color.NRGBA
		want float64
	}{
		{black, white, 21},
		{white, white, 1},
		{color.NRGBA{R: 0x1F, G: 0x4E, B: 0x8C, A: 255}, white, 8.31}, // Ghent's blue
		{color.NRGBA{R: 0x76, G: 0x76, B: 0x76, A: 255}, white, 4.54},
	} {
		if got := Contrast(tt.a, tt.b); math.Abs(got-tt.want) > 0.05 {
			t.Errorf("contrast %v %v = %.2f, want %.2f", tt.a, tt.b, got, tt.want)
		}
	}
}
