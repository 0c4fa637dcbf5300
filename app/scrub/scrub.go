// Package scrub strips what looks personal from the free text a visitor may
// leave after a session: e-mail addresses, phone numbers, booking codes,
// Belgian national register numbers and IBANs. It errs on the side of
// removing too much: a lost word in a suggestion costs little, a stored
// phone number costs the city the visitor's trust.
package scrub

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/digitalebalie/balie/app/domain"
)

// Redacted stands in for each removed piece.
const Redacted = "[…]"

// Kinds of finding.
const (
	KindEmail = "email"
	KindPhone = "phone"
	KindCode  = "code"
	KindID    = "id"   // Belgian national register number
	KindIBAN  = "iban" // bank account
)

// Finding is one piece of text that looks personal.
type Finding struct {
	Kind string // KindEmail, KindPhone, KindCode, KindID or KindIBAN
	Text string // as it stands in the tidied text
}

// Suggestion returns text with every e-mail address, phone number, booking
// code, national register number and IBAN replaced by "[…]", control and
// format characters removed, runs of white space made one space, trimmed,
// and cut to domain.MaxSuggestion characters. Suggestion(Suggestion(x)) is
// Suggestion(x), and Findings of the result is empty.
func Suggestion(text string) string { return suggestion(text, domain.MaxSuggestion) }

// Findings lists what in text looks personal, in order, after the same
// tidying as Suggestion (but without its cut).
func Findings(text string) []Finding {
	s := tidy(text)
	rs := []rune(s)
	var out []Finding
	for _, h := range detect(rs) {
		out = append(out, Finding{Kind: h.kind, Text: string(rs[h.start:h.end])})
	}
	return out
}

func suggestion(text string, max int) string {
	s := bound(tidy(text), max)
	// Redacting, cutting and tidying can each expose something new (a cut
	// can turn "K7M-4PQX" into a code), so repeat until nothing changes.
	// Every step only shortens the text, so this ends.
	for {
		rs := []rune(s)
		t := tidy(cut(redact(rs, detect(rs)), max))
		if t == s {
			return s
		}
		s = t
	}
}

// redact replaces the hits, which are sorted and apart, by Redacted.
func redact(rs []rune, hits []hit) []rune {
	if len(hits) == 0 {
		return rs
	}
	out := make([]rune, 0, len(rs))
	at := 0
	for _, h := range hits {
		out = append(out, rs[at:h.start]...)
		out = append(out, []rune(Redacted)...)
		at = h.end
	}
	return append(out, rs[at:]...)
}

// cut keeps the first max runes, without leaving half a Redacted.
func cut(rs []rune, max int) string {
	if len(rs) <= max {
		return string(rs)
	}
	red := []rune(Redacted)
	end := max
	for k := 1; k < len(red); k++ {
		if max-k >= 0 && max-k+len(red) <= len(rs) && string(rs[max-k:max-k+len(red)]) == Redacted {
			end = max - k
		}
	}
	return string(rs[:end])
}

// bound caps the work on an absurdly long text, so a hostile client cannot
// make the gateway spin. Whatever stands at the cut may be half a number,
// too short to be found but not to be personal, so the torn tail goes.
func bound(s string, max int) string {
	limit := 8 * max
	if limit < 1024 {
		limit = 1024
	}
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	s = string([]rune(s)[:limit])
	if i := strings.LastIndexByte(s, ' '); i >= 0 && len(s)-i <= 64 {
		s = s[:i]
	}
	return strings.TrimRightFunc(s, func(r rune) bool {
		return r == ' ' || r == '+' || unicode.IsDigit(r) || isSep(fold(r))
	})
}

const (
	zwnj = '\u200c' // Persian needs it inside words
	zwj  = '\u200d' // emoji sequences need it
)

// tidy drops invalid bytes, control and format characters (invisible ones
// could hide a number from the search: "0470\u200b123456"), turns all white
// space into single spaces and trims. It keeps the two joiners only between
// characters that need them, never next to a digit or ASCII.
func tidy(s string) string {
	rs := make([]rune, 0, len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == utf8.RuneError && n == 1:
		case unicode.IsSpace(r):
			rs = append(rs, ' ')
		case r == zwnj || r == zwj:
			rs = append(rs, r)
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
		default:
			rs = append(rs, r)
		}
	}
	out := make([]rune, 0, len(rs))
	prev := rune(-1) // the last rune kept that is not a joiner
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == ' ':
			if prev == -1 || out[len(out)-1] == ' ' {
				continue
			}
		case r == zwnj || r == zwj:
			j := i
			for j < len(rs) && (rs[j] == zwnj || rs[j] == zwj) {
				j++
			}
			next := rune(-1)
			if j < len(rs) {
				next = rs[j]
			}
			if joinable(prev) && joinable(next) {
				out = append(out, rs[i:j]...)
			}
			i = j - 1
			continue
		}
		out = append(out, r)
		prev = r
	}
	for len(out) > 0 && out[len(out)-1] == ' ' {
		out = out[:len(out)-1]
	}
	return string(out)
}

func joinable(r rune) bool {
	return r >= 0x80 && !unicode.IsDigit(r) && !unicode.IsSpace(r)
}
