package i18n

import (
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/digitalebalie/balie/app/textflow"
)

// messageForms reads a message file and returns, per message id, the plural
// forms it defines.
func messageForms(t *testing.T, tag string) map[string][]string {
	t.Helper()
	data, err := os.ReadFile("active." + tag + ".toml")
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]map[string]any
	if err := toml.Unmarshal(data, &raw); err != nil {
		t.Fatalf("%s: %v", tag, err)
	}
	forms := map[string][]string{}
	for id, fields := range raw {
		for k := range fields {
			if k != "description" && k != "hash" {
				forms[id] = append(forms[id], k)
			}
		}
		sort.Strings(forms[id])
	}
	return forms
}

func TestEveryMessageExistsInEveryLanguage(t *testing.T) {
	ref := messageForms(t, Reference)
	if len(ref) < 50 {
		t.Fatalf("the Dutch file has only %d messages", len(ref))
	}
	for _, l := range Offered {
		got := messageForms(t, l.Tag)
		for id, forms := range ref {
			f, ok := got[id]
			if !ok {
				t.Errorf("%s: message %s is missing", l.Tag, id)
				continue
			}
			plural := len(forms) > 1 || forms[0] != "other"
			if plural && !contains(f, "one") && l.Tag != "tr" {
				t.Errorf("%s: plural message %s has no 'one' form: %v", l.Tag, id, f)
			}
			if !contains(f, "other") {
				t.Errorf("%s: message %s has no 'other' form", l.Tag, id)
			}
		}
		for id := range got {
			if _, ok := ref[id]; !ok {
				t.Errorf("%s: message %s is not in the Dutch file", l.Tag, id)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestPlaceholdersMatchTheReference(t *testing.T) {
	c := MustLoad()
	c.SetPlace(Place{City: func(string) string { return "CITY" }, Authority: func(string) string { return "AUTHORITY" }, HelpLine: "HELPLINE", Phone: "PHONE"})
	data := map[string]any{"Phone": "PHONE", "Day": "DAY", "Date": "DATE", "Time": "TIME", "Start": "START", "End": "END", "Step": 3, "Total": 8}
	for id, forms := range messageForms(t, Reference) {
		// Plural messages are asked with a count, the others without: a
		// count of 7 needs a "few" or "many" form in some languages.
		text := func(lang string) string { return c.T(lang, id, data) }
		if len(forms) > 1 || forms[0] != "other" {
			text = func(lang string) string { return c.N(lang, id, 7, data) }
		}
		want := placeholders(text(Reference))
		if strings.HasPrefix(id, "Sms") {
			// Only the SMS's Dutch line, which comes first, names the city.
			want = slices.DeleteFunc(want, func(p string) bool { return p == "CITY" })
		}
		for _, l := range Offered {
			if got := placeholders(text(l.Tag)); !reflect.DeepEqual(got, want) && (l.Tag != Reference || !strings.HasPrefix(id, "Sms")) {
				t.Errorf("%s %s: placeholders %v, Dutch has %v", l.Tag, id, got, want)
			}
		}
	}
	if m := c.Missing(); len(m) > 0 {
		t.Errorf("missing: %v", m)
	}
}

func placeholders(s string) []string {
	var out []string
	for _, p := range []string{"CITY", "AUTHORITY", "HELPLINE", "PHONE", "DAY", "DATE", "TIME", "START", "END", "7", "8"} {
		if strings.Contains(s, p) {
			out = append(out, p)
		}
	}
	return out
}

func TestPluralsFollowCLDR(t *testing.T) {
	c := MustLoad()
	tests := []struct {
		lang  string
		count int
		want  string
	}{
		{"nl", 1, "1 vrij moment"},
		{"nl", 5, "5 vrije momenten"},
		{"en", 1, "1 free time"},
		{"en", 2, "2 free times"},
		{"fr", 0, "0 créneau libre"},
		{"fr", 1, "1 créneau libre"},
		{"fr", 3, "3 créneaux libres"},
	}
	for _, tt := range tests {
		if got := c.N(tt.lang, "DayFreeSlots", tt.count, nil); got != tt.want {
			t.Errorf("%s %d: got %q, want %q", tt.lang, tt.count, got, tt.want)
		}
	}
}

func TestDatesAndTimesComeFromCLDR(t *testing.T) {
	c := MustLoad()
	brussels, _ := time.LoadLocation("Europe/Brussels")
	// 08:30 UTC is 09:30 in Brussels in winter.
	at := time.Date(2026, 11, 30, 8, 30, 0, 0, time.UTC)
	tests := []struct{ lang, date, time string }{
		{"nl", "maandag 30 november 2026", "09:30"},
		{"fr", "lundi 30 novembre 2026", "09:30"},
		// Ghent's clock has 24 hours in every language, also where CLDR's
		// short time has 12.
		{"en", "Monday, 30 November 2026", "09:30"},
		{"ar", "الاثنين، 30 نوفمبر 2026", "09:30"},
	}
	for _, tt := range tests {
		if got := c.Date(tt.lang, at, brussels); got != tt.date {
			t.Errorf("%s date: %q, want %q", tt.lang, got, tt.date)
		}
		if got := c.Time(tt.lang, at, brussels); got != tt.time {
			t.Errorf("%s time: %q, want %q", tt.lang, got, tt.time)
		}
	}
}

func TestAfternoonIsThirteenEverywhere(t *testing.T) {
	c := MustLoad()
	at := time.Date(2026, 11, 30, 13, 45, 0, 0, time.UTC)
	for _, l := range Offered {
		if got := c.Time(l.Tag, at, time.UTC); !strings.Contains(got, "13") || !strings.Contains(got, "45") {
			t.Errorf("%s: 13:45 is written %q", l.Tag, got)
		}
	}
}

func TestMatchPicksTheClosestOfferedLanguage(t *testing.T) {
	c := MustLoad()
	tests := map[string]string{
		"fr_BE.UTF-8": "fr",
		"nl_BE.UTF-8": "nl",
		"en-GB":       "en",
		"de_DE.UTF-8": "nl", // not offered: the city's language
		"":            "nl",
		"C":           "nl",
	}
	for in, want := range tests {
		if got := c.Match(in); got != want {
			t.Errorf("Match(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMissingMessagesAreReported(t *testing.T) {
	c := MustLoad()
	if got := c.T("nl", "NoSuchMessage", nil); got != "NoSuchMessage" {
		t.Fatalf("got %q", got)
	}
	if m := c.Missing(); !reflect.DeepEqual(m, []string{"NoSuchMessage"}) {
		t.Fatalf("missing = %v", m)
	}
}

// Every count a screen can show finds its CLDR plural form in every
// language: Arabic needs six forms, Polish and Russian four, Turkish one.
func TestEveryPluralFormExists(t *testing.T) {
	for _, l := range Offered {
		c := MustLoad() // Missing is per catalogue: one per language
		have := messageForms(t, l.Tag)
		for id, forms := range messageForms(t, Reference) {
			if len(forms) == 1 && forms[0] == "other" {
				continue
			}
			for n := range 200 {
				c.N(l.Tag, id, n, map[string]any{"Step": 1, "Total": 2})
				if len(c.Missing()) > 0 {
					t.Errorf("%s: %s has no plural form for %d (it has %v)", l.Tag, id, n, have[id])
					c = MustLoad()
					break
				}
			}
		}
	}
}

// In a right-to-left language a phone number or code keeps its left-to-right
// order: it is wrapped in an isolate. Arabic values and other languages are
// left alone.
func TestLeftToRightValuesAreIsolatedInRightToLeftMessages(t *testing.T) {
	c := MustLoad()
	phone := map[string]any{"Phone": "09 234 56 78"}
	if got := c.T("ar", "DayNone", phone); !strings.Contains(got, "\u206609 234 56 78\u2069") {
		t.Errorf("Arabic: %q", got)
	}
	if got := c.T("nl", "DayNone", phone); strings.ContainsAny(got, "\u2066\u2069") {
		t.Errorf("Dutch: %q", got)
	}
	if got := c.T("ar", "DayNone", map[string]any{"Phone": "٠٩ رقم"}); strings.ContainsAny(got, "\u2066\u2069") {
		t.Errorf("an Arabic value was isolated: %q", got)
	}
}

// A left-to-right value keeps its order in a right-to-left line once it is
// isolated: the groups of a phone number are not reversed.
func TestIsolateKeepsAValueInOrder(t *testing.T) {
	for _, tc := range []struct{ value, want string }{
		{"0475 55 66 77", "0475 55 66 77"},
		{"amina@example.be", "amina@example.be"},
		{"K7M-4PQ", "K7M-4PQ"},
	} {
		var shown []string
		for _, p := range textflow.Order(Isolate(tc.value), true) {
			shown = append(shown, p.Text)
		}
		if got := strings.Join(shown, ""); got != tc.want {
			t.Errorf("%q shows as %q", tc.value, got)
		}
	}
	if got := Isolate("الطاقة"); got != "الطاقة" {
		t.Errorf("a right-to-left value was isolated: %q", got)
	}
}
