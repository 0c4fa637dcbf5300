package supervise_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// A real restart: a transient service with balie.service's restart
// settings, around a stand-in kiosk, in a systemd manager that runs here
// (the user's, else the system's when the test runs as root). In a
// container without systemd it is skipped.
func TestRestartUnderSystemd(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("systemd is Linux only")
	}
	if _, err := exec.LookPath("systemd-run"); err != nil {
		t.Skip("systemd-run is not installed")
	}
	manager := systemdManager(t)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	u := loadUnit(t)
	l := unitLimits(t, u)
	var props []string
	for _, k := range []struct{ section, key string }{
		{"Service", "Restart"}, {"Service", "RestartSec"}, {"Service", "RestartPreventExitStatus"},
		{"Unit", "StartLimitIntervalSec"}, {"Unit", "StartLimitBurst"},
	} {
		v, _ := u.Get(k.section, k.key)
		props = append(props, "--property="+k.key+"="+v)
	}
	// start runs the stand-in kiosk in mode as a transient service and
	// returns its name and the file it counts its starts in.
	start := func(t *testing.T, mode string) (string, string) {
		name := fmt.Sprintf("balie-supervise-test-%d-%s.service", os.Getpid(), mode)
		starts := filepath.Join(t.TempDir(), "starts")
		args := append(append([]string{}, manager...), "--unit="+name, "--quiet",
			"--property=Type=exec", "--setenv="+helperEnv+"="+mode+":"+starts)
		args = append(append(args, props...), exe, "-test.run=^$")
		if out, err := exec.Command("systemd-run", args...).CombinedOutput(); err != nil {
			t.Fatalf("systemd-run %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		t.Cleanup(func() {
			systemctl(manager, "stop", name)
			systemctl(manager, "reset-failed", name)
		})
		return name, starts
	}
	waitFor := func(within time.Duration, ok func() bool) bool {
		for end := time.Now().Add(within); time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
			if ok() {
				return true
			}
		}
		return ok()
	}

	t.Run("crashes twice, then stays up", func(t *testing.T) {
		name, starts := start(t, "flaky")
		var state map[string]string
		if !waitFor(3*l.delay+20*time.Second, func() bool {
			state = show(manager, name)
			return countLines(starts) == 3 && state["ActiveState"] == "active"
		}) {
			t.Fatalf("after two crashes: %d starts, %v; want 3 starts and active", countLines(starts), state)
		}
		if state["NRestarts"] != "2" {
			t.Errorf("NRestarts=%s, want 2", state["NRestarts"])
		}
	})

	t.Run("a clean quit stays down", func(t *testing.T) {
		name, starts := start(t, "quit")
		time.Sleep(l.delay + 3*time.Second)
		if n := countLines(starts); n != 1 {
			t.Errorf("exit code 0 was started %d times, want once", n)
		}
		if s := show(manager, name)["ActiveState"]; s == "active" || s == "activating" {
			t.Errorf("after exit code 0 the unit is %s", s)
		}
	})

	t.Run("a crash loop gives up", func(t *testing.T) {
		if testing.Short() {
			t.Skipf("takes %v", time.Duration(l.burst)*l.delay)
		}
		name, starts := start(t, "crash")
		var state map[string]string
		if !waitFor(time.Duration(l.burst)*(l.delay+time.Second)+20*time.Second, func() bool {
			state = show(manager, name)
			return state["ActiveState"] == "failed"
		}) {
			t.Fatalf("crashing at every start: %d starts, %v; want failed", countLines(starts), state)
		}
		if state["Result"] != "start-limit-hit" {
			t.Errorf("Result=%s, want start-limit-hit", state["Result"])
		}
		if n := countLines(starts); n != l.burst {
			t.Errorf("%d starts, want StartLimitBurst=%d", n, l.burst)
		}
	})
}

// systemdManager returns systemctl's and systemd-run's flag for a manager
// that runs here, or skips the test.
func systemdManager(t *testing.T) []string {
	running := func(args ...string) bool {
		out, _ := exec.Command("systemctl", append(args, "is-system-running")...).Output()
		switch strings.TrimSpace(string(out)) {
		case "running", "degraded", "starting":
			return true
		}
		return false
	}
	if running("--user") {
		return []string{"--user"}
	}
	if _, err := os.Stat("/run/systemd/system"); err == nil && os.Geteuid() == 0 && running() {
		return nil
	}
	pid1, _ := os.ReadFile("/proc/1/comm")
	t.Skipf("no systemd manager runs here (no user manager on the bus, /run/systemd/system absent or not root; PID 1 is %q): the restart settings are checked by TestUnitFile and systemd-analyze only",
		strings.TrimSpace(string(pid1)))
	return nil
}

func systemctl(manager []string, args ...string) {
	_ = exec.Command("systemctl", append(append([]string{}, manager...), args...)...).Run()
}

// show returns the unit's state: ActiveState, SubState, Result, NRestarts.
func show(manager []string, name string) map[string]string {
	args := append(append([]string{}, manager...), "show", name,
		"--property=ActiveState,SubState,Result,NRestarts")
	out, _ := exec.Command("systemctl", args...).Output()
	state := map[string]string{}
	for _, l := range strings.Split(string(out), "\n") {
		if k, v, ok := strings.Cut(l, "="); ok {
			state[k] = v
		}
	}
	return state
}
