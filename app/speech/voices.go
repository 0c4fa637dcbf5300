package speech

import (
	"sort"
	"strings"
)

// languages says, for every language the kiosk offers, which voices of each
// speech program may read it, best first. The voices actually there are
// detected at start-up; a language whose candidates are all missing has no
// voice, and is never handed to a neighbour's voice instead. Keys are
// primary language subtags: "fa-AF" (Dari) is looked up as "fa".
//
// espeak-ng names are its language names (espeak-ng --voices); sapi and say
// name locales, and a bare language there matches any region of it.
var languages = map[string]struct{ espeak, locale []string }{
	// espeak-ng has only Netherlands Dutch; Flemish visitors understand it.
	"nl": {espeak: []string{"nl"}, locale: []string{"nl-BE", "nl-NL", "nl"}},
	"fr": {espeak: []string{"fr-be", "fr-fr", "fr"}, locale: []string{"fr-BE", "fr-FR", "fr"}},
	"en": {espeak: []string{"en-gb", "en"}, locale: []string{"en-GB", "en-IE", "en"}},
	"bg": {espeak: []string{"bg"}, locale: []string{"bg"}},
	"tr": {espeak: []string{"tr"}, locale: []string{"tr"}},
	"uk": {espeak: []string{"uk"}, locale: []string{"uk"}},
	// espeak-ng's Arabic reads Modern Standard Arabic; without vowel marks
	// it guesses some vowels, but it is understood.
	"ar": {espeak: []string{"ar"}, locale: []string{"ar"}},
	// Dari is a variety of Persian written in the same script. espeak-ng's
	// Persian (fa, not fa-latn, which reads Latin-script "Pinglish") sounds
	// Iranian, but Dari speakers understand it, so it is offered for fa-AF.
	"fa": {espeak: []string{"fa"}, locale: []string{"fa-AF", "prs-AF", "prs", "fa"}},
	// Pashto: espeak-ng 1.51 (Debian 12) has no voice. Its Persian voice
	// spells Pashto's own letters by name, so it must not stand in. Listed
	// so that a later espeak-ng with a Pashto voice is picked up.
	"ps": {espeak: []string{"ps"}, locale: []string{"ps"}},
	"ro": {espeak: []string{"ro"}, locale: []string{"ro"}},
	"pl": {espeak: []string{"pl"}, locale: []string{"pl"}},
	"sk": {espeak: []string{"sk"}, locale: []string{"sk"}},
	"es": {espeak: []string{"es"}, locale: []string{"es-ES", "es"}},
	"ru": {espeak: []string{"ru"}, locale: []string{"ru"}},
}

// languageKey turns a BCP 47 tag or a locale ("fa-AF", "fr_BE") into a key
// of languages, or "".
func languageKey(tag string) string {
	tag = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(tag), "_", "-"))
	if i := strings.IndexByte(tag, '-'); i >= 0 {
		tag = tag[:i]
	}
	if _, ok := languages[tag]; !ok {
		return ""
	}
	return tag
}

func languageKeys() []string {
	keys := make([]string, 0, len(languages))
	for k := range languages {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// installed is one voice a speech program lists: the language or locale it
// reads (lower case, "-" between subtags) and the name to select it by.
type installed struct{ lang, name string }

// pickVoices matches what a program lists against each language's
// candidates. With prefix, a bare candidate ("nl") also matches a region of
// it ("nl-be"); espeak-ng gets exact matches only, because there "fa" must
// not fall back to "fa-latn".
func pickVoices(list []installed, candidates func(key string) []string, prefix bool) map[string]string {
	voices := map[string]string{}
	for key := range languages {
	search:
		for _, c := range candidates(key) {
			c = strings.ToLower(c)
			for _, v := range list {
				if v.lang == c {
					voices[key] = v.name
					break search
				}
			}
			if !prefix || strings.Contains(c, "-") {
				continue
			}
			for _, v := range list {
				if strings.HasPrefix(v.lang, c+"-") {
					voices[key] = v.name
					break search
				}
			}
		}
	}
	return voices
}

// normLocale writes a locale as pickVoices compares it: "nl_BE" → "nl-be".
func normLocale(s string) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), "_", "-"))
}
