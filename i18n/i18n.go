// Package i18n loads the kiosk's message files and formats dates and times
// for each language it offers. It may import go-i18n, golang.org/x/text and
// CLDR data, never Fyne.
//
// One Bundle is built at start-up; the kiosk's session picks a Localizer by
// language tag, so the visitor's own language switch drives the text rather
// than the PC's locale.
package i18n

import (
	"embed"
	"fmt"
	"golang.org/x/text/language/display"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/go-playground/locales"
	"github.com/go-playground/locales/ar"
	"github.com/go-playground/locales/bg_BG"
	"github.com/go-playground/locales/en_BE"
	"github.com/go-playground/locales/es_ES"
	"github.com/go-playground/locales/fa_AF"
	"github.com/go-playground/locales/fr_BE"
	"github.com/go-playground/locales/nl_BE"
	"github.com/go-playground/locales/pl_PL"
	"github.com/go-playground/locales/ps_AF"
	"github.com/go-playground/locales/ro_RO"
	"github.com/go-playground/locales/ru_RU"
	"github.com/go-playground/locales/sk_SK"
	"github.com/go-playground/locales/tr_TR"
	"github.com/go-playground/locales/uk_UA"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"golang.org/x/text/unicode/bidi"
)

//go:embed active.*.toml
var files embed.FS

// Language is one language the kiosk offers.
type Language struct {
	Tag  string // BCP 47, also the message file's suffix
	Name string // the language's own name, in its own script
	RTL  bool   // written right to left
	cldr func() locales.Translator
}

// Offered lists the kiosk's languages in the order the welcome screen shows
// them. Adding one takes a message file active.TAG.toml and one line here.
var Offered = []Language{
	{Tag: "nl", Name: "Nederlands", cldr: nl_BE.New},
	{Tag: "fr", Name: "Français", cldr: fr_BE.New},
	{Tag: "en", Name: "English", cldr: en_BE.New},
	{Tag: "bg", Name: "Български", cldr: bg_BG.New},
	{Tag: "tr", Name: "Türkçe", cldr: tr_TR.New},
	{Tag: "uk", Name: "Українська", cldr: uk_UA.New},
	{Tag: "ar", Name: "العربية", RTL: true, cldr: ar.New},
	{Tag: "fa-AF", Name: "دری", RTL: true, cldr: fa_AF.New},
	{Tag: "ps", Name: "پښتو", RTL: true, cldr: ps_AF.New},
	{Tag: "ro", Name: "Română", cldr: ro_RO.New},
	{Tag: "pl", Name: "Polski", cldr: pl_PL.New},
	{Tag: "sk", Name: "Slovenčina", cldr: sk_SK.New},
	{Tag: "es", Name: "Español", cldr: es_ES.New},
	{Tag: "ru", Name: "Русский", cldr: ru_RU.New},
}

// ForInterpreters are the languages the city finds video interpreters for
// beyond the offered ones, by their own names. Tigrinya and Amharic are
// named in Latin letters: the kiosk carries no Ethiopic font. "und" is
// "another language", which staff ask about.
var ForInterpreters = []Language{
	{Tag: "so", Name: "Soomaali"},
	{Tag: "sq", Name: "Shqip"},
	{Tag: "fa", Name: "فارسی", RTL: true},
	{Tag: "ur", Name: "اردو", RTL: true},
	{Tag: "ckb", Name: "کوردی", RTL: true},
	{Tag: "ti", Name: "Tigrinya"},
	{Tag: "am", Name: "Amharic"},
}

// InterpreterLanguages are the offered languages and ForInterpreters: what
// an interpreter may be asked for in.
func InterpreterLanguages() []Language { return append(slices.Clone(Offered), ForInterpreters...) }

// OwnName is a language's own name, for the offered and interpreter
// languages; the tag itself for any other.
func OwnName(tag string) string {
	for _, l := range InterpreterLanguages() {
		if l.Tag == tag {
			return l.Name
		}
	}
	return tag
}

// NameIn names the language tag in the language ui from CLDR ("Arabisch"
// in Dutch), so a sentence keeps one script; where CLDR has no name, the
// language's own name. Dari is "Dari" in Dutch, as Ghent's interpreters
// say, not CLDR's "Perzisch (Afghanistan)".
func NameIn(ui, tag string) string {
	if ui == Reference && tag == "fa-AF" {
		return "Dari"
	}
	u, err1 := language.Parse(ui)
	t, err2 := language.Parse(tag)
	if err1 == nil && err2 == nil {
		if name := display.Tags(u).Name(t); name != "" {
			return name
		}
	}
	return OwnName(tag)
}

