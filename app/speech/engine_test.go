package speech

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeEspeak writes a stand-in for espeak-ng: it lists Debian 12's voices,
// and otherwise records its arguments and standard input, starts a child
// that sleeps (so that killing only the program would leave a speaking
// child behind) and waits for it. With mode "fail" it complains, quoting
// what it read, and exits 1; with "quick" it exits at once.
func fakeEspeak(t *testing.T, mode string) (bin, dir string) {
	t.Helper()
	dir = t.TempDir()
	voices, err := filepath.Abs("testdata/espeak-ng-1.51-voices.txt")
	if err != nil {
		t.Fatal(err)
	}
	script := `#!/bin/sh
d=$(dirname "$0")
if [ "$1" = "--voices" ]; then cat '` + voices + `'; exit 0; fi
printf '%s\n' "$@" > "$d/args.$$"
cat > "$d/stdin.$$"
case "` + mode + `" in
fail) echo "could not speak: $(cat "$d/stdin.$$")" >&2; exit 1 ;;
quick) exit 0 ;;
esac
sleep 60 &
echo "$! $$" > "$d/pids.$$"
wait
`
	// Marks the fake and its child, for survivors. (The environment a
	// process started with is what /proc shows, so the mark is set here.)
	t.Setenv("FAKE_ESPEAK_DIR", dir)
	bin = filepath.Join(dir, "espeak-ng")
	if err := os.WriteFile(bin, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return bin, dir
}

// fakePIDs waits for the fake's pids file for the program with pid and
// returns the sleeping child's and the program's process ids.
func fakePIDs(t *testing.T, dir string, pid int) (child, parent int) {
	t.Helper()
	path := filepath.Join(dir, "pids."+strconv.Itoa(pid))
	var b []byte
	waitFor(t, func() bool {
		b, _ = os.ReadFile(path)
		return strings.HasSuffix(string(b), "\n")
	})
	if _, err := fmt.Sscan(string(b), &child, &parent); err != nil {
		t.Fatal(err)
	}
	return child, parent
}

// alive reports whether pid runs (a zombie does not count: it waits only to
// be reaped, possibly by an init that never does).
func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i >= 0 && i+2 < len(s) && s[i+2] != 'Z' && s[i+2] != 'X'
}

// survivors lists the running processes of the fake in dir, found by the
// mark in their environment.
func survivors(dir string) []int {
	var pids []int
	mark := []byte("FAKE_ESPEAK_DIR=" + dir + "\x00")
	procs, _ := filepath.Glob("/proc/[0-9]*/environ")
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err != nil || !bytes.Contains(b, mark) {
			continue
		}
		pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(p)))
		if alive(pid) {
			pids = append(pids, pid)
		}
	}
	return pids
}

func needProc(t *testing.T) {
	t.Helper()
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc to watch processes in")
	}
}

func TestStopKillsTheProcessGroup(t *testing.T) {
	needProc(t)
	bin, dir := fakeEspeak(t, "sleep")
	e, err := NewEspeak(Options{Command: bin})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Speak(context.Background(), "nl", secret); err != nil {
		t.Fatal(err)
	}
	first := current(e)
	child1, parent1 := fakePIDs(t, dir, first.proc.Pid)

	// The text went in on stdin, not on the command line.
	args, _ := os.ReadFile(filepath.Join(dir, "args."+strconv.Itoa(parent1)))
	stdin, _ := os.ReadFile(filepath.Join(dir, "stdin."+strconv.Itoa(parent1)))
	noSecretInArgs(t, strings.Split(string(args), "\n"))
	if string(stdin) != secret {
		t.Errorf("stdin = %q", stdin)
	}

	// A second Speak kills the first program and its child.
	if err := e.Speak(context.Background(), "fr", "Bonjour"); err != nil {
		t.Fatal(err)
	}
	second := current(e)
	child2, parent2 := fakePIDs(t, dir, second.proc.Pid)
	waitDead(t, "first program", parent1)
	waitDead(t, "first program's child", child1)
	if !alive(parent2) || !alive(child2) {
		t.Fatal("the second utterance is not running")
	}

	e.Stop()
	waitDead(t, "second program", parent2)
	waitDead(t, "second program's child", child2)
}

func waitDead(t *testing.T, what string, pid int) {
	t.Helper()
	t0 := time.Now()
	for alive(pid) {
		if time.Since(t0) > stopHard {
			t.Fatalf("%s (%d) still running after %v", what, pid, stopHard)
		}
		time.Sleep(time.Millisecond)
	}
	t.Logf("%s gone in %v", what, time.Since(t0).Round(10*time.Microsecond))
}

// A program that fails is logged once at Warn, then at Debug, never with the
// text; Speak itself returns nil, the kiosk carries on.
func TestFailureLoggedOnceWithoutText(t *testing.T) {
	bin, _ := fakeEspeak(t, "fail")
	var logs logBuffer
	e, err := NewEspeak(Options{Command: bin, Log: logs.logger()})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if err := e.Speak(context.Background(), "nl", secret); err != nil {
			t.Fatal(err)
		}
		j := current(e)
		<-j.done
		if j.err == nil {
			t.Fatal("the failure went unseen")
		}
		waitFor(t, func() bool { return logs.count() == i+1 })
	}
	logs.check(t, 1, "exit status 1")
}

