package kiosksession_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The real kiosk in the X11 session under Xvfb, in practice mode: balie
// opens full screen under the session's window manager, comes back after
// the out-of-memory killer's SIGKILL, and staff's Ctrl+Alt+Q, pressed on
// the keyboard, ends the session. It builds cmd/balie: skipped with -short.
func TestXSessionRealKiosk(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs cmd/balie; skipped with -short")
	}
	needX(t, "matchbox-window-manager", "xprop", "xwininfo", "xdotool")
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command to build cmd/balie")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "balie")
	build := exec.CommandContext(withTimeout(t, 10*time.Minute), "go", "build", "-o", bin, "./cmd/balie")
	build.Dir = filepath.Join("..", "..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/balie: %v\n%s", err, out)
	}
	config := filepath.Join(dir, "kiosk.toml") // empty: practice mode
	if err := os.WriteFile(config, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s := startXSession(t, []string{"BALIE=" + bin}, "-config", config, "-data", filepath.Join(dir, "practice.db"))

	// kiosk returns balie's process and window once both are there.
	kiosk := func() (pid int, window string) {
		for _, p := range descendants(s.cmd.Process.Pid) {
			if p.comm == "balie" {
				pid = p.pid
			}
		}
		for _, w := range s.clients(t) {
			if class, _ := s.xQuiet(t, "xprop", "-id", w, "WM_CLASS"); strings.Contains(class, `"Digitale Balie"`) {
				window = w
			}
		}
		return pid, window
	}
	var pid int
	var window string
	if !waitFor(60*time.Second, func() bool { pid, window = kiosk(); return window != "" || s.exited() }) || window == "" {
		t.Fatalf("no kiosk window; log:\n%s\nxinit:\n%s", s.logText(t), s.out)
	}
	if clients := s.clients(t); len(clients) != 1 {
		t.Errorf("%d windows on the screen, want the kiosk's alone", len(clients))
	}
	info := s.x(t, "xwininfo", "-id", window)
	if !strings.Contains(info, "Width: 1280") || !strings.Contains(info, "Height: 720") {
		t.Errorf("the kiosk is not full screen:\n%s", info)
	}

	// The out-of-memory killer: SIGKILL, and the kiosk comes back.
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	var pid2 int
	if !waitFor(60*time.Second, func() bool {
		pid2, window = kiosk()
		return pid2 != 0 && pid2 != pid && window != ""
	}) {
		t.Fatalf("the kiosk did not come back after SIGKILL; log:\n%s", s.logText(t))
	}
	if log := s.logText(t); !strings.Contains(log, "balie ended with exit code 137;") {
		t.Errorf("log does not show the kill:\n%s", log)
	}

	// Staff leave: Ctrl+Alt+Q on the welcome screen. The window takes the
	// keyboard once it is drawn: on a busy machine, press again.
	for end := time.Now().Add(60 * time.Second); !s.exited() && time.Now().Before(end); {
		time.Sleep(2 * time.Second)
		s.xQuiet(t, "xdotool", "key", "ctrl+alt+q")
		waitFor(3*time.Second, s.exited)
	}
	s.wait(t, 10*time.Second)
	log := s.logText(t)
	for _, want := range []string{`msg="quit: Ctrl+Alt+Q pressed"`, "balie quit cleanly (exit code 0", "session ends (staff)"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	if got := s.stopped(); got != "staff" {
		t.Errorf("marker %q after Ctrl+Alt+Q, want staff", got)
	}
}
