package scrub

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/digitalebalie/balie/app/domain"
)

// hit is a run of runes [start, end) that looks personal.
type hit struct {
	start, end int
	kind       string
}

// detect finds every hit in rs, merged where they overlap or touch, in
// order.
func detect(rs []rune) []hit {
	// The search runs on a shadow of the text, one rune for each rune, in
	// which every decimal digit (Arabic-Indic, Persian, full width...) is
	// an ASCII digit, full-width forms are ASCII and dashes are '-'. So a
	// hit's rune positions hold for the text itself.
	sh := newShadow(rs)
	var hits []hit
	hits = append(hits, emails(sh)...)
	hits = append(hits, ibans(sh)...)
	hits = append(hits, numbers(sh.rs)...)
	hits = append(hits, codes(sh.rs)...)
	return merge(hits)
}

// shadow is the folded text as runes, and as a string for the regular
// expressions, with the byte offset of each rune in it.
type shadow struct {
	rs   []rune
	s    string
	offs []int
}

func newShadow(rs []rune) shadow {
	sh := shadow{rs: make([]rune, len(rs)), offs: make([]int, 0, len(rs)+1)}
	var b strings.Builder
	b.Grow(len(rs))
	for i, r := range rs {
		sh.rs[i] = fold(r)
		sh.offs = append(sh.offs, b.Len())
		b.WriteRune(sh.rs[i])
	}
	sh.offs = append(sh.offs, b.Len())
	sh.s = b.String()
	return sh
}

// pos is the rune position of a byte offset in s.
func (sh shadow) pos(off int) int { return sort.SearchInts(sh.offs, off) }

// rank orders kinds for a merged hit: the more specific name wins.
var rank = map[string]int{KindEmail: 0, KindIBAN: 1, KindID: 2, KindCode: 3, KindPhone: 4}

func merge(hits []hit) []hit {
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].start != hits[j].start {
			return hits[i].start < hits[j].start
		}
		return rank[hits[i].kind] < rank[hits[j].kind]
	})
	var out []hit
	for _, h := range hits {
		if n := len(out); n > 0 && h.start <= out[n-1].end {
			last := &out[n-1]
			last.end = max(last.end, h.end)
			if rank[h.kind] < rank[last.kind] {
				last.kind = h.kind
			}
			continue
		}
		out = append(out, h)
	}
	return out
}

// fold maps a rune to the ASCII it stands for, or leaves it.
func fold(r rune) rune {
	switch {
	case r < 0x80:
		return r
	case unicode.IsDigit(r):
		return '0' + digitValue(r)
	case r >= 0xff01 && r <= 0xff5e: // full-width ASCII: "０４７０", "＠"
		return r - 0xfee0
	case r == '\ufe6b': // small commercial at
		return '@'
	case r == '\ufe52': // small full stop
		return '.'
	case r >= '\u2010' && r <= '\u2015', r == '\u2212', r == '\ufe58', r == '\ufe63':
		return '-'
	}
	return r
}

// digitValue is the value of a decimal digit. Unicode encodes every set of
// decimal digits as a run 0 to 9, and sets that touch (the mathematical
// digits) as whole runs, so counting back to the start of the run gives it.
func digitValue(r rune) rune {
	z := r
	for z > 0 && r-z < 100 && unicode.IsDigit(z-1) {
		z--
	}
	return (r - z) % 10
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func isWord(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r)
}

// ---- e-mail addresses ----

const (
	// Local parts and domains may use any script: "محمد@مثال.مصر".
	localWord = `[\p{L}\p{M}\p{N}_%+\-]+`
	label     = `[\p{L}\p{M}\p{N}](?:[\p{L}\p{M}\p{N}\-]*[\p{L}\p{M}\p{N}])?`
	tld       = `(?:\p{L}[\p{L}\p{M}]+|(?i:xn--[a-z0-9\-]+))`
	open      = `[(\[{<]`
	closing   = `[)\]}>]`
	// How people spell out "@" and "." to fool robots, in the kiosk's
	// languages.
	atWord     = `(?i:` + atWordList + `)`
	dotWord    = `(?i:dot|punt|point|punkt|punto|punct|kropka|nokta|точка|крапка)`
	atWordList = "at|arobase|arobas|arroba|apenstaartje|małpa|собака|собачка|равлик"
	// A spelled-out dot in the local part must stand apart or in brackets;
	// in the domain a dot may also have a space either side: "gent . be".
	localDot  = `(?:\.| ?` + open + ` ?` + dotWord + ` ?` + closing + ` ?| ` + dotWord + ` )`
	domainDot = `(?:\.| \. | ?` + open + ` ?` + dotWord + ` ?` + closing + ` ?| ` + dotWord + ` )`
	local     = localWord + `(?:` + localDot + localWord + `)*`
	domainPat = label + `(?:` + domainDot + label + `)*` + domainDot + tld
)

