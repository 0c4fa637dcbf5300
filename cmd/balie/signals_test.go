//go:build linux

package main

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A SIGTERM or Ctrl+C that closes the window is not staff's Ctrl+Alt+Q:
// the kiosk dies by the signal, so a supervisor restarts it, where it
// used to exit 0 like a staff quit (Fyne's driver quits cleanly on both).
func TestEndedBySignalIsNotAStaffQuit(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real window under Xvfb")
	}
	xvfb, err := exec.LookPath("Xvfb")
	if err != nil {
		t.Skip("Xvfb is not installed")
	}
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			display := startXvfb(t, ctx, xvfb)
			dir := t.TempDir()
			exe, err := os.Executable()
			if err != nil {
				t.Fatal(err)
			}
			config := filepath.Join(dir, "kiosk.toml") // practice mode
			if err := os.WriteFile(config, nil, 0o600); err != nil {
				t.Fatal(err)
			}
			cmd := exec.CommandContext(ctx, exe, "-windowed", "-config", config, "-data", filepath.Join(dir, "practice.db"))
			cmd.Env = append(os.Environ(), runMainEnv+"=1", "DISPLAY="+display, "XDG_RUNTIME_DIR="+dir, "XDG_STATE_HOME="+dir, "WAYLAND_DISPLAY=")
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// The kiosk logs its city once it runs; the window follows.
			sc := bufio.NewScanner(stderr)
			for sc.Scan() && !strings.Contains(sc.Text(), "msg=city") {
			}
			go func() {
				for sc.Scan() {
				}
			}()
			time.Sleep(2 * time.Second)
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			err = cmd.Wait()
			var exit *exec.ExitError
			if !errors.As(err, &exit) {
				t.Fatalf("exit %v, want death by %v", err, sig)
			}
			if ws := exit.Sys().(syscall.WaitStatus); !ws.Signaled() || ws.Signal() != sig {
				t.Errorf("exit status %v, want death by %v", ws, sig)
			}
		})
	}
}

// startXvfb starts a virtual display for the test and returns its name.
func startXvfb(t *testing.T, ctx context.Context, xvfb string) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	x := exec.CommandContext(ctx, xvfb, "-displayfd", "3", "-screen", "0", "1280x720x24", "-nolisten", "tcp")
	x.ExtraFiles = []*os.File{w}
	if err := x.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { x.Process.Kill(); x.Wait() })
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil {
		t.Fatalf("Xvfb gave no display: %v", err)
	}
	return ":" + strings.TrimSpace(line)
}
