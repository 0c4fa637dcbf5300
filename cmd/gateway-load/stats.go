package main

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"
)

// percentile returns the p-th percentile (0 to 100) of sorted by the
// nearest-rank method: the smallest value with at least p percent of all
// values at or below it. It is 0 for no values.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// result is what one scenario with one number of clients measured.
type result struct {
	scenario  string
	clients   int
	elapsed   time.Duration // from the first request sent to the last answer read
	latencies []time.Duration
	statuses  map[int]int
	errors    int    // transport errors: no answer at all
	note      string // e.g. that the free slots ran out
	load      string // the machine's one-minute load average as the run began
}

// requests counts the requests that got an answer.
func (r result) requests() int { return len(r.latencies) }

// perSecond is the throughput over the whole run.
func (r result) perSecond() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.requests()) / r.elapsed.Seconds()
}

// statusText lists the statuses as "201:1234 409:2".
func (r result) statusText() string {
	var parts []string
	for _, code := range slices.Sorted(maps.Keys(r.statuses)) {
		parts = append(parts, fmt.Sprintf("%d:%d", code, r.statuses[code]))
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, " ")
}

// ms writes a duration in milliseconds with two decimals.
func ms(d time.Duration) string {
	return fmt.Sprintf("%.2f", float64(d)/float64(time.Millisecond))
}

// table writes one line per result under a header.
func table(results []result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-8s %7s %9s %6s %-18s %9s %8s %8s %8s %8s %6s\n",
		"scenario", "clients", "requests", "errors", "statuses", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "load1")
	for _, r := range results {
		sorted := slices.Clone(r.latencies)
		slices.Sort(sorted)
		load := r.load
		if load == "" {
			load = "-"
		}
		fmt.Fprintf(&b, "%-8s %7d %9d %6d %-18s %9.1f %8s %8s %8s %8s %6s\n",
			r.scenario, r.clients, r.requests(), r.errors, r.statusText(), r.perSecond(),
			ms(percentile(sorted, 50)), ms(percentile(sorted, 90)), ms(percentile(sorted, 99)), ms(percentile(sorted, 100)), load)
	}
	return b.String()
}