// DutchFirst are the languages a message to a visitor reading lang is
// written in: Dutch, and lang after it when it is another (Flemish
// language law: the city speaks Dutch, a translation is labelled).
func DutchFirst(lang string) []string {
	if lang == "" || lang == Reference {
		return []string{Reference}
	}
	return []string{Reference, lang}
}

// Tags are the offered languages' tags: what a booking's language may be.
func Tags() []string {
	tags := make([]string, len(Offered))
	for i, l := range Offered {
		tags[i] = l.Tag
	}
	return tags
}

// Reference is the city's language: Dutch.
const Reference = "nl"

// Catalog holds every message in every offered language.
type Catalog struct {
	bundle     *goi18n.Bundle
	localizers map[string]*goi18n.Localizer
	formats    map[string]locales.Translator
	langs      map[string]Language
	matcher    language.Matcher

	place atomic.Pointer[Place]

	mu      sync.Mutex
	missing map[string]bool // ids asked for but not found: a test failure
}

// Place is what messages say of the city they serve, from its city file:
// {{.City}} is its name and {{.Authority}} how it signs ("Stad Gent"), in
// the message's language; {{.HelpLine}} its information line's name and
// {{.Phone}} that line's number. A message's own data comes first.
type Place struct {
	City, Authority func(lang string) string
	HelpLine, Phone string
}

// SetPlace makes the city's name and help line known to every message.
// Until it is called they render as "<no value>", and Missing lists each
// message that did.
func (c *Catalog) SetPlace(p Place) { c.place.Store(&p) }

// withPlace adds the city's fields to data, without overriding any.
func (c *Catalog) withPlace(lang string, data any) any {
	p := c.place.Load()
	if p == nil {
		return data
	}
	m, ok := data.(map[string]any)
	if !ok && data != nil {
		return data
	}
	out := map[string]any{"City": p.City(lang), "Authority": p.Authority(lang), "HelpLine": p.HelpLine, "Phone": p.Phone}
	for k, v := range m {
		out[k] = v
	}
	return out
}

// IsRTL tells whether lang, an offered language's tag, is written right to
// left.
func IsRTL(lang string) bool {
	for _, l := range Offered {
		if l.Tag == lang {
			return l.RTL
		}
	}
	return false
}

// Load reads the embedded message files.
func Load() (*Catalog, error) {
	bundle := goi18n.NewBundle(language.Dutch)
	bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	c := &Catalog{
		bundle:     bundle,
		localizers: map[string]*goi18n.Localizer{},
		formats:    map[string]locales.Translator{},
		langs:      map[string]Language{},
		missing:    map[string]bool{},
	}
	tags := make([]language.Tag, 0, len(Offered))
	for _, l := range Offered {
		if _, err := bundle.LoadMessageFileFS(files, "active."+l.Tag+".toml"); err != nil {
			return nil, fmt.Errorf("load messages for %s: %w", l.Tag, err)
		}
		c.localizers[l.Tag] = goi18n.NewLocalizer(bundle, l.Tag)
		c.formats[l.Tag] = l.cldr()
		c.langs[l.Tag] = l
		tags = append(tags, language.MustParse(l.Tag))
	}
	c.matcher = language.NewMatcher(tags)
	return c, nil
}

// MustLoad is Load for programs and tests, where a broken embedded file is a
// build mistake.
func MustLoad() *Catalog {
	c, err := Load()
	if err != nil {
		panic(err)
	}
	return c
}

// Language returns the offered language with tag, or Dutch.
func (c *Catalog) Language(tag string) Language {
	if l, ok := c.langs[tag]; ok {
		return l
	}
	return c.langs[Reference]
}

// Match picks the offered language closest to a locale such as the PC's
// ("fr_BE.UTF-8", "en-GB"); Dutch when nothing fits.
func (c *Catalog) Match(locale string) string {
	tag, err := language.Parse(normaliseLocale(locale))
	if err != nil {
		return Reference
	}
	// Use the index, not the returned tag: the tag can carry extensions.
	_, index, conf := c.matcher.Match(tag)
	if conf == language.No {
		return Reference
	}
	return Offered[index].Tag
}

