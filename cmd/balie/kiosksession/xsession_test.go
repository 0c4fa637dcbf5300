package kiosksession_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// xSession is balie-session running as the whole session of an X server,
// started the way startx starts it on the kiosk PC: xinit, with Xvfb as
// the server.
type xSession struct {
	*started
	display string
	rundir  string // BALIE_KIOSK_RUNDIR
	log     string // BALIE_SESSION_LOG
	home    string
}

// needX skips a test that needs a virtual X server and xinit.
func needX(t *testing.T, commands ...string) {
	t.Helper()
	needLinux(t)
	for _, c := range append([]string{"Xvfb", "xinit"}, commands...) {
		if _, err := exec.LookPath(c); err != nil {
			t.Skipf("%s is not installed (bash .ci/setup installs it): the X11 session is not run here", c)
		}
	}
}

// freeDisplay picks a display number nobody uses here, away from the ones
// xvfb-run -a and desktops take.
func freeDisplay() string {
	for {
		n := 400 + rand.IntN(400)
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X%d-lock", n)); os.IsNotExist(err) {
			if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n)); os.IsNotExist(err) {
				return fmt.Sprintf(":%d", n)
			}
		}
	}
}

// startXSession runs xinit balie-session ARGS -- Xvfb with env on top of a
// clean environment.
func startXSession(t *testing.T, env []string, args ...string) *xSession {
	t.Helper()
	s := &xSession{display: freeDisplay(), home: t.TempDir()}
	s.rundir = filepath.Join(t.TempDir(), "run")
	if err := os.Mkdir(s.rundir, 0o755); err != nil {
		t.Fatal(err)
	}
	s.log = filepath.Join(s.home, "session.log")
	runtimeDir := t.TempDir() // 0700, as /run/user/UID
	xvfb, _ := exec.LookPath("Xvfb")
	argv := append([]string{script(t, "balie-session")}, args...)
	argv = append(argv, "--", xvfb, s.display, "-screen", "0", "1280x720x24", "-nolisten", "tcp")
	cmd := exec.Command("xinit", argv...)
	cmd.Env = append(append(baseEnv(t, s.home),
		"XDG_RUNTIME_DIR="+runtimeDir,
		"BALIE_KIOSK_RUNDIR="+s.rundir,
		"BALIE_SESSION_LOG="+s.log,
	), env...)
	s.started = start(t, cmd)
	t.Cleanup(func() { s.removeStaleLock() })
	return s
}

// removeStaleLock removes the lock file and socket of the session's X
// server if that server is gone without removing them.
func (s *xSession) removeStaleLock() {
	n := strings.TrimPrefix(s.display, ":")
	lock := "/tmp/.X" + n + "-lock"
	b, err := os.ReadFile(lock)
	if err != nil {
		return
	}
	var pid int
	if _, err := fmt.Sscanf(strings.TrimSpace(string(b)), "%d", &pid); err != nil || alive(pid) {
		return
	}
	os.Remove(lock)
	os.Remove("/tmp/.X11-unix/X" + n)
}

