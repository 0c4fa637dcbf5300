// Command coldstart measures, side by side, how long GUI programs take from
// exec to their first painted screen under Xvfb, and how much memory they use
// by then.
//
// Fyne's Canvas().Capture() returns a black image under Xvfb, so a program
// cannot time its own first paint there. coldstart watches from outside with
// real pixels instead: it polls the X root window with `xwd -root -silent`
// (package x11-apps) and counts the program as painted at the first poll whose
// screen holds at least three distinct colours (background, text and its
// anti-aliasing); the screen before the program starts must be one colour.
// At that moment it reads VmRSS from /proc/PID/status, and again after
// -settle. Then it kills the process group and waits for a blank screen
// before the next run. Runs of the programs alternate so drift on the machine
// hits them alike.
//
// Usage:
//
//	Xvfb :98 -screen 0 1920x1080x24 &
//	DISPLAY=:98 go run ./cmd/coldstart [flags] [NAME=]BINARY [ARGS...] [-- [NAME=]BINARY [ARGS...]]...
//
// NAME defaults to the binary's base name. Example:
//
//	DISPLAY=:98 go run ./cmd/coldstart -runs 5 balie=/tmp/cs-balie -data /tmp/cs.db -- hello=/tmp/cs-hello
//
// Besides a table it prints one line per program for scripts:
//
//	coldstart name=balie runs=5 failed=0 median_ms=812 min_ms=790 max_ms=860 rss_mb=95.1 settled_rss_mb=97.3
//
// Reading the figures: a run's first paint lies between the start of the last
// poll that saw none (shown per run as "after") and the moment xwd delivered
// the first painted image (the reported time). One poll of a 1920x1080 screen
// costs the X server and xwd tens to hundreds of milliseconds of CPU (poll_ms
// in the summary), and back-to-back polling takes that CPU from the program
// being measured: on a 2-vCPU VM it roughly doubled hello-fyne's time to
// paint. Compare programs within one invocation rather than absolute numbers
// across machines, or space polls out with -interval at the cost of
// resolution. The exit status is non-zero if any run failed.
package main

import (
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"
)

var (
	runs     = flag.Int("runs", 5, "runs per program")
	timeout  = flag.Duration("timeout", 20*time.Second, "limit for a program to paint, and for the screen to clear after it")
	settle   = flag.Duration("settle", 2*time.Second, "wait after first paint before reading the settled RSS")
	step     = flag.Int("step", 4, "sample every step-th pixel in both directions")
	interval = flag.Duration("interval", 0, "minimum time between poll starts (0: back to back)")
	verbose  = flag.Bool("v", false, "pass the programs' stdout and stderr through")
)

// program is one command line to measure.
type program struct {
	name string
	argv []string
}

// stats collects the successful runs of one program.
type stats struct {
	paintMS, rssMB, settledMB []float64
	failed                    int
}

// pollDurations records how long each xwd poll took, to report the timing
// resolution.
var pollDurations []float64

func main() {
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: DISPLAY=:98 coldstart [flags] [NAME=]BINARY [ARGS...] [-- [NAME=]BINARY [ARGS...]]...\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	progs, err := parsePrograms(flag.Args())
	if err != nil || *runs < 1 {
		if err != nil {
			fmt.Fprintln(os.Stderr, "coldstart:", err)
		}
		flag.Usage()
		os.Exit(2)
	}
	if os.Getenv("DISPLAY") == "" {
		fatalf("DISPLAY is not set; start Xvfb and point DISPLAY at it")
	}
	if _, _, err := grabScreen(); err != nil {
		fatalf("cannot capture the screen: %v", err)
	}
	if err := waitFor(isBlank, *timeout); err != nil {
		fatalf("DISPLAY %s is not a blank screen (another program on it?): %v", os.Getenv("DISPLAY"), err)
	}

	all := make([]stats, len(progs))
	for run := 1; run <= *runs; run++ {
		for i, p := range progs {
			r, err := runOnce(p)
			if err != nil {
				all[i].failed++
				fmt.Fprintf(os.Stderr, "%s run %d/%d: FAILED: %v\n", p.name, run, *runs, err)
			} else {
				all[i].paintMS = append(all[i].paintMS, ms(r.paint))
				all[i].rssMB = append(all[i].rssMB, r.rssMB)
				all[i].settledMB = append(all[i].settledMB, r.settledMB)
				fmt.Fprintf(os.Stderr, "%s run %d/%d: painted %.0f ms (after %.0f), rss %.1f MB, settled %.1f MB\n",
					p.name, run, *runs, ms(r.paint), ms(r.notBefore), r.rssMB, r.settledMB)
			}
			// Every later run assumes a blank screen; if it does not clear,
			// the remaining figures would be meaningless.
			if err := waitFor(isBlank, *timeout); err != nil {
				fatalf("screen did not clear after %s: %v", p.name, err)
			}
		}
	}

	failed := report(progs, all)
	if failed {
		os.Exit(1)
	}
}

