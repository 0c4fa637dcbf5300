package kiosksession_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// runLoop runs balie-run around a stand-in balie with env on top of it,
// and returns the process and its log file.
func runLoop(t *testing.T, f *fakeBalie, env []string, args ...string) (*started, string) {
	t.Helper()
	home := t.TempDir()
	log := filepath.Join(t.TempDir(), "session.log")
	cmd := exec.Command(script(t, "balie-run"), args...)
	cmd.Env = append(append(append(baseEnv(t, home), f.env()...), "BALIE_SESSION_LOG="+log), env...)
	return start(t, cmd), log
}

// Crashes of every kind are restarted; staff's Ctrl+Alt+Q (exit code 0)
// ends the loop with exit code 0.
func TestRunRestartsUntilStaffQuit(t *testing.T) {
	needLinux(t)
	f := newFakeBalie(t, "exit 2", "gopanic", "exit 1", "exit 137", "exit 0")
	s, log := runLoop(t, f, []string{"BALIE_RESTART_DELAY=0"}, "-config", "/etc/balie/kiosk.toml")
	if code := s.wait(t, 60*time.Second); code != 0 {
		t.Fatalf("balie-run exit code %d after staff quit, want 0; output:\n%s", code, s.out)
	}
	starts := f.starts()
	if len(starts) != 5 {
		t.Fatalf("%d starts, want 5 (4 crashes, then a clean quit):\n%s", len(starts), strings.Join(starts, "\n"))
	}
	for _, l := range starts {
		if !strings.HasSuffix(l, "args=-config /etc/balie/kiosk.toml") {
			t.Errorf("balie did not get balie-run's arguments: %s", l)
		}
		if !strings.Contains(l, "gotraceback=single") || !strings.Contains(l, "core=0") {
			t.Errorf("balie runs without GOTRACEBACK=single or with core dumps: %s", l)
		}
	}
	text := readFile(t, log)
	for _, want := range []string{
		"balie ended with exit code 2;",
		"panic: stand-in kiosk crashes", // the Go trace reaches the log
		"goroutine 1 [running]",
		"balie ended with exit code 1;",
		"balie ended with exit code 137;",
		"balie quit cleanly (exit code 0",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("log lacks %q:\n%s", want, text)
		}
	}
	if n := strings.Count(text, "balie ended with exit code 2;"); n != 2 {
		t.Errorf("%d ends with exit code 2 (a crash and a real Go panic), want 2", n)
	}
}

// A kiosk that crashes at every start gives up after BURST starts and
// exits 1: a crash loop.
func TestRunCrashLoopGivesUp(t *testing.T) {
	needLinux(t)
	f := newFakeBalie(t, "exit 2")
	s, log := runLoop(t, f, []string{"BALIE_RESTART_DELAY=0", "BALIE_START_BURST=4", "BALIE_START_INTERVAL=300"})
	if code := s.wait(t, 30*time.Second); code != 1 {
		t.Fatalf("exit code %d after a crash loop, want 1", code)
	}
	if n := len(f.starts()); n != 4 {
		t.Errorf("%d starts, want BALIE_START_BURST=4", n)
	}
	if text := readFile(t, log); !strings.Contains(text, "crash loop: 4 starts within 300 seconds") {
		t.Errorf("log does not say crash loop:\n%s", text)
	}
}

// Crashes further apart than the interval are restarted every time: only
// BURST starts within INTERVAL seconds are a loop.
func TestRunCrashesFarApartAreRestarted(t *testing.T) {
	needLinux(t)
	f := newFakeBalie(t, "exit 2", "exit 2", "exit 2", "exit 2", "exit 0")
	s, _ := runLoop(t, f, []string{"BALIE_RESTART_DELAY=1", "BALIE_START_BURST=2", "BALIE_START_INTERVAL=1"})
	if code := s.wait(t, 30*time.Second); code != 0 {
		t.Fatalf("exit code %d, want 0: crashes a second apart with a 1-second window are no loop", code)
	}
	if n := len(f.starts()); n != 5 {
		t.Errorf("%d starts, want 5", n)
	}
}

// A missing program is a start-up failure like any other, said plainly.
func TestRunMissingBalie(t *testing.T) {
	needLinux(t)
	f := newFakeBalie(t, "exit 0")
	s, log := runLoop(t, f, []string{"BALIE=/nonexistent/balie", "BALIE_RESTART_DELAY=0", "BALIE_START_BURST=2"})
	if code := s.wait(t, 30*time.Second); code != 1 {
		t.Fatalf("exit code %d, want 1 (a crash loop)", code)
	}
	if text := readFile(t, log); !strings.Contains(text, "cannot run /nonexistent/balie (exit code 127)") {
		t.Errorf("log does not say balie is missing:\n%s", text)
	}
}

