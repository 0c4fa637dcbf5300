// Package textflow lays a paragraph out in lines and puts each line's pieces
// in display order, for right-to-left languages (Arabic, Dari, Pashto).
//
// Fyne 2.8 shapes Arabic but lays every line out left to right: an Arabic
// sentence with a booking code or a time in it comes out with its runs in
// the wrong order, and punctuation at the end of a right-to-left run lands on
// the wrong side. So the kiosk wraps the paragraph in logical order first
// (wrapping after reordering would put the end of the sentence on the first
// line), then orders each line with the Unicode bidi algorithm
// (golang.org/x/text/unicode/bidi), and hands Fyne only pieces it draws
// correctly on their own: one word of Arabic, one run of Latin or digits,
// one punctuation mark. It imports no Fyne: measuring is passed in.
package textflow

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/bidi"
)

// Piece is a part of a line that is drawn as one text: it has one direction
// and no neutral characters at its edges that Fyne could misplace.
type Piece struct {
	Text string
	RTL  bool // Arabic script: drawn with the Arabic font
}

// Line is one line's pieces from left to right, as they appear on screen.
type Line []Piece

// Measure returns the width of s when drawn (in any unit).
type Measure func(s string, rtl bool) float32

// Wrap breaks text into lines no wider than width, in logical order, at
// spaces, but never inside an isolate (a phone number stays on one line). A
// word wider than the line gets a line of its own. Explicit line breaks are
// kept.
func Wrap(text string, width float32, measure Measure) []string {
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		words := fields(para)
		if len(words) == 0 {
			lines = append(lines, "")
			continue
		}
		line := words[0]
		for _, w := range words[1:] {
			if candidate := line + " " + w; measure(candidate, HasRTL(candidate)) <= width {
				line = candidate
				continue
			}
			lines = append(lines, line)
			line = w
		}
		lines = append(lines, line)
	}
	return lines
}

// Order returns a line's pieces in display order, left to right. rtl is the
// paragraph's direction: the language's, not the line's first letter, so a
// line that starts with a Latin name still reads right to left.
func Order(line string, rtl bool) Line {
	if line == "" {
		return nil
	}
	dir := bidi.LeftToRight
	if rtl {
		dir = bidi.RightToLeft
	}
	var p bidi.Paragraph
	if _, err := p.SetString(line, bidi.DefaultDirection(dir)); err != nil {
		return Line{{Text: line, RTL: HasRTL(line)}}
	}
	ord, err := p.Order()
	if err != nil {
		return Line{{Text: line, RTL: HasRTL(line)}}
	}
	// x/text's Ordering resolves each run's direction but leaves the runs
	// in logical order, so rule L2 is applied here. Without explicit
	// embeddings there are two levels: the paragraph's, and the runs of the
	// other direction one above it. Reversing from the highest level down
	// then means: in a right-to-left paragraph the order of the runs is
	// reversed; in either, the right-to-left runs read right to left.
	runs := make([]bidi.Run, ord.NumRuns())
	for i := range runs {
		runs[i] = ord.Run(i)
	}
	slices.SortFunc(runs, func(a, b bidi.Run) int {
		as, _ := a.Pos()
		bs, _ := b.Pos()
		return as - bs
	})
	if rtl {
		slices.Reverse(runs)
	}
	var out Line
	for _, run := range runs {
		text := strings.Map(dropIsolates, run.String())
		if text == "" {
			continue
		}
		if run.Direction() == bidi.RightToLeft {
			out = append(out, rtlPieces(text)...)
		} else {
			out = append(out, ltrPieces(text)...)
		}
	}
	return out
}

// fields splits a paragraph at spaces outside isolates.
func fields(para string) []string {
	depth := 0
	return strings.FieldsFunc(para, func(r rune) bool {
		switch {
		case r >= '\u2066' && r <= '\u2068':
			depth++
		case r == '\u2069' && depth > 0:
			depth--
		}
		return depth == 0 && unicode.IsSpace(r)
	})
}

// dropIsolates removes the isolate marks (U+2066 … U+2069) that keep a
// phone number or code in one piece: they have done their work once the
// line is ordered, and are not drawn.
func dropIsolates(r rune) rune {
	if r >= '\u2066' && r <= '\u2069' {
		return -1
	}
	return r
}

// rtlPieces splits a right-to-left run into words and single marks and
// returns them right to left, i.e. reversed for left-to-right placement.
// Mirrored characters such as brackets are swapped, as the algorithm's rule
// L4 asks.
func rtlPieces(run string) Line {
	tokens := tokenize(run)
	out := make(Line, 0, len(tokens))
	for i := len(tokens) - 1; i >= 0; i-- {
		t := tokens[i]
		if !HasRTL(t) {
			t = bidi.ReverseString(t) // one mark: mirrored, e.g. "(" → ")"
		}
		out = append(out, Piece{Text: t, RTL: HasRTL(t)})
	}
	return out
}

// ltrPieces keeps a left-to-right run whole, but splits off spaces at its
// edges so widths add up exactly.
func ltrPieces(run string) Line {
	var out Line
	trimmed := strings.TrimLeft(run, " ")
	if lead := len(run) - len(trimmed); lead > 0 {
		out = append(out, Piece{Text: run[:lead]})
	}
	core := strings.TrimRight(trimmed, " ")
	if core != "" {
		out = append(out, Piece{Text: core})
	}
	if trail := len(trimmed) - len(core); trail > 0 {
		out = append(out, Piece{Text: trimmed[len(core):]})
	}
	return out
}

// tokenize splits text into words (letters with their combining marks, and
// the joiners that belong to them) and single other characters.
func tokenize(s string) []string {
	var tokens []string
	var word strings.Builder
	flush := func() {
		if word.Len() > 0 {
			tokens = append(tokens, word.String())
			word.Reset()
		}
	}
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) || r == '\u200c' || r == '\u200d' || r == '\u0640' {
			word.WriteRune(r)
			continue
		}
		flush()
		tokens = append(tokens, string(r))
	}
	flush()
	return tokens
}

// HasRTL tells whether s contains right-to-left script. It goes by Unicode
// block, not by script property: the Arabic comma and question mark (، ؟)
// and the vowel marks belong to the "Common" and "Inherited" scripts, yet
// only an Arabic font has them and they read right to left.
func HasRTL(s string) bool {
	for _, r := range s {
		if IsRTLRune(r) {
			return true
		}
	}
	return false
}

// IsRTLRune tells whether r is in a Hebrew or Arabic block.
func IsRTLRune(r rune) bool {
	switch {
	case r >= 0x0590 && r <= 0x08FF: // Hebrew, Arabic, Syriac, Arabic Supplement, Thaana, ..., Arabic Extended-A
	case r >= 0xFB1D && r <= 0xFDFF: // Hebrew and Arabic presentation forms A
	case r >= 0xFE70 && r <= 0xFEFF: // Arabic presentation forms B
	default:
		return false
	}
	return true
}