// parsePrograms splits the arguments at "--" into command lines.
func parsePrograms(args []string) ([]program, error) {
	if len(args) == 0 {
		return nil, errors.New("no program given")
	}
	var progs []program
	for argv := range splitAt(args, "--") {
		if len(argv) == 0 {
			return nil, errors.New("empty command line around --")
		}
		name, bin := filepath.Base(argv[0]), argv[0]
		// NAME=BINARY; a "/" before the "=" means it is part of the path.
		if n, b, ok := strings.Cut(argv[0], "="); ok && n != "" && b != "" && !strings.Contains(n, "/") {
			name, bin = n, b
		}
		progs = append(progs, program{name: name, argv: append([]string{bin}, argv[1:]...)})
	}
	return progs, nil
}

// splitAt yields the runs of args between occurrences of sep.
func splitAt(args []string, sep string) func(func([]string) bool) {
	return func(yield func([]string) bool) {
		for {
			i := slices.Index(args, sep)
			if i < 0 {
				yield(args)
				return
			}
			if !yield(args[:i]) {
				return
			}
			args = args[i+1:]
		}
	}
}

// sample is the outcome of one run.
type sample struct {
	// The first paint happened after notBefore (start of the last poll that
	// saw no paint) and before paint (when the first poll that saw it got
	// its image); both are measured from exec.
	paint, notBefore time.Duration
	rssMB, settledMB float64 // VmRSS at paint and after -settle
}

// runOnce starts p on a blank screen and measures it. The process group is
// always killed before it returns; the caller waits for the screen to clear.
func runOnce(p program) (r sample, err error) {
	if err := waitFor(isBlank, *timeout); err != nil {
		return r, fmt.Errorf("screen not blank before start: %w", err)
	}

	var out bytes.Buffer // kept for the error message when a run fails
	cmd := exec.Command(p.argv[0], p.argv[1:]...)
	cmd.Stdout, cmd.Stderr = &out, &out
	if *verbose {
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	}
	// Own process group, so helpers the program starts die with it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}

	start := time.Now()
	if err := cmd.Start(); err != nil {
		return r, err
	}
	done := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(done) }()
	defer func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}()
	exited := func() error {
		select {
		case <-done:
			return fmt.Errorf("exited early (%v); output:\n%s", waitErr, tail(out.Bytes(), 2000))
		default:
			return nil
		}
	}

	var pollStart time.Time
	for {
		if err := exited(); err != nil {
			return r, err
		}
		if time.Since(start) > *timeout {
			return r, fmt.Errorf("nothing painted within %v", *timeout)
		}
		time.Sleep(time.Until(pollStart.Add(*interval)))
		if !pollStart.IsZero() {
			r.notBefore = pollStart.Sub(start)
		}
		pollStart = time.Now()
		im, captured, err := grabScreen()
		if err != nil {
			return r, err
		}
		if isPainted(im, *step) && fillsScreen(im) {
			r.paint = captured.Sub(start)
			break
		}
	}

	r.rssMB, err = readRSS(cmd.Process.Pid)
	if err != nil {
		return r, errors.Join(err, exited())
	}
	select {
	case <-time.After(*settle):
	case <-done:
		return r, exited()
	}
	r.settledMB, err = readRSS(cmd.Process.Pid)
	if err != nil {
		return r, errors.Join(err, exited())
	}
	return r, nil
}