var atWords = strings.Split(atWordList, "|")

var (
	plainEmail = regexp.MustCompile(local + ` ?@ ?` + domainPat)
	// The at spelled out, group 1: "naam (at) gent.be", "naam at gent dot be".
	spelledEmail = regexp.MustCompile(local + `( ?` + open + ` ?` + atWord + ` ?` + closing + ` ?| ` + atWord + ` )(` + domainPat + `)`)
)

// emails finds addresses written plainly, "jan@gent.be", and with the at
// spelled out.
func emails(sh shadow) []hit {
	s, pos := sh.s, sh.pos
	var hits []hit
	for _, w := range windows(s, atSigns(s)) {
		for _, m := range plainEmail.FindAllStringIndex(s[w[0]:w[1]], -1) {
			hits = append(hits, hit{pos(w[0] + m[0]), pos(w[0] + m[1]), KindEmail})
		}
	}
	plain := hits
	for _, w := range windows(s, spelledAts(s)) {
		for _, m := range spelledEmail.FindAllStringSubmatchIndex(s[w[0]:w[1]], -1) {
			for i := range m {
				m[i] += w[0]
			}
			h := hit{pos(m[0]), pos(m[1]), KindEmail}
			// "look at www.gent.be" names a website, not a mailbox.
			bare := !strings.ContainsAny(s[m[2]:m[3]], "([{<")
			if bare && strings.HasPrefix(strings.ToLower(s[m[4]:m[5]]), "www") {
				continue
			}
			// "mail me at jan.peeters@gent.be" is found whole by
			// plainEmail; "me at jan.peeters" is not a second address.
			if overlaps(h, plain) {
				continue
			}
			hits = append(hits, h)
		}
	}
	return hits
}

// atSigns gives where an "@" stands in s.
func atSigns(s string) []int {
	var at []int
	for i := 0; i < len(s); i++ {
		if s[i] == '@' {
			at = append(at, i)
		}
	}
	return at
}

// spelledAts gives where a word for "@" stands in s, with a space or a
// bracket either side.
func spelledAts(s string) []int {
	var at []int
	// Lower case that keeps every byte offset, so marks fit s.
	lower := strings.Map(func(r rune) rune {
		if l := unicode.ToLower(r); utf8.RuneLen(l) == utf8.RuneLen(r) {
			return l
		}
		return r
	}, s)
	for _, w := range atWords {
		for i := 0; ; {
			j := strings.Index(lower[i:], w)
			if j < 0 {
				break
			}
			i += j
			if i > 0 && strings.IndexByte(" ([{<", lower[i-1]) >= 0 &&
				i+len(w) < len(lower) && strings.IndexByte(" )]}>", lower[i+len(w)]) >= 0 {
				at = append(at, i)
			}
			i += len(w)
		}
	}
	sort.Ints(at)
	return at
}

// windows gives the stretches of s around the marks, merged, on rune
// boundaries. The e-mail patterns have no literal to start from, so running
// them only near an at keeps the cost down.
func windows(s string, marks []int) [][2]int {
	const before, after = 320, 512 // bytes; an address is at most 254
	var ws [][2]int
	for _, m := range marks {
		lo, hi := max(0, m-before), min(len(s), m+after)
		// Offsets are bytes: move to the start of a rune.
		for lo > 0 && !utf8.RuneStart(s[lo]) {
			lo--
		}
		for hi < len(s) && !utf8.RuneStart(s[hi]) {
			hi++
		}
		if n := len(ws); n > 0 && lo <= ws[n-1][1] {
			ws[n-1][1] = hi
			continue
		}
		ws = append(ws, [2]int{lo, hi})
	}
	return ws
}

func overlaps(h hit, hits []hit) bool {
	for _, o := range hits {
		if h.start < o.end && o.start < h.end {
			return true
		}
	}
	return false
}

// ---- IBANs ----