// SIGTERM (logout, shutdown, the session ending) reaches balie at once and
// ends the loop without a restart.
func TestRunPassesSIGTERMOn(t *testing.T) {
	needLinux(t)
	f := newFakeBalie(t, "wait")
	s, _ := runLoop(t, f, []string{"BALIE_RESTART_DELAY=0"})
	if !waitFor(20*time.Second, func() bool { return f.running(1) }) {
		t.Fatalf("stand-in never started; output:\n%s", s.out)
	}
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := s.wait(t, 10*time.Second); code != 143 {
		t.Errorf("exit code %d after SIGTERM, want 143", code)
	}
	if sig := f.signals(); !strings.Contains(sig, "start=1 SIGTERM") {
		t.Errorf("balie did not get the SIGTERM: %q", sig)
	}
	time.Sleep(500 * time.Millisecond)
	if n := len(f.starts()); n != 1 {
		t.Errorf("%d starts after SIGTERM, want 1", n)
	}
}

// The log is kept small: at 1 MB it becomes session.log.1.
func TestRunRotatesLog(t *testing.T) {
	needLinux(t)
	f := newFakeBalie(t, "exit 0")
	home := t.TempDir()
	log := filepath.Join(t.TempDir(), "session.log")
	big := strings.Repeat("x", 1<<20+1)
	if err := os.WriteFile(log, []byte(big), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(script(t, "balie-run"))
	cmd.Env = append(append(baseEnv(t, home), f.env()...), "BALIE_SESSION_LOG="+log)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if old := readFile(t, log+".1"); old != big {
		t.Errorf("session.log.1 holds %d bytes, want the old log's %d", len(old), len(big))
	}
	if n := len(readFile(t, log)); n > 4096 {
		t.Errorf("new session.log holds %d bytes", n)
	}
}

// Without BALIE_SESSION_LOG the log is the user's state folder, the one
// the kiosk's own state is in.
func TestRunLogsInStateFolder(t *testing.T) {
	needLinux(t)
	f := newFakeBalie(t, "exit 0")
	home := t.TempDir()
	cmd := exec.Command(script(t, "balie-run"))
	cmd.Env = append(baseEnv(t, home), f.env()...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	log := filepath.Join(home, ".local", "state", "balie", "session.log")
	if text := readFile(t, log); !strings.Contains(text, "quit cleanly") {
		t.Errorf("%s:\n%s", log, text)
	}
	info, err := os.Stat(filepath.Dir(log))
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o700 {
		t.Errorf("%s has mode %o, want 0700", filepath.Dir(log), info.Mode().Perm())
	}
}

// balie-run keeps the limits of the supervisors in cmd/balie/supervise:
// balie.service's RestartSec, StartLimitBurst and StartLimitIntervalSec.
func TestRunLimitsAreTheSupervisors(t *testing.T) {
	unit := parseUnit(t, filepath.Join("..", "supervise", "balie.service"))
	run := readFile(t, "balie-run")
	for _, c := range []struct{ variable, section, key string }{
		{"BALIE_RESTART_DELAY", "Service", "RestartSec"},
		{"BALIE_START_BURST", "Unit", "StartLimitBurst"},
		{"BALIE_START_INTERVAL", "Unit", "StartLimitIntervalSec"},
	} {
		m := regexp.MustCompile(`\$\{` + c.variable + `:-(\d+)\}`).FindStringSubmatch(run)
		if m == nil {
			t.Errorf("balie-run has no default for %s", c.variable)
			continue
		}
		want := strings.TrimSuffix(unit.Value(c.section, c.key), "s")
		if _, err := strconv.Atoi(want); err != nil {
			t.Fatalf("balie.service: %s=%q is not plain seconds", c.key, unit.Value(c.section, c.key))
		}
		if m[1] != want {
			t.Errorf("balie-run's %s defaults to %s, balie.service's %s is %s", c.variable, m[1], c.key, want)
		}
	}
	// And the same rule about exit code 0.
	if unit.Value("Service", "RestartPreventExitStatus") != "0" {
		t.Errorf("balie.service no longer leaves exit code 0 down: balie-run's rule needs a look")
	}
}

// Every script parses as POSIX sh (Debian's is dash) and the ones that run
// are executable.
func TestScriptsParse(t *testing.T) {
	needLinux(t)
	for _, c := range []struct {
		name string
		exec bool
	}{
		{"balie-run", true},
		{"balie-session", true},
		{"balie-getty", true},
		{"install-kiosk-session.sh", true},
		{"kiosk-profile", false},
	} {
		p := script(t, c.name)
		if out, err := exec.Command("sh", "-n", p).CombinedOutput(); err != nil {
			t.Errorf("sh -n %s: %v\n%s", c.name, err, out)
		}
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if c.exec && info.Mode().Perm()&0o111 != 0o111 {
			t.Errorf("%s has mode %o: not executable", c.name, info.Mode().Perm())
		}
		if c.exec && !strings.HasPrefix(readFile(t, p), "#!/bin/sh\n") {
			t.Errorf("%s does not start with #!/bin/sh", c.name)
		}
	}
}