// x runs an X client against the session's display.
func (s *xSession) x(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := s.xQuiet(t, name, args...)
	if err != nil {
		t.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

// xQuiet runs an X client and leaves a failure to the caller: a window
// may be gone by the time it asks.
func (s *xSession) xQuiet(t *testing.T, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(withTimeout(t, 10*time.Second), name, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "DISPLAY=" + s.display, "HOME=" + s.home}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// clients lists the windows the window manager manages: the programs on
// the screen.
func (s *xSession) clients(t *testing.T) []string {
	t.Helper()
	out, _ := s.xQuiet(t, "xprop", "-root", "_NET_CLIENT_LIST")
	return regexp.MustCompile(`0x[0-9a-f]+`).FindAllString(out, -1)
}

func (s *xSession) logText(t *testing.T) string {
	b, _ := os.ReadFile(s.log)
	return string(b)
}

func (s *xSession) stopped() string {
	b, _ := os.ReadFile(filepath.Join(s.rundir, "stopped"))
	return strings.TrimSpace(string(b))
}

// What may run in the session: the X server, the session's own scripts,
// its window manager, a private session bus, and balie (here the
// stand-in and its window).
var sessionProcesses = map[string]bool{
	"Xvfb": true, "balie-session": true, "balie-run": true, "matchbox-window": true,
	"dbus-run-sessio": true, "dbus-daemon": true, "balie": true, "xlogo": true,
	// and the short-lived commands of the scripts
	"sleep": true, "xprop": true, "xset": true, "cat": true, "rm": true, "sed": true, "tail": true,
	"wc": true, "date": true, "dirname": true, "readlink": true, "mkdir": true, "grep": true,
}

// The X11 session: a crashing balie comes back, screen blanking is off,
// there is nothing on the screen but balie, the window manager's keyboard
// shortcuts do nothing, and staff's Ctrl+Alt+Q (exit code 0) ends the
// session and the X server, and leaves tty1 at a login prompt.
func TestXSession(t *testing.T) {
	needX(t, "matchbox-window-manager", "xprop", "xset", "xwininfo", "xlogo")
	f := newFakeBalie(t, "exit 2", "exit 1", "window")
	s := startXSession(t, append(f.env(), "BALIE_RESTART_DELAY=1"), "-config", "/etc/balie/kiosk.toml")

	if !waitFor(30*time.Second, func() bool { return f.running(3) || s.exited() }) || !f.running(3) {
		t.Fatalf("the stand-in balie was not started a third time: starts %q\nlog:\n%s\nxinit:\n%s",
			f.starts(), s.logText(t), s.out)
	}
	for i, l := range f.starts() {
		if !strings.Contains(l, "display="+s.display+" ") {
			t.Errorf("start %d not on the session's display %s: %s", i+1, s.display, l)
		}
		if !strings.HasSuffix(l, "args=-config /etc/balie/kiosk.toml") {
			t.Errorf("start %d without the session's arguments: %s", i+1, l)
		}
	}

	t.Run("screen stays on", func(t *testing.T) {
		q := s.x(t, "xset", "q")
		if !regexp.MustCompile(`prefer blanking:\s+no`).MatchString(q) || !regexp.MustCompile(`timeout:\s+0\s`).MatchString(q) {
			t.Errorf("screen saver still on:\n%s", q)
		}
		switch {
		case strings.Contains(q, "DPMS is Disabled"):
		case strings.Contains(q, "Server does not have the DPMS Extension"):
			t.Log("Xvfb has no DPMS; on a real X server xset -dpms turns it off")
		default:
			t.Errorf("DPMS not disabled:\n%s", q)
		}
	})

	var window string
	t.Run("only balie on the screen", func(t *testing.T) {
		if !waitFor(10*time.Second, func() bool { return len(s.clients(t)) > 0 }) {
			t.Fatal("the stand-in's window never appeared")
		}
		clients := s.clients(t)
		if len(clients) != 1 {
			t.Fatalf("%d windows on the screen, want the kiosk's alone", len(clients))
		}
		window = clients[0]
		if class := s.x(t, "xprop", "-id", window, "WM_CLASS"); !strings.Contains(class, "xlogo") {
			t.Errorf("the one window is not the stand-in's: %s", class)
		}
		// The window manager shows it full screen, with no title bar.
		info := s.x(t, "xwininfo", "-id", window)
		if !strings.Contains(info, "Width: 1280") || !strings.Contains(info, "Height: 720") {
			t.Errorf("the kiosk's window is not full screen:\n%s", info)
		}
		// No desktop, no panel, no terminal: every process in the session
		// is one of the session's own.
		for _, p := range descendants(s.cmd.Process.Pid) {
			if !sessionProcesses[p.comm] {
				t.Errorf("the session runs %q (pid %d)", p.comm, p.pid)
			}
		}
	})

	t.Run("window manager shortcuts do nothing", func(t *testing.T) {
		if _, err := exec.LookPath("xdotool"); err != nil {
			t.Skip("xdotool is not installed")
		}
		if window == "" {
			t.Skip("no window")
		}
		// matchbox's own defaults: close (Alt+F4, Alt+C), switch (Alt+Tab,
		// Alt+N, Alt+P), desktop (Alt+D), menus (Alt+M, Alt+Space), a
		// terminal (Ctrl+Alt+X, Ctrl+Alt+R). (Not Alt+Escape: the stand-in
		// xlogo itself quits on Escape.)
		s.x(t, "xdotool", "key", "alt+F4", "alt+c", "alt+Tab", "alt+n", "alt+p", "alt+d", "alt+m",
			"alt+space", "ctrl+alt+x", "ctrl+alt+r")
		time.Sleep(time.Second)
		if !f.running(3) || len(f.starts()) != 3 {
			t.Fatalf("a window manager shortcut ended the kiosk: starts %q", f.starts())
		}
		if clients := s.clients(t); len(clients) != 1 || clients[0] != window {
			t.Errorf("windows after the shortcuts: %q, want only %s", clients, window)
		}
		for _, p := range descendants(s.cmd.Process.Pid) {
			if !sessionProcesses[p.comm] {
				t.Errorf("after the shortcuts the session runs %q (pid %d)", p.comm, p.pid)
			}
		}
	})

	// Staff quit: exit code 0.
	f.quit(0)
	s.wait(t, 20*time.Second)
	if n := len(f.starts()); n != 3 {
		t.Errorf("%d starts, want 3: a staff quit is not restarted", n)
	}
	if got := s.stopped(); got != "staff" {
		t.Errorf("marker %q after staff quit, want staff; log:\n%s", got, s.logText(t))
	}
	log := s.logText(t)
	for _, want := range []string{"exit code 2;", "exit code 1;", "quit cleanly", "session ends (staff)"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	// xinit ends the X server with the session.
	if _, err := os.Stat("/tmp/.X11-unix/X" + strings.TrimPrefix(s.display, ":")); err == nil {
		if waitFor(5*time.Second, func() bool {
			_, err := os.Stat("/tmp/.X11-unix/X" + strings.TrimPrefix(s.display, ":"))
			return err != nil
		}) == false {
			t.Errorf("the X server's socket is still there after the session ended")
		}
	}

	// And tty1's getty then shows a login prompt instead of the kiosk.
	agetty := fakeCommand(t, t.TempDir(), "agetty")
	cmd := exec.Command(script(t, "balie-getty"), "tty1", "linux")
	cmd.Env = append(baseEnv(t, s.home), "BALIE_AGETTY="+agetty, "BALIE_KIOSK_RUNDIR="+s.rundir)
	if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "Ctrl+Alt+Q") {
		t.Errorf("balie-getty after the session: %v\n%s", err, out)
	}
	if args := argsOf(t, agetty); strings.Contains(strings.Join(args, " "), "--autologin") {
		t.Errorf("after staff quit tty1 logs the kiosk user in again: agetty %q", args)
	}
}

// A crash loop ends the session too, and says so to tty1.
func TestXSessionCrashLoop(t *testing.T) {
	needX(t)
	f := newFakeBalie(t, "exit 2")
	s := startXSession(t, append(f.env(), "BALIE_RESTART_DELAY=0", "BALIE_START_BURST=3"))
	s.wait(t, 30*time.Second)
	if n := len(f.starts()); n != 3 {
		t.Errorf("%d starts, want BALIE_START_BURST=3", n)
	}
	if got := s.stopped(); got != "crash-loop" {
		t.Errorf("marker %q after a crash loop, want crash-loop; log:\n%s", got, s.logText(t))
	}
}

// When the X server dies the session ends without a marker: the getty
// logs the kiosk user in again and the kiosk comes back.
func TestXSessionXServerDies(t *testing.T) {
	needX(t)
	f := newFakeBalie(t, "wait")
	s := startXSession(t, f.env())
	if !waitFor(30*time.Second, func() bool { return f.running(1) || s.exited() }) || !f.running(1) {
		t.Fatalf("the stand-in never started; log:\n%s\nxinit:\n%s", s.logText(t), s.out)
	}
	var server int
	for _, p := range descendants(s.cmd.Process.Pid) {
		if p.comm == "Xvfb" {
			server = p.pid
		}
	}
	if server == 0 {
		t.Fatal("no Xvfb in the session")
	}
	// SIGTERM: Xvfb then removes its lock file and socket, which a
	// SIGKILL would leave behind in /tmp.
	if err := syscall.Kill(server, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	s.wait(t, 20*time.Second)
	if got := s.stopped(); got != "" {
		t.Errorf("marker %q after the X server died, want none: the kiosk must come back", got)
	}
	var pid int
	fmt.Sscanf(strings.SplitN(f.starts()[0], " pid=", 2)[1], "%d", &pid)
	if pid == 0 || !waitFor(5*time.Second, func() bool { return !alive(pid) }) {
		t.Errorf("the stand-in (pid %d) still runs after its X server died", pid)
	}
}

// A video call's window goes full screen over the kiosk, and when it
// closes the kiosk has the screen and the keyboard again: what the
// session's window manager is for. Chromium is started as balie starts it
// for a call (--kiosk, a throw-away profile). Skipped with -short, as the
// other browser tests are.
func TestXSessionCallWindow(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium; skipped with -short")
	}
	needX(t, "matchbox-window-manager", "xprop", "xwininfo", "xlogo")
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not installed")
	}
	f := newFakeBalie(t, "window")
	s := startXSession(t, f.env())
	var kiosk string
	if !waitFor(30*time.Second, func() bool {
		if c := s.clients(t); len(c) == 1 {
			kiosk = c[0]
		}
		return kiosk != "" || s.exited()
	}) || kiosk == "" {
		t.Fatalf("no stand-in kiosk window; log:\n%s", s.logText(t))
	}
	active := func() string {
		out, _ := s.xQuiet(t, "xprop", "-root", "_NET_ACTIVE_WINDOW")
		return regexp.MustCompile(`0x[0-9a-f]+`).FindString(out)
	}

	args := []string{"--user-data-dir=" + t.TempDir(), "--incognito", "--kiosk", "--no-first-run",
		"--disable-gpu", "--disable-dev-shm-usage", "about:blank"}
	if os.Geteuid() == 0 {
		args = append(args, "--no-sandbox") // as root Chromium refuses its sandbox; the kiosk user is no root
	}
	call := exec.Command(chromium, args...)
	call.Env = []string{"PATH=" + os.Getenv("PATH"), "DISPLAY=" + s.display, "HOME=" + s.home}
	c := start(t, call)
	var window string
	if !waitFor(60*time.Second, func() bool {
		if a := active(); a != "" && a != kiosk {
			window = a
		}
		return window != "" || c.exited()
	}) || window == "" {
		t.Fatalf("the call window never came to the front; chromium:\n%s", c.out)
	}
	if class, _ := s.xQuiet(t, "xprop", "-id", window, "WM_CLASS"); !strings.Contains(class, "Chromium") {
		t.Errorf("the front window is not the call's: %s", class)
	}
	if !waitFor(10*time.Second, func() bool {
		info, _ := s.xQuiet(t, "xwininfo", "-id", window)
		return strings.Contains(info, "Width: 1280") && strings.Contains(info, "Height: 720")
	}) {
		info, _ := s.xQuiet(t, "xwininfo", "-id", window)
		t.Errorf("the call window is not full screen:\n%s", info)
	}

	// The call ends: its window closes and the kiosk is in front again.
	syscall.Kill(-call.Process.Pid, syscall.SIGTERM)
	c.wait(t, 20*time.Second)
	if !waitFor(10*time.Second, func() bool { return active() == kiosk }) {
		t.Errorf("after the call the front window is %s, not the kiosk's %s", active(), kiosk)
	}
	f.quit(0)
	s.wait(t, 20*time.Second)
}