var ibanShape = regexp.MustCompile(`^[A-Za-z]{2}[0-9]{2}(?:[ \-]?[A-Za-z0-9]){11,30}`)

// ibans finds account numbers whose check digits hold: "BE68 5390 0754
// 7034". The shape alone would also take the words after it, so the
// longest prefix that checks out is the IBAN. One with a typo still loses
// its digits as a phone number.
func ibans(sh shadow) []hit {
	rs := sh.rs
	var hits []hit
	for a := 0; a+4 <= len(rs); a++ {
		// Two letters and two digits at the start of a word, before the
		// regular expression.
		if !asciiLetter(rs[a]) || !asciiLetter(rs[a+1]) || !isDigit(rs[a+2]) || !isDigit(rs[a+3]) ||
			a > 0 && isWord(rs[a-1]) {
			continue
		}
		m := ibanShape.FindStringIndex(sh.s[sh.offs[a]:])
		if m == nil {
			continue
		}
		b := sh.pos(sh.offs[a] + m[1])
		var chars []rune
		var at []int
		for i := a; i < b; i++ {
			if rs[i] != ' ' && rs[i] != '-' {
				chars = append(chars, rs[i])
				at = append(at, i)
			}
		}
		for n := len(chars); n >= 15; n-- {
			if ibanValid(chars[:n]) {
				hits = append(hits, hit{a, at[n-1] + 1, KindIBAN})
				a = at[n-1]
				break
			}
		}
	}
	return hits
}

func asciiLetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

// ibanValid checks the ISO 13616 check digits: the number with its first
// four characters moved to the end, letters as 10 to 35, is 1 modulo 97.
func ibanValid(cs []rune) bool {
	mod := 0
	for _, r := range append(append([]rune{}, cs[4:]...), cs[:4]...) {
		switch {
		case isDigit(r):
			mod = (mod*10 + int(r-'0')) % 97
		case r >= 'a' && r <= 'z':
			mod = (mod*100 + int(r-'a') + 10) % 97
		case r >= 'A' && r <= 'Z':
			mod = (mod*100 + int(r-'A') + 10) % 97
		default:
			return false
		}
	}
	return mod == 1
}

// ---- booking codes ----

// codes finds booking codes as visitors type them: "K7M-4PQ", "k7m4pq",
// "K7M 4PQ", "k7m.4pq", "K7M - 4PQ", standing as their own word. Words of
// six letters from the alphabet ("DANKJE") are no codes: a code has at
// least one digit and one letter.
func codes(sh []rune) []hit {
	type token struct{ start, end int }
	var toks []token
	for i := 0; i < len(sh); {
		if !isWord(sh[i]) {
			i++
			continue
		}
		j := i
		for j < len(sh) && isWord(sh[j]) {
			j++
		}
		toks = append(toks, token{i, j})
		i = j
	}
	var hits []hit
	for t, a := range toks {
		if isCode(sh[a.start:a.end]) {
			hits = append(hits, hit{a.start, a.end, KindCode})
			continue
		}
		if a.end-a.start != 3 || t+1 == len(toks) {
			continue
		}
		b := toks[t+1]
		sep := string(sh[a.end:b.start])
		if b.end-b.start != 3 || len(sep) > 3 || strings.Trim(sep, " .-") != "" {
			continue
		}
		x, y := sh[a.start:a.end], sh[b.start:b.end]
		both := append(append([]rune{}, x...), y...)
		// "het 4de scherm", "the 4th day": an ordinal and a word.
		if sep == " " && (ordinal(x) && letters(y) || letters(x) && ordinal(y)) {
			continue
		}
		if isCode(both) {
			hits = append(hits, hit{a.start, b.end, KindCode})
		}
	}
	return hits
}

func isCode(rs []rune) bool {
	if len(rs) != 6 || domain.NormalizeCode(string(rs)) == "" {
		return false
	}
	digit, letter := false, false
	for _, r := range rs {
		if isDigit(r) {
			digit = true
		} else {
			letter = true
		}
	}
	return digit && letter
}

func letters(rs []rune) bool {
	for _, r := range rs {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// ordinal tells "4de", "4th", "3rd", "34e" and the like.
func ordinal(rs []rune) bool {
	i := 0
	for i < len(rs) && isDigit(rs[i]) {
		i++
	}
	switch strings.ToLower(string(rs[i:])) {
	case "e", "de", "th", "rd", "nd", "er", "re", "me":
		return i > 0
	}
	return false
}
