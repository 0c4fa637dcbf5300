package city

import (
	"fmt"
	"image/color"
	"math"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"text/template"
	"time"

	"github.com/nyaruka/phonenumbers"

	"github.com/digitalebalie/balie/app/browser"
	"github.com/digitalebalie/balie/i18n"
)

// KioskIcons are the icons the kiosk draws itself (assets/icons); a theme
// may name one of them or bring an SVG file.
var KioskIcons = []string{"building", "business", "climate", "energy", "fine", "help", "housing", "idcard", "landlord", "mobility", "phone"}

// MinContrast is the least contrast between the city's button colour and
// its text, and between the button and the page: WCAG AAA for text, as
// every other colour of the kiosk.
const MinContrast = 7.0

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// textFields are what a theme's texts may fill in.
var textFields = map[string]bool{"HelpLine": true, "Phone": true, "City": true}

// problems lists everything wrong with the city, each in a line its
// editor can act on. Missing translations come one line per theme and
// field, naming the languages.
func (c *City) problems() []string {
	var p []string
	add := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }

	if !idPattern.MatchString(c.ID) {
		add("id %q: use lower-case letters, digits and hyphens, e.g. \"heusden-zolder\"", c.ID)
	}
	if strings.TrimSpace(c.Name) == "" {
		add("name is missing")
	}
	if strings.TrimSpace(c.Authority) == "" {
		add("authority is missing, e.g. \"Stad Gent\"")
	}
	known := i18n.Tags()
	for _, l := range c.Languages {
		if !slices.Contains(known, l) {
			add("languages: the kiosk has no %q (it has %s)", l, strings.Join(known, ", "))
		}
	}
	if len(c.Languages) > 0 && !slices.Contains(c.Languages, i18n.Reference) {
		add("languages: Dutch (nl) must be offered: staff and every screen's Dutch line use it")
	}
	for _, m := range []map[string]string{c.NameIn, c.AuthorityIn} {
		for l := range m {
			if !slices.Contains(known, l) {
				add("name_in/authority_in: the kiosk has no language %q", l)
			}
		}
	}
	p = append(p, c.Colours.problems()...)
	p = append(p, c.HelpLine.problems()...)
	p = append(p, c.URLs.problems()...)
	p = append(p, c.Video.problems()...)
	p = append(p, c.themeProblems()...)
	return p
}

func (cs Colours) problems() []string {
	var p []string
	pairs := []struct {
		what     string
		fg, bg   Colour
		fgN, bgN string
	}{
		{"normal", cs.OnPrimary, cs.Primary, "on_primary", "primary"},
		{"normal", cs.Primary, Colour{color.NRGBA{R: 0xFF, G: 0xFF, B: 0xFF, A: 0xFF}}, "primary", "the white page"},
		{"high contrast", cs.ContrastOnPrimary, cs.ContrastPrimary, "contrast_on_primary", "contrast_primary"},
		{"high contrast", cs.ContrastPrimary, Colour{color.NRGBA{A: 0xFF}}, "contrast_primary", "the black page"},
	}
	for _, c := range []struct {
		name string
		c    Colour
	}{{"primary", cs.Primary}, {"on_primary", cs.OnPrimary}, {"contrast_primary", cs.ContrastPrimary}, {"contrast_on_primary", cs.ContrastOnPrimary}} {
		if c.c.A == 0 {
			p = append(p, fmt.Sprintf("colours: %s is missing (#RRGGBB)", c.name))
		}
	}
	if len(p) > 0 {
		return p
	}
	for _, pr := range pairs {
		if r := Contrast(pr.fg.NRGBA, pr.bg.NRGBA); r < MinContrast {
			p = append(p, fmt.Sprintf("colours (%s): %s on %s has a contrast of %.1f:1; it needs at least %.0f:1", pr.what, pr.fgN, pr.bgN, r, MinContrast))
		}
	}
	return p
}

// Contrast is WCAG 2's contrast ratio of two colours, 1 to 21.
func Contrast(a, b color.NRGBA) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// luminance is WCAG 2's relative luminance.
func luminance(c color.NRGBA) float64 {
	channel := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*channel(c.R) + 0.7152*channel(c.G) + 0.0722*channel(c.B)
}

func (h HelpLine) problems() []string {
	var p []string
	if strings.TrimSpace(h.Name) == "" {
		p = append(p, "help_line: name is missing, e.g. \"Gentinfo\"")
	}
	if n, err := phonenumbers.Parse(h.Phone, "BE"); err != nil || !phonenumbers.IsValidNumber(n) {
		p = append(p, fmt.Sprintf("help_line: phone %q is not a phone number", h.Phone))
	}
	if _, _, err := h.Opening(); err != nil {
		p = append(p, "help_line: "+err.Error())
	}
	return p
}

// Opening is when the help line answers on working days: hours "08:00-19:00".
func (h HelpLine) Opening() (from, to time.Duration, err error) {
	a, b, ok := strings.Cut(h.Hours, "-")
	from, errA := clock(a)
	to, errB := clock(b)
	if !ok || errA != nil || errB != nil || to <= from {
		return 0, 0, fmt.Errorf("hours %q: write them as \"08:00-19:00\"", h.Hours)
	}
	return from, to, nil
}

