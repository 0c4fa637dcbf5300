package sms

import "unicode/utf16"

// Encoding is how a phone network carries an SMS text.
type Encoding string

const (
	// GSM7 is the GSM 03.38 default alphabet (with its extension table),
	// seven bits a character: 160 in one SMS, 153 a part when split.
	GSM7 Encoding = "GSM-7"
	// UCS2 is used as soon as one character is outside GSM-7: 70 UTF-16
	// code units in one SMS, 67 a part when split.
	UCS2 Encoding = "UCS-2"
)

// Single-SMS and per-part capacities. A split message gives up 6 bytes of
// each part to the concatenation header: 7 septets or 3 UTF-16 units.
const (
	gsm7Single = 160
	gsm7Part   = 153
	ucs2Single = 70
	ucs2Part   = 67
)

// Segments is what a text costs as an SMS.
type Segments struct {
	Encoding Encoding
	Units    int // septets for GSM-7, UTF-16 code units for UCS-2
	Parts    int // SMS billed; 1 for an empty text
}

// CountSegments counts the parts a phone splits text into, the way phones
// and providers do: GSM-7 when every character is in the GSM 03.38 default
// alphabet or its extension table (which takes two septets: an escape and
// the character), UCS-2 otherwise. A split never cuts an escape sequence
// or a UTF-16 surrogate pair in two, so a part can hold one unit less than
// its capacity. National language shift tables (Turkish, Portuguese…) are
// not assumed: networks and phones here do not use them.
func CountSegments(text string) Segments {
	enc, single, part := GSM7, gsm7Single, gsm7Part
	width := gsm7Width
	for _, r := range text {
		if gsm7Width(r) == 0 {
			enc, single, part = UCS2, ucs2Single, ucs2Part
			width = utf16.RuneLen
			break
		}
	}
	s := Segments{Encoding: enc, Parts: 1}
	used := 0 // in the current part
	for _, r := range text {
		w := width(r)
		s.Units += w
		if used+w > part {
			s.Parts++
			used = 0
		}
		used += w
	}
	if s.Units <= single {
		s.Parts = 1
	}
	return s
}

// gsm7Width is the septets r takes in GSM-7, 0 when it has none.
func gsm7Width(r rune) int {
	switch {
	case gsm7Basic[r]:
		return 1
	case gsm7Extension[r]:
		return 2
	}
	return 0
}

// gsm7Basic is the GSM 03.38 default alphabet (3GPP TS 23.038 §6.2.1),
// one septet each. ESC (0x1B) is left out: it introduces the extension
// table and is no character of its own.
var gsm7Basic = runeSet(
	"@£$¥èéùìòÇ\nØø\rÅå" +
		"Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ" +
		" !\"#¤%&'()*+,-./" +
		"0123456789:;<=>?" +
		"¡ABCDEFGHIJKLMNO" +
		"PQRSTUVWXYZÄÖÑÜ§" +
		"¿abcdefghijklmno" +
		"pqrstuvwxyzäöñüà")

// gsm7Extension is the default extension table (§6.2.1.1): an escape
// septet and the character, two septets each.
var gsm7Extension = runeSet("\f^{}\\[~]|€")

func runeSet(s string) map[rune]bool {
	m := make(map[rune]bool, len(s))
	for _, r := range s {
		m[r] = true
	}
	return m
}
