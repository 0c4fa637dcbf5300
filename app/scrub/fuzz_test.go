package scrub

import (
	"testing"
	"unicode/utf8"

	"github.com/digitalebalie/balie/app/domain"
)

// FuzzSuggestion checks what every stored suggestion must be: valid UTF-8,
// at most the maximum length, nothing personal left, and the same when
// scrubbed again. A second, short maximum exercises the cut.
func FuzzSuggestion(f *testing.F) {
	for _, c := range removed {
		f.Add(c.in)
	}
	for _, in := range kept {
		f.Add(in)
	}
	f.Add(bench)
	f.Fuzz(func(t *testing.T, in string) {
		for _, max := range []int{domain.MaxSuggestion, 1 + len(in)%40} {
			out := suggestion(in, max)
			if !utf8.ValidString(out) {
				t.Fatalf("suggestion(%q, %d) = %q: not UTF-8", in, max, out)
			}
			if n := utf8.RuneCountInString(out); n > max {
				t.Fatalf("suggestion(%q, %d) = %q: %d runes", in, max, out, n)
			}
			if f := Findings(out); len(f) > 0 {
				t.Fatalf("suggestion(%q, %d) = %q still holds %v", in, max, out, f)
			}
			if again := suggestion(out, max); again != out {
				t.Fatalf("suggestion(%q, %d) = %q, but again %q", in, max, out, again)
			}
		}
	})
}
