// Package city reads a city's file: its name, logo and colours, its help
// line, its public addresses, its video link and the themes it offers with
// their texts in every language. The kiosk and the gateway read the same
// file, so a new city needs no code change. Ghent and Mechelen ship built
// in (assets/cities); any other city is a file on disk.
//
// It imports the domain and the i18n package, never Fyne or HTTP.
package city

import (
	"bytes"
	"fmt"
	"image/color"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/template"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/digitalebalie/balie/app/browser"
	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/assets/cities"
	"github.com/digitalebalie/balie/i18n"
)

// Default is the city a kiosk or gateway without a `city` setting serves.
const Default = "gent"

// City is one city's file.
type City struct {
	ID string `toml:"id"`
	// Name is the city's name as it writes it ("Gent"); NameIn its name in
	// other languages ("Ghent"), where it differs.
	Name   string            `toml:"name"`
	NameIn map[string]string `toml:"name_in"`
	// Authority is how the city signs ("Stad Gent"); AuthorityIn the same
	// in other languages.
	Authority   string            `toml:"authority"`
	AuthorityIn map[string]string `toml:"authority_in"`
	// Languages are the languages the city offers; empty means every
	// language the kiosk has. Every theme needs its texts in each.
	Languages []string `toml:"languages"`
	Logo      string   `toml:"logo"` // a PNG or SVG file beside the city file
	Colours   Colours  `toml:"colours"`
	HelpLine  HelpLine `toml:"help_line"`
	URLs      URLs     `toml:"urls"`
	Video     Video    `toml:"video"`
	Themes    []Theme  `toml:"themes"`

	// LogoImage is the logo file's content; Icons the content of the
	// theme icons that are files, by their file name.
	LogoImage []byte            `toml:"-"`
	Icons     map[string][]byte `toml:"-"`
}

// Colours are the city's colours for the kiosk's main buttons, in the
// normal palette (on white) and in high contrast (on black).
type Colours struct {
	Primary           Colour `toml:"primary"`
	OnPrimary         Colour `toml:"on_primary"`
	ContrastPrimary   Colour `toml:"contrast_primary"`
	ContrastOnPrimary Colour `toml:"contrast_on_primary"`
}

// HelpLine is the city's information line.
type HelpLine struct {
	Name  string `toml:"name"`  // "Gentinfo"
	Phone string `toml:"phone"` // "09 234 56 78"
	Hours string `toml:"hours"` // "08:00-19:00", on working days
}

// URLs are the city's public addresses.
type URLs struct {
	Website     string `toml:"website"`
	PhonePage   string `toml:"phone_page"`   // the gateway's public address, which QR codes open
	BookingPage string `toml:"booking_page"` // the city's own booking page; may be empty
}

// Video is how a call is made: the link of each appointment and the
// browser it opens in on each system (empty: the kiosk's own choice), as
// app/browser.ParseCommand reads it.
type Video struct {
	JoinTemplate   string   `toml:"join_template"`
	BrowserLinux   []string `toml:"browser_linux"`
	BrowserWindows []string `toml:"browser_windows"`
}

// Theme is one thing the city helps with.
type Theme struct {
	ID      string `toml:"id"`
	Icon    string `toml:"icon"` // a kiosk icon's name or an SVG file beside the city file
	Minutes int    `toml:"minutes"`
	// CounterOnly is a theme that cannot be done by video (Burgerzaken):
	// its InPerson text says where to go instead.
	CounterOnly bool                 `toml:"counter_only"`
	Text        map[string]ThemeText `toml:"text"`
}

// ThemeText is a theme's texts in one language.
type ThemeText struct {
	Name     string   `toml:"name"`
	Summary  string   `toml:"summary"`
	Prepare  []string `toml:"prepare"`
	InPerson string   `toml:"in_person"`
}

// Colour reads "#1F4E8C" from TOML.
type Colour struct{ color.NRGBA }

