package stats

import (
	"slices"
	"testing"
	"time"
)

func TestMedian(t *testing.T) {
	s := time.Second
	tests := []struct {
		name string
		in   []time.Duration
		want time.Duration
		ok   bool
	}{
		{"none", nil, 0, false},
		{"empty", []time.Duration{}, 0, false},
		{"one", []time.Duration{7 * s}, 7 * s, true},
		{"odd, unsorted", []time.Duration{9 * s, 1 * s, 5 * s}, 5 * s, true},
		{"even: mean of the middles", []time.Duration{4 * s, 1 * s, 3 * s, 10 * s}, 3500 * time.Millisecond, true},
		{"even, same middles", []time.Duration{2 * s, 2 * s}, 2 * s, true},
		{"duplicates", []time.Duration{5 * s, 1 * s, 5 * s, 5 * s, 1 * s}, 5 * s, true},
		{"huge, no overflow", []time.Duration{1<<62 + 1<<61, 1<<62 + 1<<61}, 1<<62 + 1<<61, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := slices.Clone(tt.in)
			got, ok := Median(in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("Median(%v) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
			}
			if !slices.Equal(in, tt.in) {
				t.Errorf("Median reordered its input: %v", in)
			}
		})
	}
}
