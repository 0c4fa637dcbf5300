package browser

import (
	"bufio"
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/phonepage/chromiumtest"
)

const kioskTitle = "Balie kiosk stand-in"

// TestRealChromiumLeavesNothingAndTheKioskComesBack opens a call in the real
// Chromium, on a city's command, in front of a stand-in kiosk window, on a
// virtual screen of its own with a window manager (Openbox) as on a public
// PC. The call window must come to the front; when the call ends, by the
// kiosk or by the page, its profile and every process it started must be
// gone, and the kiosk must be the active window again: the window manager
// gives it back the focus once the browser's window is gone (the kiosk
// also asks for it, with RequestFocus, in app/kiosk/call.go).
//
// It needs chromium, Xvfb, openbox and x11-utils (xprop, xmessage); without
// them, or with -short, it is skipped, unless BALIE_REQUIRE_CHROMIUM=1 (CI).
func TestRealChromiumLeavesNothingAndTheKioskComesBack(t *testing.T) {
	chromium := chromiumtest.Find(t)
	x := startX(t)
	x.start(t, "xmessage", "-title", kioskTitle, "-geometry", "1280x720+0+0", "The kiosk")
	x.waitActive(t, "the kiosk", func(w window) bool { return strings.Contains(w.name, kioskTitle) })

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/room-Jansens-4711" {
			fmt.Fprint(w, page)
			return
		}
		w.WriteHeader(http.StatusNoContent) // /report
	}))
	defer srv.Close()
	// Not t.TempDir: Chromium's socket in its TMPDIR must fit in the 108
	// bytes of a socket's path, and the test's name is long.
	tmp, err := os.MkdirTemp("", "balie-front-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(tmp) })
	t.Setenv("TMPDIR", tmp)
	t.Setenv("DISPLAY", x.display)
	// A home of its own, to see what the browser keeps there.
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("XDG_CACHE_HOME", "")

	// As the city would give it; as root Chromium runs only without its
	// sandbox.
	command := []string{chromium, "--kiosk", "--incognito", "--no-first-run", "--no-default-browser-check",
		"--user-data-dir={profile}", "--lang={lang}", "--accept-lang={lang}", "{link}"}
	if os.Geteuid() == 0 {
		command = slices.Insert(command, 1, "--no-sandbox", "--test-type")
	}
	program, err := ParseCommand(command)
	if err != nil {
		t.Fatal(err)
	}
	l := &Launcher{Programs: []Program{program}, Log: slog.New(slog.NewTextHandler(testWriter{t}, nil))}

	for _, tc := range []struct{ name, then string }{
		{"the kiosk closes the call", "stay"},
		{"the page closes itself", "close"}, // as a video call's page does when the visitor leaves
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := l.Open(srv.URL+"/room-Jansens-4711?then="+tc.then, "fr")
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			tmpdir := filepath.Join(c.dir, "tmp")
			var procs []int
			active := x.waitActive(t, "the call window", func(w window) bool {
				procs = callProcesses(c.cmd.Process.Pid, tmpdir)
				return strings.Contains(w.name, "Balie test call") && slices.Contains(procs, w.pid)
			})
			outside := slices.DeleteFunc(slices.Clone(procs), func(pid int) bool { return pgid(pid) == c.cmd.Process.Pid })
			t.Logf("call window %q of pid %d; the call runs %d processes, %d of them outside its process group",
				active.name, active.pid, len(procs), len(outside))

			if tc.then == "close" {
				select {
				case <-c.Ended():
				case <-time.After(30 * time.Second):
					t.Fatal("the call did not end when its page closed the window")
				}
			} else {
				c.Close()
			}
			if c.Err() != nil {
				t.Errorf("Err() = %v", c.Err())
			}

			// (a) Nothing of the call is left: its directory, its processes.
			if exists(c.dir) {
				t.Errorf("%s still there after the call ended", c.dir)
			}
			assertEmpty(t, tmp)
			// Killed, they may take a moment to finish exiting; none may
			// still run after that.
			deadline := time.Now().Add(5 * time.Second)
			for _, pid := range procs {
				for alive(pid) && time.Now().Before(deadline) {
					time.Sleep(20 * time.Millisecond)
				}
				if alive(pid) {
					t.Errorf("process %d of the call still runs: %s", pid, cmdline(pid))
				}
			}
			if left := callProcesses(c.cmd.Process.Pid, tmpdir); len(left) > 0 {
				t.Errorf("processes of the call left: %v", left)
			}
			if exists(c.dir) {
				t.Errorf("%s came back after the call ended", c.dir)
			}
			// Nothing in the home directory either, but GTK's cache of the
			// desktop's settings: crash reports went to the call's folder.
			_ = filepath.WalkDir(home, func(path string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() && path != filepath.Join(home, ".cache", "dconf", "user") {
					t.Errorf("kept in the home directory: %s", strings.TrimPrefix(path, home))
				}
				return nil
			})
			// (b) The kiosk is in front again.
			x.waitActive(t, "the kiosk to come back", func(w window) bool { return strings.Contains(w.name, kioskTitle) })
		})
	}
}

