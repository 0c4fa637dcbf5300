package scrub

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
)

// minPhoneDigits: every Belgian number has at least 9 digits with its
// leading 0, and most of the world's at least 8; dates, times, prices,
// postcodes and house numbers have fewer, or are recognised below.
const minPhoneDigits = 8

// group is a run of digits (keycap marks after a digit belong to it).
type group struct {
	start, end int
	digits     string
}

// isSep tells the characters people put between the digits of a phone
// number: "0470 12 34 56", "04 70/12.34.56", "+32 (0)9-210-10-10".
func isSep(r rune) bool { return strings.ContainsRune(" .-/()", r) }

// numbers finds phone numbers, national register numbers and other long
// numbers. The nyaruka/phonenumbers library has no matcher, so this finds
// runs of digits and separators itself; any run with 8 or more digits goes,
// whatever the library thinks of it.
func numbers(sh []rune) []hit {
	var hits []hit
	for i := 0; i < len(sh); {
		if !isDigit(sh[i]) {
			i++
			continue
		}
		var gs []group
		j := i
		for {
			g := group{start: j}
			var d []byte
			for j < len(sh) && (isDigit(sh[j]) || j > g.start && unicode.IsMark(sh[j])) {
				if isDigit(sh[j]) {
					d = append(d, byte(sh[j]))
				}
				j++
			}
			g.end, g.digits = j, string(d)
			gs = append(gs, g)
			k := j
			for k < len(sh) && k-j < 4 && isSep(sh[k]) {
				k++
			}
			if k == j || k == len(sh) || !isDigit(sh[k]) {
				break
			}
			j = k
		}
		hits = append(hits, judge(sh, gs)...)
		i = j
	}
	return hits
}

// judge splits a run of groups at the dates, year ranges and time ranges in
// it, which stay, and keeps the parts that hold a number.
func judge(sh []rune, gs []group) []hit {
	var hits []hit
	from := 0
	for k := 0; k < len(gs); {
		if n := harmless(sh, gs, k); n > 0 {
			hits = append(hits, number(sh, gs[from:k])...)
			k += n
			from = k
			continue
		}
		k++
	}
	return append(hits, number(sh, gs[from:])...)
}

// harmless tells how many groups from k make a date ("12/03/2026",
// "2026-03-12", also month first), a range of years ("2025-2026") or of times
// ("9.00-12.00"); 0 if none.
func harmless(sh []rune, gs []group, k int) int {
	sep := func(a int) string { return string(sh[gs[a].end:gs[a+1].start]) }
	in := func(a, width, lo, hi int) bool {
		d := gs[a].digits
		if len(d) < 1 || len(d) > width || width == 4 && len(d) != 4 {
			return false
		}
		v, _ := strconv.Atoi(d)
		return v >= lo && v <= hi
	}
	day := func(a int) bool { return in(a, 2, 1, 31) }
	month := func(a int) bool { return in(a, 2, 1, 12) }
	// Years also by the Persian and Islamic calendars: "۱۴۰۵/۰۱/۱۵".
	year := func(a int) bool { return in(a, 4, 1300, 2199) }
	hour := func(a int) bool { return in(a, 2, 0, 24) }
	minute := func(a int) bool { return len(gs[a].digits) == 2 && in(a, 2, 0, 59) }
	if k+2 < len(gs) {
		s := sep(k)
		if (s == "." || s == "/" || s == "-") && sep(k+1) == s &&
			((day(k) && month(k+1) || month(k) && day(k+1)) && year(k+2) ||
				year(k) && month(k+1) && day(k+2)) {
			return 3
		}
	}
	if k+1 < len(gs) && year(k) && year(k+1) {
		if s := strings.TrimSpace(sep(k)); s == "-" || s == "/" {
			return 2
		}
	}
	if k+3 < len(gs) && sep(k) == "." && sep(k+2) == "." && strings.TrimSpace(sep(k+1)) == "-" &&
		hour(k) && minute(k+1) && hour(k+2) && minute(k+3) {
		return 4
	}
	return 0
}

// number is the hit for a run of groups, if it is one.
func number(sh []rune, gs []group) []hit {
	if len(gs) == 0 {
		return nil
	}
	var digits strings.Builder
	for _, g := range gs {
		digits.WriteString(g.digits)
	}
	d := digits.String()
	start, end := gs[0].start, gs[len(gs)-1].end
	plus := start > 0 && sh[start-1] == '+'
	if plus {
		start--
	}
	if start > 0 && sh[start-1] == '(' {
		start--
	}
	switch {
	case len(d) >= minPhoneDigits:
		kind := KindPhone
		if nationalID(gs, d) {
			kind = KindID
		}
		return []hit{{start, end, kind}}
	case len(d) >= 5 && (plus || strings.HasPrefix(d, "00")) && validPhone(d):
		// A few countries have short numbers: "+683 4002" (Niue).
		return []hit{{start, end, KindPhone}}
	}
	return nil
}

func validPhone(d string) bool {
	num, err := phonenumbers.Parse("+"+strings.TrimPrefix(d, "00"), "ZZ")
	return err == nil && phonenumbers.IsValidNumber(num)
}

// nationalID tells a Belgian national register number: 11 digits written
// "85.07.30-033.28", or whose check digits hold (97 minus the first nine
// modulo 97, with a 2 before them for those born from 2000).
func nationalID(gs []group, d string) bool {
	if len(d) != 11 {
		return false
	}
	if len(gs) == 5 {
		shape := ""
		for _, g := range gs {
			shape += strconv.Itoa(len(g.digits))
		}
		if shape == "22232" {
			return true
		}
	}
	n, _ := strconv.Atoi(d[:9])
	check, _ := strconv.Atoi(d[9:])
	return 97-n%97 == check || 97-(2_000_000_000+n)%97 == check
}
