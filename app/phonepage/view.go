package phonepage

import (
	"embed"
	"html/template"
	"net/http"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/i18n"
)

//go:embed templates/*.html
var templateFiles embed.FS

// pages are parsed once: the layout with each page's "main".
var pages = map[string]*template.Template{}

func init() {
	for _, name := range []string{"appointment", "cancel", "cancelled", "message"} {
		pages[name] = template.Must(template.ParseFS(templateFiles, "templates/layout.html", "templates/"+name+".html"))
	}
}

// line is one text in the visitor's language and, underneath, in Dutch: the
// official text, which the city must always give (Flemish language law).
// NL is empty when the visitor reads Dutch or the words are the same.
type line struct{ Text, NL string }

// day and clock are template data that each language writes its own way,
// from CLDR: "maandag 30 november 2026", "lundi 30 novembre 2026"; "09:30",
// "9:30 am".
type (
	day   time.Time
	clock time.Time
)

// view is what every page shows around its own part: the language, the
// translation note, the city's help line and the language links.
type view struct {
	Lang       string
	Dir        string // "rtl" for Arabic, Dari, Pashto
	Title      string
	Translated line // says this page is a translation; empty in Dutch
	HelpCall   line
	HelpHref   template.URL
	Languages  []langLink

	msgs *i18n.Catalog
}

type langLink struct {
	Tag, Name string
	Current   bool
}

func (h *handler) newView(lang string) *view {
	v := &view{Lang: lang, Dir: "ltr", msgs: h.cfg.Catalog}
	if h.cfg.Catalog.Language(lang).RTL {
		v.Dir = "rtl"
	}
	v.Title = v.T("PhoneTitle").Text
	if lang != i18n.Reference {
		v.Translated = v.T("PhoneTranslation")
	}
	v.HelpCall = v.tr("PhoneCallHelpLine", map[string]any{"Phone": h.cfg.HelpPhone})
	v.HelpHref = telURI(h.cfg.HelpPhone)
	for _, l := range i18n.Offered {
		v.Languages = append(v.Languages, langLink{Tag: l.Tag, Name: l.Name, Current: l.Tag == lang})
	}
	return v
}

// T is a message without data; templates call it for fixed labels.
func (v *view) T(id string) line { return v.tr(id, nil) }

// tr is a message in the visitor's language and in Dutch.
func (v *view) tr(id string, data map[string]any) line {
	return v.both(func(lang string) string { return v.msgs.T(lang, id, v.localise(lang, data)) })
}

// plural is a message whose words depend on count.
func (v *view) plural(id string, count int, data map[string]any) line {
	return v.both(func(lang string) string { return v.msgs.N(lang, id, count, v.localise(lang, data)) })
}

func (v *view) both(text func(lang string) string) line {
	l := line{Text: text(v.Lang)}
	if v.Lang != i18n.Reference {
		if nl := text(i18n.Reference); nl != l.Text {
			l.NL = nl
		}
	}
	return l
}

// text picks a catalogue text (theme name, what to prepare) in both.
func (v *view) text(t domain.Text) line {
	return v.both(t.In)
}

func (v *view) localise(lang string, data map[string]any) map[string]any {
	out := make(map[string]any, len(data))
	for k, val := range data {
		switch t := val.(type) {
		case day:
			val = v.msgs.Date(lang, time.Time(t), domain.Brussels)
		case clock:
			val = v.msgs.Time(lang, time.Time(t), domain.Brussels)
		}
		out[k] = val
	}
	return out
}

// telURI makes a tappable link of a Belgian number as people write it:
// "09 234 56 78" becomes tel:+3292345678.
func telURI(phone string) template.URL {
	var digits strings.Builder
	for _, c := range phone {
		if c >= '0' && c <= '9' {
			digits.WriteRune(c)
		}
	}
	d := digits.String()
	switch {
	case strings.HasPrefix(phone, "+"):
		d = "+" + d
	case strings.HasPrefix(d, "00"):
		d = "+" + d[2:]
	case strings.HasPrefix(d, "0"):
		d = "+32" + d[1:]
	}
	return template.URL("tel:" + d) // digits and + only, so safe
}

// fact is one row of the appointment's details.
type fact struct {
	Label, Value line
	Code         bool // the booking code, set in a font that tells 3 from E
}

// facts are what the visitor needs to know: theme, date, time, duration
// and booking code. No name, e-mail or phone: the page may be seen by
// whoever holds the phone.
func (v *view) facts(a domain.Appointment, svc domain.Service) []fact {
	minutes := int(a.End.Sub(a.Start) / time.Minute)
	return []fact{
		{Label: v.T("PhoneTheme"), Value: v.text(svc.Name)},
		{Label: v.T("PhoneDate"), Value: v.both(func(lang string) string { return v.msgs.Date(lang, a.Start, domain.Brussels) })},
		{Label: v.T("PhoneTime"), Value: v.tr("PhoneTimeValue", map[string]any{"Start": clock(a.Start), "End": clock(a.End)})},
		{Label: v.T("PhoneDuration"), Value: v.plural("PhoneDurationValue", minutes, nil)},
		{Label: v.T("PhoneCode"), Value: line{Text: a.Code}, Code: true},
	}
}

// render writes a page. HEAD gets the headers only; net/http drops the body.
func render(w http.ResponseWriter, status int, name string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	// An error here is the client going away: the templates themselves are
	// tested on every page.
	_ = pages[name].ExecuteTemplate(w, "layout", data)
}

// offered tells whether tag is a language the catalogue has.
func (h *handler) offered(tag string) bool {
	return tag != "" && h.cfg.Catalog.Language(tag).Tag == tag
}

// appointmentLang is the language of an appointment's pages: ?lang=xx
// when the visitor switched, otherwise the one chosen at the kiosk.
func (h *handler) appointmentLang(r *http.Request, a domain.Appointment) string {
	if q := r.URL.Query().Get("lang"); h.offered(q) {
		return q
	}
	if h.offered(a.Language) {
		return a.Language
	}
	return i18n.Reference
}

// guessLang is the language of a page without an appointment: ?lang=xx,
// else the phone's own languages in order of preference, else Dutch.
func (h *handler) guessLang(r *http.Request) string {
	if q := r.URL.Query().Get("lang"); h.offered(q) {
		return q
	}
	tags, _, _ := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	for _, t := range tags {
		// Match answers Dutch for anything it does not know, so only a
		// real Dutch tag ends the search with Dutch.
		m := h.cfg.Catalog.Match(t.String())
		if base, _ := t.Base(); m != i18n.Reference || base.String() == i18n.Reference {
			return m
		}
	}
	return i18n.Reference
}
