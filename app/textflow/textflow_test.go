package textflow

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// runeWidth measures one unit per character, enough to test wrapping.
func runeWidth(s string, _ bool) float32 { return float32(utf8.RuneCountInString(s)) }

func TestWrapKeepsLogicalOrder(t *testing.T) {
	tests := []struct {
		text  string
		width float32
		want  []string
	}{
		{"one two three four", 9, []string{"one two", "three", "four"}},
		{"one two three four", 100, []string{"one two three four"}},
		{"a verylongword b", 5, []string{"a", "verylongword", "b"}},
		{"first\nsecond line", 6, []string{"first", "second", "line"}},
		// An Arabic sentence wraps from its first word, in logical order:
		// the end of the sentence is on the last line.
		{"موعدك يبدأ الساعة 09:00 غدا", 12, []string{"موعدك يبدأ", "الساعة 09:00", "غدا"}},
		// An isolated phone number is not broken over two lines.
		{"اتصل على \u206609 234 56 78\u2069.", 14, []string{"اتصل على", "\u206609 234 56 78\u2069."}},
	}
	for _, tt := range tests {
		if got := Wrap(tt.text, tt.width, runeWidth); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Wrap(%q, %v) = %q, want %q", tt.text, tt.width, got, tt.want)
		}
	}
}

func texts(l Line) []string {
	var out []string
	for _, p := range l {
		out = append(out, p.Text)
	}
	return out
}

func TestOrderPutsRunsInDisplayOrder(t *testing.T) {
	tests := []struct {
		name string
		line string
		rtl  bool
		want []string // left to right on screen
	}{
		{"latin stays", "Your code is K7M-4PQ.", false, []string{"Your code is K7M-4PQ."}},
		// "Your code is K7M-4PQ." in Arabic: the first word sits on the
		// right, the code in the middle reads left to right, and the full
		// stop ends the sentence on the left.
		{"arabic with a code", "رمزك هو K7M-4PQ.", true, []string{".", "K7M-4PQ", " ", "هو", " ", "رمزك"}},
		{"arabic with a time", "يبدأ موعدك الساعة 09:00", true, []string{"09:00", " ", "الساعة", " ", "موعدك", " ", "يبدأ"}},
		{"question mark on the left", "هل تحتاج مساعدة؟", true, []string{"؟", "مساعدة", " ", "تحتاج", " ", "هل"}},
		{"brackets are mirrored", "الطاقة (energie)", true, []string{"(", "energie", ")", " ", "الطاقة"}},
		{"arabic brackets", "مركز (الطاقة)", true, []string{"(", "الطاقة", ")", " ", "مركز"}},
		{"latin name first", "Amina مرحبا", true, []string{"مرحبا", " ", "Amina"}},
		{"arabic word in latin", "Welcome مرحبا!", false, []string{"Welcome", " ", "مرحبا", "!"}},
		// After an Arabic word, digits count as right to left: the groups
		// of a phone number come out reversed ...
		{"phone number reversed", "الرقم 09 234 56 78", true, []string{"78", " ", "56", " ", "234", " ", "09", " ", "الرقم"}},
		// ... unless it is isolated, as package i18n does with every
		// left-to-right value in a right-to-left message. The marks are
		// not drawn.
		{"phone number isolated", "الرقم \u206609 234 56 78\u2069.", true, []string{".", "09 234 56 78", " ", "الرقم"}},
	}
	for _, tt := range tests {
		got := texts(Order(tt.line, tt.rtl))
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: Order(%q) = %q, want %q", tt.name, tt.line, got, tt.want)
		}
		if joined := strings.Join(got, ""); utf8.RuneCountInString(joined) != utf8.RuneCountInString(strings.Map(dropIsolates, tt.line)) {
			t.Errorf("%s: pieces %q lose or add characters", tt.name, got)
		}
	}
}

func TestPiecesKnowTheirScript(t *testing.T) {
	for _, p := range Order("هل رمزك، K7M-4PQ، صحيح؟", true) {
		if (p.Text == "؟" || p.Text == "،") && !p.RTL {
			t.Errorf("Arabic punctuation %q would be drawn in the Latin font", p.Text)
		}
		if p.RTL != HasRTL(p.Text) {
			t.Errorf("piece %q: RTL=%v", p.Text, p.RTL)
		}
	}
}
