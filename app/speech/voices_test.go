package speech

import (
	"os"
	"slices"
	"strings"
	"testing"
)

func TestLanguageKey(t *testing.T) {
	for _, tc := range []struct{ tag, want string }{
		{"nl", "nl"}, {"NL", "nl"}, {"nl-BE", "nl"}, {"fr_BE", "fr"},
		{"fa-AF", "fa"}, {"fa", "fa"}, {"ps", "ps"}, {"ps-AF", "ps"},
		{"en-US", "en"}, {" ru ", "ru"},
		{"de", ""}, {"", ""}, {"-", ""}, {"prs", ""},
	} {
		if got := languageKey(tc.tag); got != tc.want {
			t.Errorf("languageKey(%q) = %q, want %q", tc.tag, got, tc.want)
		}
	}
}

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The voice table each program gets from its listing. espeak-ng's is
// Debian 12's real one; the SAPI and say listings are made up (see
// testdata/README.md).
func TestPickVoices(t *testing.T) {
	locale := func(k string) []string { return languages[k].locale }
	for _, tc := range []struct {
		name string
		got  map[string]string
		want map[string]string
	}{
		{
			"espeak-ng 1.51 (Debian 12)",
			pickVoices(parseEspeakVoices(readTestdata(t, "espeak-ng-1.51-voices.txt")), func(k string) []string { return languages[k].espeak }, false),
			map[string]string{
				"nl": "nl", "fr": "fr-be", "en": "en-gb", "bg": "bg", "tr": "tr", "uk": "uk",
				"ar": "ar", "fa": "fa", "ro": "ro", "pl": "pl", "sk": "sk", "es": "es", "ru": "ru",
				// no "ps": espeak-ng has no Pashto
			},
		},
		{
			"SAPI desktop voices",
			pickVoices(parseSAPIVoices(readTestdata(t, "sapi-voices.txt")), locale, true),
			map[string]string{
				"nl": "Microsoft Frank Desktop", "fr": "Microsoft Hortense Desktop",
				"en": "Microsoft Hazel Desktop", "es": "Microsoft Helena Desktop",
				"ar": "Microsoft Naayf Desktop", "ru": "Microsoft Irina Desktop",
				"pl": "Microsoft Paulina Desktop", "tr": "Microsoft Tolga Desktop",
			},
		},
		{
			"macOS say",
			pickVoices(parseSayVoices(readTestdata(t, "say-voices.txt")), locale, true),
			map[string]string{
				"nl": "Ellen", "fr": "Thomas", "en": "Daniel", "bg": "Daria", "tr": "Yelda",
				"uk": "Lesya", "ar": "Majed", "ro": "Ioana", "pl": "Zosia", "sk": "Laura",
				"es": "Mónica", "ru": "Milena",
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, k := range languageKeys() {
				if tc.got[k] != tc.want[k] {
					t.Errorf("%s: voice %q, want %q", k, tc.got[k], tc.want[k])
				}
			}
		})
	}
}

func TestPickVoicesNeverBorrows(t *testing.T) {
	// Only Persian in Latin script and French from France: no "fa" for
	// Dari text, and French still found.
	list := parseEspeakVoices(" 5  fa-latn         --/M      Persian_(Pinglish) ira/fa-Latn\n 5  fr-fr           --/M      French_(France)    roa/fr               (fr 5)\n")
	got := pickVoices(list, func(k string) []string { return languages[k].espeak }, false)
	if v, ok := got["fa"]; ok {
		t.Errorf("fa got voice %q, want none", v)
	}
	if got["fr"] != "fr-fr" {
		t.Errorf("fr got %q, want fr-fr", got["fr"])
	}
	// A locale list with only Iranian Persian still serves Dari (the same
	// language and script), but nothing serves Pashto.
	got = pickVoices([]installed{{"fa-ir", "Dariush"}}, func(k string) []string { return languages[k].locale }, true)
	if got["fa"] != "Dariush" || got["ps"] != "" {
		t.Errorf("got %v", got)
	}
}

func TestParseEspeakVoicesOtherLanguages(t *testing.T) {
	list := parseEspeakVoices(readTestdata(t, "espeak-ng-1.51-voices.txt"))
	if !slices.Contains(list, installed{"fr", "fr"}) {
		t.Error(`"(fr 8)" after fr-be not read as a language`)
	}
	for _, v := range list {
		if v.lang == "pty" || strings.Contains(v.name, " ") {
			t.Errorf("bad entry %#v", v)
		}
	}
}