// A program that is missing makes Speak fail at once and New fall back to
// Silent, saying why.
func TestMissingProgram(t *testing.T) {
	bin, _ := fakeEspeak(t, "quick")
	var logs logBuffer
	e, err := NewEspeak(Options{Command: bin, Log: logs.logger()})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(bin); err != nil {
		t.Fatal(err)
	}
	if err := e.Speak(context.Background(), "nl", secret); err == nil || errors.Is(err, ErrNoVoice) {
		t.Errorf("Speak with the program gone = %v", err)
	}
	logs.check(t, 1, "cannot start")

	for _, tc := range []struct {
		name, program string
	}{
		{"missing", filepath.Join(t.TempDir(), "espeak-ng")},
		{"lists no voices", "/bin/true"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs logBuffer
			if _, err := NewEspeak(Options{Command: tc.program}); err == nil {
				t.Error("NewEspeak succeeded")
			}
			s := newFor(t, Options{Command: tc.program, Log: logs.logger()})
			if _, ok := s.(Silent); !ok {
				t.Errorf("New = %T, want Silent", s)
			}
			if !strings.Contains(logs.String(), "read-aloud is off") {
				t.Errorf("log: %s", logs.String())
			}
		})
	}
}

// newFor is New with espeak-ng, on every platform the tests run on.
func newFor(t *testing.T, opts Options) Speaker {
	t.Helper()
	if _, err := os.Stat("/proc/version"); err != nil {
		t.Skip("New picks espeak-ng on Linux only")
	}
	return New(opts)
}

func TestSpeakWithoutVoiceOrText(t *testing.T) {
	bin, _ := fakeEspeak(t, "sleep")
	e, err := NewEspeak(Options{Command: bin})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lang, text string
		want       error
	}{
		{"ps", "سلام", ErrNoVoice},
		{"de", "Hallo", ErrNoVoice},
		{"", "Hallo", ErrNoVoice},
		{"nl", "   ", nil},
		{"nl", "", nil},
	} {
		if err := e.Speak(context.Background(), "nl", longText); err != nil {
			t.Fatal(err)
		}
		playing := current(e)
		err := e.Speak(context.Background(), tc.lang, tc.text)
		if !errors.Is(err, tc.want) || (tc.want == nil && err != nil) {
			t.Errorf("Speak(%q, %q) = %v, want %v", tc.lang, tc.text, err, tc.want)
		}
		// Either way, what was playing stops, and nothing new starts.
		if current(e) != nil {
			t.Errorf("Speak(%q, %q) left something playing", tc.lang, tc.text)
		}
		select {
		case <-playing.done:
		case <-time.After(stopHard):
			t.Fatalf("Speak(%q, %q) did not stop what was playing", tc.lang, tc.text)
		}
	}
}

// Many goroutines at once: no race (go test -race), no deadlock, and nothing
// left running after a final Stop.
func TestConcurrentUse(t *testing.T) {
	needProc(t)
	bin, dir := fakeEspeak(t, "sleep")
	e, err := NewEspeak(Options{Command: bin})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 15 {
				ctx, cancel := context.WithTimeout(context.Background(), time.Duration(i)*time.Millisecond)
				switch (g + i) % 6 {
				case 0:
					_ = e.Speak(ctx, samples[i%len(samples)].lang, "Hallo")
				case 1:
					_ = e.Speak(context.Background(), samples[i%len(samples)].lang, "Hallo")
					time.Sleep(20 * time.Millisecond)
				case 5:
					_ = e.Speak(ctx, "nl", "Hallo")
					time.Sleep(10 * time.Millisecond)
				case 2:
					e.Stop()
				case 3:
					e.SetVolume(i % 4)
					_ = e.Available("fa-AF")
				case 4:
					e.Reset()
				}
				cancel()
			}
		})
	}
	wg.Wait()
	// One more that surely gets going, for the final Stop to end.
	if err := e.Speak(context.Background(), "nl", "Hallo"); err != nil {
		t.Fatal(err)
	}
	fakePIDs(t, dir, current(e).proc.Pid)
	if len(survivors(dir)) < 2 {
		t.Fatal("survivors does not see the program and its child: the check is blind")
	}
	e.Stop()
	// No program, nor any child of one, may still run.
	t0 := time.Now()
	for left := survivors(dir); len(left) > 0; left = survivors(dir) {
		if time.Since(t0) > stopHard {
			t.Fatalf("still running after %v: %v", stopHard, left)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if e.Volume() < Soft || e.Volume() > MaxVolume {
		t.Errorf("volume %d out of range", e.Volume())
	}
}

func TestSetVolumeClampsAndResetRestores(t *testing.T) {
	bin, _ := fakeEspeak(t, "quick")
	e, err := NewEspeak(Options{Command: bin})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ set, want int }{{Soft, Soft}, {Loud, Loud}, {-1, Soft}, {99, MaxVolume}, {Normal, Normal}} {
		e.SetVolume(tc.set)
		if got := e.Volume(); got != tc.want {
			t.Errorf("SetVolume(%d): Volume = %d, want %d", tc.set, got, tc.want)
		}
	}
	e.SetVolume(Loud)
	e.Reset()
	if e.Volume() != DefaultVolume {
		t.Errorf("after Reset, Volume = %d", e.Volume())
	}
}

func TestSilent(t *testing.T) {
	var s Speaker = Silent{}
	if s.Available("nl") {
		t.Error("Silent has a voice")
	}
	if err := s.Speak(context.Background(), "nl", "Hallo"); !errors.Is(err, ErrNoVoice) {
		t.Errorf("Speak = %v", err)
	}
	s.SetVolume(Loud)
	s.Stop()
	s.Reset()
}