func clock(s string) (time.Duration, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, err
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

func (u URLs) problems() []string {
	var p []string
	for _, f := range []struct {
		name, v  string
		required bool
	}{{"website", u.Website, false}, {"phone_page", u.PhonePage, true}, {"booking_page", u.BookingPage, false}} {
		if f.v == "" {
			if f.required {
				p = append(p, fmt.Sprintf("urls: %s is missing", f.name))
			}
			continue
		}
		if !webLink(f.v) {
			p = append(p, fmt.Sprintf("urls: %s %q is not an http(s) address", f.name, f.v))
		}
	}
	return p
}

func webLink(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

func (v Video) problems() []string {
	var p []string
	if !strings.Contains(v.JoinTemplate, "{room}") {
		p = append(p, "video: join_template must contain {room}, the appointment's own room")
	} else if !webLink(strings.NewReplacer("{room}", "r", "{lang}", "nl", "{code}", "c").Replace(v.JoinTemplate)) {
		p = append(p, fmt.Sprintf("video: join_template %q is not an http(s) address", v.JoinTemplate))
	}
	for _, b := range []struct {
		name string
		args []string
	}{{"browser_linux", v.BrowserLinux}, {"browser_windows", v.BrowserWindows}} {
		if len(b.args) == 0 {
			continue
		}
		if _, err := browser.ParseCommand(b.args); err != nil {
			p = append(p, fmt.Sprintf("video: %s: %v", b.name, err))
		}
	}
	return p
}

// themeProblems checks each theme and lists its missing texts, one line
// per theme and field, naming the languages.
func (c *City) themeProblems() []string {
	var p []string
	add := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	if !slices.ContainsFunc(c.Themes, func(t Theme) bool { return !t.CounterOnly }) {
		add("themes: the city offers no theme by video")
	}
	seen := map[string]bool{}
	offered := c.Offered()
	for i, t := range c.Themes {
		name := t.ID
		if !idPattern.MatchString(t.ID) {
			add("theme %d: id %q: use lower-case letters, digits and hyphens", i+1, t.ID)
			name = fmt.Sprintf("%d", i+1)
		} else if seen[t.ID] {
			add("theme %s: its id is used twice", t.ID)
		}
		seen[t.ID] = true
		if !isIconFile(t.Icon) && !slices.Contains(KioskIcons, t.Icon) {
			add("theme %s: icon %q: name one of %s, or an .svg file beside the city file", name, t.Icon, strings.Join(KioskIcons, ", "))
		}
		switch {
		case t.CounterOnly && t.Minutes != 0:
			add("theme %s: a counter_only theme has no minutes", name)
		case !t.CounterOnly && (t.Minutes < 10 || t.Minutes > 240):
			add("theme %s: minutes %d: a video appointment lasts 10 to 240 minutes", name, t.Minutes)
		}
		for l := range t.Text {
			if !slices.Contains(offered, l) {
				add("theme %s: texts in %q, which the city does not offer", name, l)
			}
		}
		p = append(p, t.missing(name, offered)...)
	}
	return p
}

// missing lists a theme's missing or broken texts.
func (t Theme) missing(name string, offered []string) []string {
	lacking := map[string][]string{} // field → languages
	var p []string
	prepares := len(t.Text[i18n.Reference].Prepare)
	for _, l := range offered {
		text := t.Text[l]
		if strings.TrimSpace(text.Name) == "" {
			lacking["name"] = append(lacking["name"], l)
		}
		if strings.TrimSpace(text.Summary) == "" {
			lacking["summary"] = append(lacking["summary"], l)
		}
		if len(text.Prepare) != prepares || slices.ContainsFunc(text.Prepare, func(s string) bool { return strings.TrimSpace(s) == "" }) {
			f := fmt.Sprintf("prepare (%d items, as in Dutch)", prepares)
			lacking[f] = append(lacking[f], l)
		}
		switch {
		case t.CounterOnly && strings.TrimSpace(text.InPerson) == "":
			lacking["in_person"] = append(lacking["in_person"], l)
		case !t.CounterOnly && text.InPerson != "":
			p = append(p, fmt.Sprintf("theme %s (%s): in_person is only for a counter_only theme", name, l))
		}
		if err := checkTemplate(text.InPerson); err != nil {
			p = append(p, fmt.Sprintf("theme %s (%s): in_person: %v", name, l, err))
		}
	}
	fields := make([]string, 0, len(lacking))
	for f := range lacking {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		p = append(p, fmt.Sprintf("theme %s: no %s in %s", name, f, strings.Join(lacking[f], ", ")))
	}
	return p
}

// checkTemplate refuses a text that does not parse or names a field other
// than {{.HelpLine}}, {{.Phone}} and {{.City}}.
func checkTemplate(text string) error {
	if _, err := template.New("").Parse(text); err != nil {
		return err
	}
	for _, f := range fieldsOf(text) {
		if !textFields[f] {
			return fmt.Errorf("{{.%s}} is not known: use {{.HelpLine}}, {{.Phone}} or {{.City}}", f)
		}
	}
	return nil
}

var fieldPattern = regexp.MustCompile(`{{\s*\.(\w+)\s*}}`)

func fieldsOf(text string) []string {
	var fs []string
	for _, m := range fieldPattern.FindAllStringSubmatch(text, -1) {
		fs = append(fs, m[1])
	}
	return fs
}
