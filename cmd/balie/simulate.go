package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"github.com/digitalebalie/balie/app/kiosk"
	"github.com/digitalebalie/balie/app/tour"
)

// fyneCacheLife is how long Fyne keeps the renderers of widgets that left
// the screen (its FYNE_CACHE default); it drops them at a repaint after that.
const fyneCacheLife = time.Minute

// progressEvery is how often the simulation prints an unsettled reading.
const progressEvery = 100

// simulate plays n visitor sessions on the real window and prints the
// resident memory after the first and after the last, each time once the
// kiosk has stood idle long enough for Fyne to drop the old screens, as it
// does between real visitors. For .ci/bench.
func simulate(k *kiosk.Kiosk, v *tour.Visitor, n int, langs []string, pace time.Duration) error {
	start := time.Now()
	// Readings after the first session, once warm (100: every screen,
	// language and font has been drawn), at 500, 1,000, 2,000 and 5,000 to
	// show the curve, and at the end: growth is judged from the warm
	// reading, as the kiosk's steady state.
	var checkpoints []int
	for _, cp := range []int{1, 100, 500, 1000, 2000, 5000} {
		checkpoints = append(checkpoints, min(cp, n))
	}
	checkpoints = append(checkpoints, n)
	done := 0
	var first, warm float64
	var warmRoutines int
	for _, cp := range checkpoints {
		if cp <= done {
			continue
		}
		err := v.Simulate(cp-done, langs, pace, func(i int) {
			if (done+i)%progressEvery == 0 {
				fmt.Printf("sessions=%d rss_mb=%.1f go_heap_mb=%.1f (not settled) elapsed=%s\n", done+i, residentMB(), goHeapMB(), time.Since(start).Round(time.Second))
			}
		})
		if err != nil {
			return err
		}
		done = cp
		rss := settledRSS(k)
		routines := runtime.NumGoroutine()
		if first == 0 {
			first = rss
		}
		if done == min(100, n) && warm == 0 {
			warm, warmRoutines = rss, routines
		}
		growth, routineGrowth := 0.0, 0
		if warm > 0 {
			growth, routineGrowth = 100*(rss-warm)/warm, routines-warmRoutines
		}
		cInUse, cFree := cHeapMB()
		fmt.Printf("sessions=%d settled rss_mb=%.1f (anon %.1f, file %.1f) go_heap_mb=%.1f go_held_mb=%.1f c_heap_in_use_mb=%.1f c_heap_free_mb=%.1f goroutines=%d growth_since_first_pct=%.1f growth_since_warm_pct=%.1f goroutines_since_warm=%+d\n",
			done, rss, statusMB("RssAnon"), statusMB("RssFile"), goHeapMB(), goHeldMB(), cInUse, cFree, routines, 100*(rss-first)/first, growth, routineGrowth)
		writeHeapProfile(done)
	}
	return nil
}

// writeHeapProfile writes <BALIE_HEAP_PROFILE>.<sessions> when that variable
// is set, so two checkpoints can be compared with pprof -diff_base.
func writeHeapProfile(sessions int) {
	prefix := os.Getenv("BALIE_HEAP_PROFILE")
	if prefix == "" {
		return
	}
	f, err := os.Create(fmt.Sprintf("%s.%d", prefix, sessions))
	if err != nil {
		fmt.Println("heap profile:", err)
		return
	}
	defer f.Close()
	pprof.WriteHeapProfile(f)
}

// settledRSS waits out Fyne's renderer cache, repaints once so the cache is
// cleaned, collects garbage and reads the resident set size.
func settledRSS(k *kiosk.Kiosk) float64 {
	time.Sleep(fyneCacheLife + time.Second)
	fyne.DoAndWait(k.StartOver)
	time.Sleep(11 * time.Second) // Fyne cleans at most every 10 s
	runtime.GC()
	fmt.Printf("  before returning free memory: rss_mb=%.1f go_heap_mb=%.1f\n", residentMB(), goHeapMB())
	releaseMemory()
	return residentMB()
}

// goHeapMB is the Go heap in use, to tell Go memory from the C side (GL).
func goHeapMB() float64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapInuse) / (1 << 20)
}

// goHeldMB is all the memory the Go runtime holds from the system and has
// not given back (heap, stacks, its own bookkeeping): what of the
// anonymous resident memory is Go's at most; the rest is the C side's.
func goHeldMB() float64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.Sys-m.HeapReleased) / (1 << 20)
}

// residentMB reads VmRSS from /proc/self/status.
func residentMB() float64 { return statusMB("VmRSS") }

// statusMB reads one of the sizes in /proc/self/status: VmRSS is all the
// resident memory, RssAnon the heaps' and stacks' part of it, RssFile the
// mapped files' (libraries, fonts).
func statusMB(field string) float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return float64(kb) / 1024
		}
	}
	return -1
}
