package kiosksession_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The cage unit: cage on tty1 as the kiosk user in a login session of its
// own, with balie-run inside, no switching to a text console, a login
// prompt when it ends, and only cage's own crashes restarted.
func TestCageUnit(t *testing.T) {
	u := parseUnit(t, "balie-cage.service")
	for _, c := range []struct{ section, key, want string }{
		{"Service", "ExecStart", "/usr/bin/cage -d -- " + libDir + "/balie-run"},
		{"Service", "User", kioskUser},
		{"Service", "PAMName", "balie-cage"},
		{"Service", "TTYPath", "/dev/tty1"},
		{"Service", "StandardInput", "tty-fail"},
		{"Service", "Restart", "on-abnormal"},
		{"Service", "LimitCORE", "0"},
		{"Unit", "Conflicts", "getty@tty1.service"},
		{"Unit", "OnSuccess", "getty@tty1.service"},
		{"Unit", "OnFailure", "getty@tty1.service"},
		{"Install", "WantedBy", "multi-user.target"},
	} {
		if got := u.Value(c.section, c.key); got != c.want {
			t.Errorf("[%s] %s=%q, want %q", c.section, c.key, got, c.want)
		}
	}
	// -s would let Ctrl+Alt+F1…F12 leave the kiosk for a text console.
	for _, f := range strings.Fields(u.Value("Service", "ExecStart")) {
		if f == "-s" {
			t.Error("cage runs with -s: visitors could switch to a text console")
		}
	}
	// The installer puts the PAM file where PAMName= looks for it.
	if !strings.Contains(readFile(t, "install-kiosk-session.sh"), "put balie-cage.pam 0644 /etc/pam.d/"+u.Value("Service", "PAMName")+"\n") {
		t.Errorf("install-kiosk-session.sh does not install /etc/pam.d/%s", u.Value("Service", "PAMName"))
	}
	pam := readFile(t, "balie-cage.pam")
	for _, want := range []string{"@include common-session", "@include common-account", "auth     required pam_unix.so\n"} {
		if !strings.Contains(pam, want) {
			t.Errorf("balie-cage.pam lacks %q", want)
		}
	}
	if strings.Contains(pam, "pam_permit") {
		t.Error("balie-cage.pam lets anyone through its auth stack")
	}

	// systemd's own check, where systemd is installed: no unknown keys.
	// A missing cage is only a missing package here.
	if _, err := exec.LookPath("systemd-analyze"); err != nil {
		t.Log("systemd-analyze is not installed: the unit's keys are not checked by systemd")
		return
	}
	out, _ := exec.Command("systemd-analyze", "verify", script(t, "balie-cage.service")).CombinedOutput()
	for _, l := range lines(string(out)) {
		if _, err := exec.LookPath("cage"); err != nil && strings.Contains(l, "/usr/bin/cage is not executable") {
			continue
		}
		t.Errorf("systemd-analyze verify: %s", l)
	}
}

// cage runs headless here (wlroots' headless backend, no screen, no
// input devices), with balie-run inside as the unit starts it: a crashing
// balie comes back inside the same cage, it runs on cage's Wayland display
// (and Xwayland's), nothing else runs, and staff's quit ends cage. What
// cannot be run here is the unit itself: a PAM login session on a real
// tty1 with a seat, DRM and input devices.
func TestCageSession(t *testing.T) {
	needLinux(t)
	for _, c := range []string{"cage", "Xwayland"} {
		if _, err := exec.LookPath(c); err != nil {
			t.Skipf("%s is not installed (apt-get install cage xwayland): the cage session is not run here", c)
		}
	}
	f := newFakeBalie(t, "exit 2", "exit 1", "wait")
	runtimeDir := filepath.Join(f.dir, "runtime")
	if err := os.Mkdir(runtimeDir, 0o700); err != nil {
		t.Fatal(err)
	}
	// cage refuses to run as root: as nobody, when the test is root.
	prefix, _ := asUnprivileged(t, runtimeDir)

	// The unit's command line, with balie-run from here.
	argv := strings.Fields(parseUnit(t, "balie-cage.service").Value("Service", "ExecStart"))
	cage, _ := exec.LookPath("cage")
	if argv[0] != cage {
		t.Logf("cage is %s here, the unit runs %s", cage, argv[0])
		argv[0] = cage
	}
	if argv[len(argv)-1] != libDir+"/balie-run" {
		t.Fatalf("the unit does not run %s/balie-run", libDir)
	}
	argv[len(argv)-1] = script(t, "balie-run")
	argv = append(prefix, argv...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append([]string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + f.dir,
		"XDG_RUNTIME_DIR=" + runtimeDir,
		"WLR_BACKENDS=headless",
		"WLR_LIBINPUT_NO_DEVICES=1",
		"WLR_RENDERER=pixman",
		"BALIE_SESSION_LOG=" + filepath.Join(f.dir, "session.log"),
		"BALIE_RESTART_DELAY=1",
	}, f.env()...)
	s := start(t, cmd)

	if !waitFor(30*time.Second, func() bool { return f.running(3) || s.exited() }) || !f.running(3) {
		log, _ := os.ReadFile(filepath.Join(f.dir, "session.log"))
		t.Fatalf("the stand-in balie was not started a third time inside cage: starts %q\nlog:\n%s\ncage:\n%s", f.starts(), log, s.out)
	}
	for i, l := range f.starts() {
		if !strings.Contains(l, "wayland=wayland-") {
			t.Errorf("start %d not on cage's Wayland display: %s", i+1, l)
		}
		if !strings.Contains(l, "display=:") {
			t.Errorf("start %d without Xwayland's DISPLAY (balie's X11 driver, the call's browser): %s", i+1, l)
		}
	}
	allowed := map[string]bool{"cage": true, "Xwayland": true, "balie-run": true, "balie": true,
		"sleep": true, "cat": true, "sed": true, "tail": true, "wc": true, "date": true, "rm": true}
	var names []string
	for _, p := range descendants(s.cmd.Process.Pid) {
		names = append(names, p.comm)
		if !allowed[p.comm] {
			t.Errorf("the cage session runs %q (pid %d)", p.comm, p.pid)
		}
	}
	t.Logf("below cage: %s", strings.Join(names, ", "))

	f.quit(0)
	if code := s.wait(t, 20*time.Second); code != 0 {
		t.Errorf("cage exit code %d after staff quit, want 0 (the unit then starts the getty)", code)
	}
	if n := len(f.starts()); n != 3 {
		t.Errorf("%d starts, want 3", n)
	}
	log := readFile(t, filepath.Join(f.dir, "session.log"))
	if !strings.Contains(log, "quit cleanly") {
		t.Errorf("log:\n%s", log)
	}
}