func normaliseLocale(s string) string {
	for i, r := range s {
		if r == '.' || r == '@' {
			s = s[:i]
			break
		}
	}
	b := []byte(s)
	for i := range b {
		if b[i] == '_' {
			b[i] = '-'
		}
	}
	return string(b)
}

// T returns message id in lang, with data filled into its template. A
// missing message returns the id itself, so it shows up in tests and
// screenshots instead of as an empty label.
func (c *Catalog) T(lang, id string, data map[string]any) string {
	return c.localize(lang, &goi18n.LocalizeConfig{MessageID: id, TemplateData: data})
}

// N returns plural message id in lang for count, with count available to the
// template as {{.Count}}.
func (c *Catalog) N(lang, id string, count int, data map[string]any) string {
	d := map[string]any{"Count": count}
	for k, v := range data {
		d[k] = v
	}
	return c.localize(lang, &goi18n.LocalizeConfig{MessageID: id, PluralCount: count, TemplateData: d})
}

func (c *Catalog) localize(lang string, cfg *goi18n.LocalizeConfig) string {
	cfg.TemplateData = c.withPlace(lang, cfg.TemplateData)
	if c.langs[lang].RTL {
		cfg.TemplateData = isolated(cfg.TemplateData)
	}
	loc, ok := c.localizers[lang]
	if !ok {
		loc = c.localizers[Reference]
	}
	s, err := loc.Localize(cfg)
	if err == nil && c.place.Load() == nil && strings.Contains(s, "<no value>") {
		// The program never said which city it serves: a test failure,
		// but the visitor still reads the rest.
		c.mu.Lock()
		c.missing[cfg.MessageID+" (a field has no value)"] = true
		c.mu.Unlock()
	}
	if err != nil {
		c.mu.Lock()
		c.missing[cfg.MessageID] = true
		c.mu.Unlock()
		return cfg.MessageID
	}
	return s
}

// isolated wraps each left-to-right text value (a phone number, a code, a
// link, a Latin name) in a left-to-right isolate, U+2066 … U+2069, for a
// right-to-left message. Without it the bidi algorithm reverses the groups
// of "09 234 56 78" after an Arabic word: digits count as right to left
// there. Values with right-to-left letters (an Arabic date) flow as they
// are.
func isolated(data any) any {
	m, ok := data.(map[string]any)
	if !ok {
		return data
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		if s, ok := v.(string); ok {
			v = Isolate(s)
		}
		out[k] = v
	}
	return out
}

// Isolate wraps a left-to-right value (a phone number, a code, an e-mail
// address, a Latin name) in a left-to-right isolate, so it keeps its order
// in a right-to-left line; a value with right-to-left letters, or none at
// all, comes back as it is.
func Isolate(s string) string {
	if s == "" || hasRTL(s) {
		return s
	}
	return "\u2066" + s + "\u2069"
}

// hasRTL tells whether s has a right-to-left letter (bidi class R or AL).
func hasRTL(s string) bool {
	for _, r := range s {
		if p, _ := bidi.LookupRune(r); p.Class() == bidi.R || p.Class() == bidi.AL {
			return true
		}
	}
	return false
}

// Missing lists the message ids that were asked for and not found, so tests
// that drive every screen can fail on them.
func (c *Catalog) Missing() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	ids := make([]string, 0, len(c.missing))
	for id := range c.missing {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Date formats t as a full date in lang ("maandag 30 november 2026"), in the
// city's time zone, from CLDR data.
func (c *Catalog) Date(lang string, t time.Time, loc *time.Location) string {
	return c.format(lang).FmtDateFull(t.In(loc))
}

// Time formats the clock time of t in lang ("09:30"), in loc. Ghent's
// times are on a 24-hour clock in every language: where CLDR's short time
// is a 12-hour one (Arabic's "9:30 ص"), it is written 09:30.
func (c *Catalog) Time(lang string, t time.Time, loc *time.Location) string {
	f := c.format(lang)
	if !twentyFourHour(f) {
		return t.In(loc).Format("15:04")
	}
	return f.FmtTimeShort(t.In(loc))
}

// twentyFourHour tells whether a locale writes one in the afternoon as 13.
func twentyFourHour(f locales.Translator) bool {
	return strings.Contains(f.FmtTimeShort(time.Date(2026, 1, 1, 13, 0, 0, 0, time.UTC)), "13")
}

func (c *Catalog) format(lang string) locales.Translator {
	if f, ok := c.formats[lang]; ok {
		return f
	}
	return c.formats[Reference]
}