func (c *Colour) UnmarshalText(b []byte) error {
	s := string(b)
	var r, g, bl uint8
	if len(s) != 7 || s[0] != '#' {
		return fmt.Errorf("colour %q: write it as #RRGGBB", s)
	}
	if _, err := fmt.Sscanf(s[1:], "%02x%02x%02x", &r, &g, &bl); err != nil {
		return fmt.Errorf("colour %q: write it as #RRGGBB", s)
	}
	c.NRGBA = color.NRGBA{R: r, G: g, B: bl, A: 0xFF}
	return nil
}

func (c Colour) MarshalText() ([]byte, error) {
	return fmt.Appendf(nil, "#%02X%02X%02X", c.R, c.G, c.B), nil
}

// Builtin lists the cities that ship with the kiosk.
func Builtin() []string {
	entries, _ := fs.ReadDir(cities.FS, ".")
	var ids []string
	for _, e := range entries {
		if e.IsDir() {
			ids = append(ids, e.Name())
		}
	}
	return ids
}

// Load reads a city: a built-in one by its id ("gent"), or a city file by
// its path, with its logo and icons beside it. It checks the file as Check
// does, so a kiosk or gateway never starts with half a city.
func Load(nameOrPath string) (*City, error) {
	if nameOrPath == "" {
		nameOrPath = Default
	}
	var (
		fsys fs.FS
		file string
	)
	if slices.Contains(Builtin(), nameOrPath) {
		sub, err := fs.Sub(cities.FS, nameOrPath)
		if err != nil {
			return nil, err
		}
		fsys, file = sub, "city.toml"
	} else {
		if !strings.ContainsAny(nameOrPath, `/\`) && !strings.HasSuffix(nameOrPath, ".toml") {
			return nil, fmt.Errorf("city %q: no such built-in city (%s) and not a path to a city file", nameOrPath, strings.Join(Builtin(), ", "))
		}
		abs, err := filepath.Abs(nameOrPath)
		if err != nil {
			return nil, err
		}
		fsys, file = os.DirFS(filepath.Dir(abs)), filepath.Base(abs)
	}
	c, err := read(fsys, file)
	if err != nil {
		return nil, fmt.Errorf("city %s: %w", nameOrPath, err)
	}
	return c, nil
}

// MustLoad is Load for tests and the built-in cities, where a broken file
// is a build mistake.
func MustLoad(nameOrPath string) *City {
	c, err := Load(nameOrPath)
	if err != nil {
		panic(err)
	}
	return c
}

// read decodes the city file and the files it names, then checks it.
func read(fsys fs.FS, file string) (*City, error) {
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, err
	}
	var c City
	md, err := toml.Decode(string(data), &c)
	if err != nil {
		return nil, err
	}
	if un := md.Undecoded(); len(un) > 0 {
		keys := make([]string, len(un))
		for i, k := range un {
			keys[i] = k.String()
		}
		return nil, fmt.Errorf("unknown settings: %s", strings.Join(keys, ", "))
	}
	var problems []string
	if c.Logo != "" {
		if c.LogoImage, err = fs.ReadFile(fsys, c.Logo); err != nil {
			problems = append(problems, fmt.Sprintf("logo: %v", err))
		}
	}
	for _, t := range c.Themes {
		if isIconFile(t.Icon) {
			b, err := fs.ReadFile(fsys, t.Icon)
			if err != nil {
				problems = append(problems, fmt.Sprintf("theme %s: icon: %v", t.ID, err))
				continue
			}
			if c.Icons == nil {
				c.Icons = map[string][]byte{}
			}
			c.Icons[t.Icon] = b
		}
	}
	problems = append(problems, c.problems()...)
	if len(problems) > 0 {
		return nil, &Invalid{Problems: problems}
	}
	return &c, nil
}

// Invalid lists everything wrong with a city file at once, so whoever
// edits it fixes it in one go.
type Invalid struct{ Problems []string }

func (e *Invalid) Error() string {
	return fmt.Sprintf("%d problem(s):\n  - %s", len(e.Problems), strings.Join(e.Problems, "\n  - "))
}

// isIconFile tells a theme icon that is a file beside the city file from
// one of the kiosk's own icons.
func isIconFile(icon string) bool { return strings.HasSuffix(strings.ToLower(icon), ".svg") }

// Offered is the languages the city offers: its list, or every language
// the kiosk has.
func (c *City) Offered() []string {
	if len(c.Languages) > 0 {
		return c.Languages
	}
	return i18n.Tags()
}

// NameFor is the city's name in lang, or its own.
func (c *City) NameFor(lang string) string { return inLanguage(c.Name, c.NameIn, lang) }

// AuthorityFor is how the city signs in lang, or its own.
func (c *City) AuthorityFor(lang string) string {
	return inLanguage(c.Authority, c.AuthorityIn, lang)
}

func inLanguage(own string, in map[string]string, lang string) string {
	if s := in[lang]; s != "" {
		return s
	}
	return own
}

// Browser is the city's browser command for the system goos ("linux",
// "windows"); nil when the city leaves it to the kiosk.
func (c *City) Browser(goos string) []browser.Program {
	args := c.Video.BrowserLinux
	if goos == "windows" {
		args = c.Video.BrowserWindows
	}
	if len(args) == 0 {
		return nil
	}
	p, err := browser.ParseCommand(args)
	if err != nil {
		return nil // Check refused it; never reached for a loaded city
	}
	return []browser.Program{p}
}

// Place is what the kiosk's messages say of the city: its name, its
// authority and its help line, in each language.
func (c *City) Place() i18n.Place {
	return i18n.Place{
		City:      c.NameFor,
		Authority: c.AuthorityFor,
		HelpLine:  c.HelpLine.Name,
		Phone:     c.HelpLine.Phone,
	}
}

// Services are the city's themes as the domain knows them, with their
// texts in every language the city offers.
func (c *City) Services() []domain.Service {
	services := make([]domain.Service, 0, len(c.Themes))
	for _, t := range c.Themes {
		s := domain.Service{
			ID:       t.ID,
			Icon:     t.Icon,
			Name:     domain.Text{},
			Summary:  domain.Text{},
			Duration: time.Duration(t.Minutes) * time.Minute,
			ByVideo:  !t.CounterOnly,
		}
		for _, lang := range c.Offered() {
			text := t.Text[lang]
			s.Name[lang] = text.Name
			s.Summary[lang] = text.Summary
			for i, p := range text.Prepare {
				if len(s.Prepare) <= i {
					s.Prepare = append(s.Prepare, domain.Text{})
				}
				s.Prepare[i][lang] = p
			}
			if t.CounterOnly {
				if s.InPerson == nil {
					s.InPerson = domain.Text{}
				}
				s.InPerson[lang] = c.fill(text.InPerson, lang)
			}
		}
		services = append(services, s)
	}
	return services
}

// fill puts the help line's name and number into a theme's text. In a
// right-to-left language each keeps its order: without an isolate
// "09 234 56 78" would read "78 56 234 09".
func (c *City) fill(text, lang string) string {
	tmpl, err := template.New("").Option("missingkey=error").Parse(text)
	if err != nil {
		return text // Check refused it; never reached for a loaded city
	}
	data := map[string]string{"HelpLine": c.HelpLine.Name, "Phone": c.HelpLine.Phone, "City": c.NameFor(lang)}
	if i18n.IsRTL(lang) {
		for k, v := range data {
			data[k] = i18n.Isolate(v)
		}
	}
	var b bytes.Buffer
	if err := tmpl.Execute(&b, data); err != nil {
		return text
	}
	return b.String()
}

// MustCatalog is the kiosk's messages knowing the built-in city id, for
// tests and tools.
func MustCatalog(id string) *i18n.Catalog {
	msgs := i18n.MustLoad()
	msgs.SetPlace(MustLoad(id).Place())
	return msgs
}
