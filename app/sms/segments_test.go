package sms

import (
	"strings"
	"testing"
)

func TestCountSegments(t *testing.T) {
	a := strings.Repeat
	tests := []struct {
		name  string
		text  string
		enc   Encoding
		units int
		parts int
	}{
		{"empty", "", GSM7, 0, 1},
		{"Dutch", "Stad Gent: morgen om 09:30 video-afspraak.", GSM7, 42, 1},
		{"accents in the default alphabet", "é è à ù ì ò Ä ö ñ Ç ß", GSM7, 21, 1},
		{"160 septets fit one SMS", a("a", 160), GSM7, 160, 1},
		{"161 septets take two", a("a", 161), GSM7, 161, 2},
		{"two full parts", a("a", 306), GSM7, 306, 2},
		{"one more takes three", a("a", 307), GSM7, 307, 3},
		{"extension characters take two septets", a("€", 80), GSM7, 160, 1},
		{"one more does not fit", a("€", 80) + "a", GSM7, 161, 2},
		{"line breaks are one septet", "a\nb\r\nc", GSM7, 6, 1},
		// 306 septets would be two parts, but the euro sign cannot be cut
		// in two at the end of the first.
		{"an escape is never split", a("a", 152) + "€" + a("a", 152), GSM7, 306, 3},
		{"one character outside GSM-7 makes it UCS-2", "Stad Gent: ç", UCS2, 12, 1},
		{"á is not in GSM-7", "á", UCS2, 1, 1},
		{"the ç of French", "français", UCS2, 8, 1},
		{"70 units fit one SMS", a("Ж", 70), UCS2, 70, 1},
		{"71 take two", a("Ж", 71), UCS2, 71, 2},
		{"two full parts of 67", a("Ж", 134), UCS2, 134, 2},
		{"one more takes three", a("Ж", 135), UCS2, 135, 3},
		{"Arabic", "بلدية غنت", UCS2, 9, 1},
		{"a bidi isolate is a character", "\u2066a\u2069", UCS2, 3, 1},
		{"outside the BMP: two units", "😀", UCS2, 2, 1},
		{"a surrogate pair is never split", a("Ж", 66) + "😀" + a("Ж", 66), UCS2, 134, 3},
	}
	for _, tt := range tests {
		got := CountSegments(tt.text)
		if got != (Segments{Encoding: tt.enc, Units: tt.units, Parts: tt.parts}) {
			t.Errorf("%s: %+v, want %s, %d units, %d parts", tt.name, got, tt.enc, tt.units, tt.parts)
		}
	}
}

// The tables hold what 3GPP TS 23.038 lists: 128 characters less the
// escape, and ten in the extension table.
func TestGSM7Tables(t *testing.T) {
	if len(gsm7Basic) != 127 {
		t.Errorf("default alphabet has %d characters, want 127", len(gsm7Basic))
	}
	if len(gsm7Extension) != 10 {
		t.Errorf("extension table has %d characters, want 10", len(gsm7Extension))
	}
	for r := range gsm7Extension {
		if gsm7Basic[r] {
			t.Errorf("%q is in both tables", r)
		}
	}
	for _, r := range "`ÀÁÂÃÈÊËÌÍÎÏÒÓÔÕÙÚÛáâãçêëíîïóôõúûýÿœŒşğıłąęčšžřőűăâșțñ" {
		if r != 'ñ' && gsm7Width(r) != 0 {
			t.Errorf("%q is not in GSM-7", r)
		}
	}
}