// grabScreen takes one screenshot of the root window, trying up to three
// times: xwd reads each child window with its own visual, and fails with
// BadDrawable when one vanishes mid-capture, as when a program starts or is
// killed. A missing X server fails all three.
func grabScreen() (im *xwdImage, captured time.Time, err error) {
	for range 3 {
		if im, captured, err = grabOnce(); err == nil {
			break
		}
	}
	return im, captured, err
}

// grabOnce runs xwd once. It also returns when xwd's first output byte
// arrived: xwd writes nothing until the X server has sent it the image, so
// that bounds the capture moment more tightly than xwd's exit, which follows
// copying megabytes through a pipe.
func grabOnce() (im *xwdImage, captured time.Time, err error) {
	t := time.Now()
	defer func() { pollDurations = append(pollDurations, ms(time.Since(t))) }()
	cmd := exec.Command("xwd", "-root", "-silent")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, t, err
	}
	if err := cmd.Start(); err != nil {
		return nil, t, fmt.Errorf("xwd: %v", err)
	}
	var first [1]byte
	n, _ := io.ReadFull(stdout, first[:]) // errors show up in ReadFrom or Wait
	captured = time.Now()
	screenBuf.Reset()
	screenBuf.Write(first[:n])
	_, readErr := screenBuf.ReadFrom(stdout)
	if err := cmp.Or(cmd.Wait(), readErr); err != nil {
		return nil, t, fmt.Errorf("xwd: %v: %s", err, bytes.TrimSpace(stderr.Bytes()))
	}
	im, err = parseXWD(screenBuf.Bytes())
	return im, captured, err
}

// screenBuf is reused by every poll: page faults are costly in VMs, and a
// fresh 8 MB buffer per poll would take CPU from the program being measured.
// The image grabOnce returns is only valid until the next call.
var screenBuf bytes.Buffer

// waitFor polls the screen until cond holds or the limit passes.
func waitFor(cond func(*xwdImage, int) bool, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		im, _, err := grabScreen()
		if err != nil {
			return err
		}
		if cond(im, *step) {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("still %d+ colours after %v", distinctColours(im, *step, 3), limit)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// readRSS returns the resident set size of pid in MB.
func readRSS(pid int) (float64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// "VmRSS:	  123456 kB"
		if f := strings.Fields(sc.Text()); len(f) == 3 && f[0] == "VmRSS:" {
			kb, err := strconv.ParseFloat(f[1], 64)
			return kb / 1024, err
		}
	}
	return 0, fmt.Errorf("no VmRSS for pid %d", pid)
}

// report prints the table and the machine-readable lines; it returns whether
// any run failed.
func report(progs []program, all []stats) (failed bool) {
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "program\truns\tmedian ms\tmin ms\tmax ms\tRSS at paint MB\tsettled RSS MB\t")
	for i, p := range progs {
		s := all[i]
		ok := len(s.paintMS)
		fmt.Fprintf(tw, "%s\t%d/%d\t%.0f\t%.0f\t%.0f\t%.1f\t%.1f\t\n", p.name, ok, ok+s.failed,
			median(s.paintMS), minOf(s.paintMS), maxOf(s.paintMS), median(s.rssMB), median(s.settledMB))
	}
	tw.Flush()
	fmt.Printf("poll_ms median=%.0f max=%.0f (first-paint times are upper bounds; see the per-run \"after\" lower bounds)\n",
		median(pollDurations), maxOf(pollDurations))
	for i, p := range progs {
		s := all[i]
		fmt.Printf("coldstart name=%s runs=%d failed=%d median_ms=%.0f min_ms=%.0f max_ms=%.0f rss_mb=%.1f settled_rss_mb=%.1f\n",
			p.name, len(s.paintMS), s.failed, median(s.paintMS), minOf(s.paintMS), maxOf(s.paintMS),
			median(s.rssMB), median(s.settledMB))
		failed = failed || s.failed > 0
	}
	return failed
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// median, minOf and maxOf return NaN for no values, which prints as "NaN"
// rather than a misleading 0.
func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := slices.Sorted(slices.Values(v))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func minOf(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	return slices.Min(v)
}

func maxOf(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	return slices.Max(v)
}

// tail returns at most the last n bytes of b.
func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "coldstart: "+format+"\n", args...)
	os.Exit(1)
}
