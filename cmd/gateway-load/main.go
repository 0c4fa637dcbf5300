// Command gateway-load measures balie-gateway's latency and throughput on
// loopback. It starts a real gateway in-process, over a fresh bbolt store
// with Ghent's catalogue for each run, behind a real http.Server on
// 127.0.0.1, and drives it over TCP from N concurrent clients that share one
// keep-alive http.Transport, as a room of kiosks would.
//
// Scenarios:
//
//	slots  GET /v1/services/{id}/slots?days=7 for a random video service
//	book   POST /v1/appointments, each of a distinct free slot (all free
//	       slots of the video services over 60 days, fetched beforehand
//	       and handed out once), with its own Idempotency-Key and a valid
//	       contact. When the slots run out the run stops early and says so.
//
// For each scenario and number of clients it prints the requests answered,
// transport errors, statuses, throughput, and p50/p90/p99/max latency of the
// round trip alone (sending the request and reading the whole answer).
//
// The rate limits are wide open for the run (see loadLimits); they apply
// only to lookups by code anyway. The store is bbolt with its defaults, so
// every booking is a transaction that fsyncs the file before the answer:
// booking throughput is bounded by the disk's fsync rate. Client and server
// share the machine's cores.
//
// Usage:
//
//	go run ./cmd/gateway-load -clients 50,200 -duration 10s -scenario slots,book
package main

import (
	"flag"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gateway-load:", err)
		os.Exit(1)
	}
}

func run() error {
	clientsFlag := flag.String("clients", "50,200", "comma-separated numbers of concurrent clients")
	duration := flag.Duration("duration", 10*time.Second, "how long each scenario runs per number of clients")
	scenarios := flag.String("scenario", "slots,book", "comma-separated scenarios: slots, book")
	dir := flag.String("dir", "", "directory for the store file (default: a new temporary directory)")
	flag.Parse()

	counts, err := parseCounts(*clientsFlag)
	if err != nil {
		return err
	}
	names := strings.Split(*scenarios, ",")
	for _, name := range names {
		if name != "slots" && name != "book" {
			return fmt.Errorf("unknown scenario %q", name)
		}
	}
	if *dir == "" {
		d, err := os.MkdirTemp("", "gateway-load-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		*dir = d
	}

	fmt.Printf("gateway-load: %s %s/%s, GOMAXPROCS=%d, %d CPUs; client and server in one process\n",
		runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0), runtime.NumCPU())
	fmt.Printf("store: bbolt in %s, fsync on every commit (bbolt's default; each booking is one commit)\n", *dir)
	fmt.Printf("gateway: rate limits wide open (they bound only lookups by code), request log formatted into io.Discard\n")
	fmt.Printf("each run: a fresh store, a warm-up health check per client, then %s of requests\n", *duration)
	fmt.Printf("load1: the machine's one-minute load average as each run began; well above 0 means other processes were busy too (a previous run's own load fades over a minute)\n\n")

	var results []result
	for _, name := range names {
		for _, n := range counts {
			r, err := runOne(name, n, *duration, *dir)
			if err != nil {
				return fmt.Errorf("%s with %d clients: %w", name, n, err)
			}
			results = append(results, r)
		}
	}
	fmt.Print(table(results))
	for _, r := range results {
		if r.note != "" {
			fmt.Printf("%s, %d clients: %s\n", r.scenario, r.clients, r.note)
		}
	}
	return nil
}

// runOne measures one scenario with n clients against a fresh gateway.
func runOne(name string, n int, duration time.Duration, dir string) (result, error) {
	load := loadAverage()
	t, err := startTarget(dir)
	if err != nil {
		return result{}, err
	}
	defer t.close()
	tr := &http.Transport{
		MaxIdleConns:        n,
		MaxIdleConnsPerHost: n,
		IdleConnTimeout:     time.Minute,
		DisableCompression:  true,
	}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	if err := warmUp(hc, t.base, n); err != nil {
		return result{}, fmt.Errorf("warm-up: %w", err)
	}
	services, err := videoServices(hc, t.base)
	if err != nil {
		return result{}, err
	}

	var r result
	switch name {
	case "slots":
		r = drive(hc, n, duration, slotsScenario(t.base, services))
	case "book":
		pool, err := freeSlots(hc, t.base, services)
		if err != nil {
			return result{}, err
		}
		r = drive(hc, n, duration, bookScenario(t.base, pool))
		booked := r.statuses[http.StatusCreated]
		if r.requests()+r.errors >= len(pool) {
			r.note = fmt.Sprintf("ran out of free slots: all %d booked or tried in %s", len(pool), r.elapsed.Round(time.Millisecond))
		} else {
			r.note = fmt.Sprintf("%d of %d free slots booked", booked, len(pool))
		}
		if stored, err := t.store.CountAppointments(); err != nil || stored != booked {
			r.note += fmt.Sprintf("; the store holds %d appointments for %d answers 201 (%v)", stored, booked, err)
		}
		if taken := r.statuses[http.StatusConflict]; taken > 0 {
			r.note += fmt.Sprintf("; %d answers 409 for slots handed out once: a bug", taken)
		}
	}
	r.scenario, r.load = name, load
	return r, nil
}

// loadAverage is the one-minute load average from /proc/loadavg, or "" where
// there is none.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	first, _, _ := strings.Cut(string(b), " ")
	return first
}

func parseCounts(s string) ([]int, error) {
	var out []int
	for _, part := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-clients: %q is not a positive number", part)
		}
		out = append(out, n)
	}
	return out, nil
}
