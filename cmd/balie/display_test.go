package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestMissingDisplay(t *testing.T) {
	var (
		both        = displayDrivers{x11: true, wayland: true} // Linux, default build
		x11Only     = displayDrivers{x11: true}                // -tags x11
		waylandOnly = displayDrivers{wayland: true}            // -tags wayland
		desktop     = displayDrivers{}                         // Windows, macOS
	)
	tests := []struct {
		name    string
		drivers displayDrivers
		env     map[string]string
		exists  []string // paths that exist
		want    string   // "" when the window may open, else a part of the message
	}{
		{"nothing", both, nil, nil, "neither DISPLAY (X11) nor WAYLAND_DISPLAY"},
		{"empty DISPLAY", both, map[string]string{"DISPLAY": ""}, nil, "neither DISPLAY"},
		{"X11", both, map[string]string{"DISPLAY": ":0"}, nil, ""},
		{"Xvfb", both, map[string]string{"DISPLAY": ":99", "XDG_RUNTIME_DIR": "/run/user/0"}, nil, ""},
		{"Wayland", both, map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, nil, ""},
		{"Wayland socket handed over", both, map[string]string{"WAYLAND_SOCKET": "3"}, nil, ""},
		{"Wayland's default socket", both, map[string]string{"XDG_RUNTIME_DIR": "/run/user/1000"}, []string{"/run/user/1000/wayland-0"}, ""},
		{"runtime dir without a compositor", both, map[string]string{"XDG_RUNTIME_DIR": "/run/user/1000"}, nil, "neither DISPLAY"},
		{"FYNE_PLATFORM=x11 on Wayland only", both, map[string]string{"FYNE_PLATFORM": "x11", "WAYLAND_DISPLAY": "wayland-0"}, nil, "FYNE_PLATFORM=x11 but DISPLAY is not set"},
		{"FYNE_PLATFORM=x11 with X11", both, map[string]string{"FYNE_PLATFORM": "x11", "DISPLAY": ":0"}, nil, ""},
		{"FYNE_PLATFORM=wayland on X11 only", both, map[string]string{"FYNE_PLATFORM": "wayland", "DISPLAY": ":0"}, nil, "FYNE_PLATFORM=wayland but WAYLAND_DISPLAY is not set"},
		{"FYNE_PLATFORM=wayland with Wayland", both, map[string]string{"FYNE_PLATFORM": "wayland", "WAYLAND_DISPLAY": "wayland-1"}, nil, ""},
		{"FYNE_PLATFORM other, ignored", both, map[string]string{"FYNE_PLATFORM": "mir", "DISPLAY": ":0"}, nil, ""},
		{"X11 build on Wayland", x11Only, map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, nil, "DISPLAY is not set (this build opens X11 only)"},
		{"X11 build on X11", x11Only, map[string]string{"DISPLAY": ":0"}, nil, ""},
		{"X11 build ignores FYNE_PLATFORM", x11Only, map[string]string{"FYNE_PLATFORM": "wayland", "DISPLAY": ":0"}, nil, ""},
		{"Wayland build on X11", waylandOnly, map[string]string{"DISPLAY": ":0"}, nil, "WAYLAND_DISPLAY is not set (this build opens Wayland only)"},
		{"Wayland build on Wayland", waylandOnly, map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, nil, ""},
		{"Windows or macOS", desktop, nil, nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			exists := func(p string) bool {
				for _, e := range tc.exists {
					if p == filepath.FromSlash(e) {
						return true
					}
				}
				return false
			}
			got := missingDisplay(tc.drivers, func(k string) string { return tc.env[k] }, exists)
			switch {
			case tc.want == "" && got != "":
				t.Fatalf("refused: %s", got)
			case tc.want == "":
				return
			case !strings.Contains(got, tc.want):
				t.Fatalf("got %q, want it to say %q", got, tc.want)
			case strings.Contains(got, "\n"):
				t.Fatalf("more than one line: %q", got)
			case !strings.Contains(got, "graphical session") || !strings.Contains(got, "xvfb-run"):
				t.Fatalf("%q does not say a graphical session is needed and how to get one", got)
			}
		})
	}
}

// The binary is built with the drivers Fyne's GLFW driver has on this OS.
func TestBuiltDrivers(t *testing.T) {
	switch runtime.GOOS {
	case "linux":
		if !builtDrivers.x11 && !builtDrivers.wayland {
			t.Errorf("Linux build without a display driver: %+v", builtDrivers)
		}
	case "windows", "darwin":
		if builtDrivers != (displayDrivers{}) {
			t.Errorf("%s: %+v, want no display check", runtime.GOOS, builtDrivers)
		}
	}
}

// runMainEnv makes the test binary run balie's main instead of the tests:
// the same program, flags and driver as the built kiosk.
const runMainEnv = "BALIE_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// Started without a display (no DISPLAY, WAYLAND_DISPLAY or Wayland
// socket), balie says so in one line on stderr and exits with an error,
// before Fyne's driver could panic.
func TestNoDisplayOneLine(t *testing.T) {
	if builtDrivers == (displayDrivers{}) {
		t.Skipf("%s always has a desktop: the kiosk would open its window", runtime.GOOS)
	}
	dir := t.TempDir()
	env := []string{runMainEnv + "=1", "XDG_RUNTIME_DIR=" + dir} // an empty runtime dir: no wayland-0
	for _, kv := range os.Environ() {
		switch k, _, _ := strings.Cut(kv, "="); k {
		case "DISPLAY", "WAYLAND_DISPLAY", "WAYLAND_SOCKET", "FYNE_PLATFORM", "XDG_RUNTIME_DIR", runMainEnv:
		default:
			env = append(env, kv)
		}
	}
	// A deadline for a hang only: the check takes milliseconds.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, exe, "-windowed", "-data", filepath.Join(dir, "practice.db"))
	cmd.Env = env
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() <= 0 {
		t.Errorf("exit: %v, want a non-zero exit code", err)
	}
	msg := strings.TrimRight(stderr.String(), "\n")
	if strings.Count(msg, "\n") != 0 || msg == "" {
		t.Errorf("stderr is not one line:\n%s", msg)
	}
	for _, bad := range []string{"goroutine", "panic"} {
		if strings.Contains(msg, bad) {
			t.Errorf("stderr says %q:\n%s", bad, msg)
		}
	}
	if !strings.Contains(msg, "graphical session") || !strings.Contains(msg, "xvfb-run") {
		t.Errorf("stderr does not say a graphical session is needed and how to get one: %s", msg)
	}
	if stdout.Len() > 0 {
		t.Errorf("stdout: %s", stdout.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "practice.db")); err == nil {
		t.Error("the practice store was opened before the display was checked")
	}
}