// xServer is a virtual screen with a window manager, for one test.
type xServer struct{ display string }

// startX starts Xvfb on a free display and Openbox on it; both stop with
// the test.
func startX(t *testing.T) *xServer {
	t.Helper()
	for _, tool := range []string{"Xvfb", "openbox", "xprop", "xmessage"} {
		if _, err := exec.LookPath(tool); err != nil {
			msg := tool + " is not installed (apt-get install xvfb openbox x11-utils)"
			if os.Getenv("BALIE_REQUIRE_CHROMIUM") == "1" {
				t.Fatal(msg + " and BALIE_REQUIRE_CHROMIUM=1")
			}
			t.Skip(msg)
		}
	}
	// Xvfb picks a free display and writes its number to fd 3.
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	xvfb := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1280x720x24", "-nolisten", "tcp")
	xvfb.ExtraFiles = []*os.File{w}
	stopWith(t, xvfb)
	if err := xvfb.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil {
		t.Fatalf("Xvfb did not start: %v", err)
	}
	x := &xServer{display: ":" + strings.TrimSpace(line)}
	// Openbox runs the --startup command once it manages the screen: a
	// window mapped earlier would not get the focus.
	ready := filepath.Join(t.TempDir(), "ready")
	x.start(t, "openbox", "--startup", "touch "+ready)
	waitFor(t, "the window manager", func() bool { return exists(ready) })
	return x
}

// start runs an X client on the screen until the test ends.
func (x *xServer) start(t *testing.T, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+x.display)
	stopWith(t, cmd)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
}

// stopWith kills cmd when the test ends, and shows what it said if the test
// failed.
func stopWith(t *testing.T, cmd *exec.Cmd) {
	var out logBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	t.Cleanup(func() {
		if cmd.Process == nil {
			return // it did not start
		}
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() && out.String() != "" {
			t.Logf("%s said:\n%s", filepath.Base(cmd.Path), out.String())
		}
	})
}

func (x *xServer) output(name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+x.display)
	out, err := cmd.Output()
	return string(out), err
}

// window is the active window: its title and the process that owns it
// (0 when the client does not say, as xmessage does not).
type window struct {
	name string
	pid  int
}

// active asks the window manager which window is active (_NET_ACTIVE_WINDOW).
func (x *xServer) active() window {
	out, _ := x.output("xprop", "-root", "_NET_ACTIVE_WINDOW")
	fields := strings.Fields(out)
	if !strings.Contains(out, "window id") || len(fields) == 0 || fields[len(fields)-1] == "0x0" {
		return window{}
	}
	out, _ = x.output("xprop", "-id", fields[len(fields)-1], "-notype", "_NET_WM_NAME", "WM_NAME", "_NET_WM_PID")
	var w window
	for line := range strings.Lines(out) {
		key, value, _ := strings.Cut(strings.TrimSpace(line), " = ")
		switch key {
		case "_NET_WM_NAME", "WM_NAME":
			if w.name == "" {
				w.name, _ = strconv.Unquote(value)
			}
		case "_NET_WM_PID":
			w.pid, _ = strconv.Atoi(value)
		}
	}
	return w
}

// waitActive waits for the active window to be the one wanted.
func (x *xServer) waitActive(t *testing.T, what string, ok func(window) bool) window {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		w := x.active()
		if ok(w) {
			return w
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s: the active window is %q (pid %d)", what, w.name, w.pid)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// callProcesses are the live processes of a call: in the browser's process
// group, or with the call's TMPDIR, which they all inherit.
func callProcesses(browser int, tmpdir string) []int {
	var pids []int
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || !alive(pid) {
			continue
		}
		env, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "environ"))
		if pgid(pid) == browser || slices.Contains(strings.Split(string(env), "\x00"), "TMPDIR="+tmpdir) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// pgid reads a process's group from /proc/PID/stat.
func pgid(pid int) int {
	stat, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	// pid (comm) state ppid pgrp ...: comm may hold spaces, so count from
	// its closing parenthesis.
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return 0
	}
	fields := strings.Fields(string(stat[i+1:]))
	if len(fields) < 3 {
		return 0
	}
	n, _ := strconv.Atoi(fields[2])
	return n
}

func cmdline(pid int) string {
	b, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	return strings.ReplaceAll(string(b), "\x00", " ")
}
