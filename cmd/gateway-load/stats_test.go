package main

import (
	"strings"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ten := []time.Duration{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(i + 1)
	}
	for _, tc := range []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one value, p0", []time.Duration{7}, 0, 7},
		{"one value, p50", []time.Duration{7}, 50, 7},
		{"one value, p100", []time.Duration{7}, 100, 7},
		{"two values, p50 is the lower", []time.Duration{1, 2}, 50, 1},
		{"two values, just past p50", []time.Duration{1, 2}, 50.1, 2},
		{"ten, p0 is the least", ten, 0, 1},
		{"ten, p10", ten, 10, 1},
		{"ten, p50", ten, 50, 5},
		{"ten, p90", ten, 90, 9},
		{"ten, p99 rounds up", ten, 99, 10},
		{"ten, p100 is the most", ten, 100, 10},
		{"hundred, p50", hundred, 50, 50},
		{"hundred, p99", hundred, 99, 99},
		{"hundred, p99.5", hundred, 99.5, 100},
		{"above 100 clamps", ten, 150, 10},
		{"below 0 clamps", ten, -5, 1},
	} {
		if got := percentile(tc.sorted, tc.p); got != tc.want {
			t.Errorf("%s: percentile(p%v) = %v, want %v", tc.name, tc.p, got, tc.want)
		}
	}
}

func TestTable(t *testing.T) {
	r := result{
		scenario: "book", clients: 50, elapsed: 2 * time.Second,
		latencies: []time.Duration{3 * time.Millisecond, time.Millisecond, 2 * time.Millisecond, 4 * time.Millisecond},
		statuses:  map[int]int{409: 1, 201: 3},
	}
	out := table([]result{r})
	for _, want := range []string{"book", "201:3 409:1", "2.0", "2.00", "4.00"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}
