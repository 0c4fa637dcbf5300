package stats

import (
	"slices"
	"time"
)

// Median is the middle of ds, or the mean of the two middles for an even
// count; false when ds is empty. It sorts a copy: callers keep their order.
func Median(ds []time.Duration) (time.Duration, bool) {
	return medianInPlace(slices.Clone(ds))
}

// medianInPlace is Median for a slice the caller owns, saving the copy.
func medianInPlace(s []time.Duration) (time.Duration, bool) {
	n := len(s)
	if n == 0 {
		return 0, false
	}
	slices.Sort(s)
	if n%2 == 1 {
		return s[n/2], true
	}
	a, b := s[n/2-1], s[n/2]
	// a + (b-a)/2 cannot overflow where (a+b)/2 could.
	return a + (b-a)/2, true
}
