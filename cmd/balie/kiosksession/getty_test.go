package kiosksession_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// fakeCommand writes a stand-in program that writes its arguments, one a
// line, to name.args next to it, and returns its path.
func fakeCommand(t *testing.T, dir, name string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	body := "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done >\"$0.args\"\n"
	if err := os.WriteFile(p, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func argsOf(t *testing.T, fake string) []string {
	t.Helper()
	b, err := os.ReadFile(fake + ".args")
	if err != nil {
		t.Fatalf("%s did not run: %v", filepath.Base(fake), err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// runGetty runs balie-getty as getty@tty1 would, with a stand-in agetty,
// and returns agetty's arguments and what balie-getty printed.
func runGetty(t *testing.T, stopped string) ([]string, string) {
	t.Helper()
	dir := t.TempDir()
	rundir := filepath.Join(dir, "run")
	if err := os.Mkdir(rundir, 0o755); err != nil {
		t.Fatal(err)
	}
	if stopped != "" {
		if err := os.WriteFile(filepath.Join(rundir, "stopped"), []byte(stopped+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	agetty := fakeCommand(t, dir, "agetty")
	cmd := exec.Command(script(t, "balie-getty"), "tty1", "linux")
	cmd.Env = append(baseEnv(t, dir), "BALIE_AGETTY="+agetty, "BALIE_KIOSK_RUNDIR="+rundir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("balie-getty: %v\n%s", err, out)
	}
	return argsOf(t, agetty), string(out)
}

// Normally tty1 logs the kiosk user in by itself, as Debian's getty@ does
// with --autologin.
func TestGettyLogsKioskUserIn(t *testing.T) {
	needLinux(t)
	args, out := runGetty(t, "")
	want := []string{"-o", `-p -f -- \u`, "--noclear", "--autologin", kioskUser, "tty1", "linux"}
	if !reflect.DeepEqual(args, want) {
		t.Errorf("agetty %q, want %q", args, want)
	}
	if out != "" {
		t.Errorf("balie-getty printed %q before logging in", out)
	}
}

// After staff quit or a crash loop, tty1 shows the usual login prompt
// (Debian's own agetty arguments) and says why.
func TestGettyAfterTheKioskStopped(t *testing.T) {
	needLinux(t)
	for stopped, says := range map[string]string{
		"staff":      "Staff left the kiosk with Ctrl+Alt+Q.",
		"crash-loop": "The kiosk crashed 10 times within 5 minutes",
		"other":      "The kiosk was stopped.",
	} {
		args, out := runGetty(t, stopped)
		want := []string{"-o", `-p -- \u`, "--noclear", "tty1", "linux"}
		if !reflect.DeepEqual(args, want) {
			t.Errorf("%s: agetty %q, want %q", stopped, args, want)
		}
		if !strings.Contains(out, says) || !strings.Contains(out, "restart the PC") {
			t.Errorf("%s: balie-getty printed %q", stopped, out)
		}
	}
	// Debian's getty@.service runs the same agetty arguments for the login prompt.
	if b, err := os.ReadFile("/lib/systemd/system/getty@.service"); err == nil {
		if !strings.Contains(string(b), `ExecStart=-/sbin/agetty -o '-p -- \\u' --noclear`) {
			t.Logf("this system's getty@.service runs agetty differently:\n%s", b)
		}
	}
}

// The drop-in makes balie-getty tty1's getty, with the same arguments as
// Debian's getty@.service, and the files agree on where things are.
func TestGettyDropIn(t *testing.T) {
	u := parseUnit(t, "getty-autologin.conf")
	starts := u["Service"]["ExecStart"]
	want := []string{"", "-" + libDir + "/balie-getty %I $TERM"}
	if !reflect.DeepEqual(starts, want) {
		t.Errorf("ExecStart lines %q, want %q (an empty one resets Debian's)", starts, want)
	}
	getty := readFile(t, "balie-getty")
	session := readFile(t, "balie-session")
	for _, s := range []string{getty, session} {
		if !strings.Contains(s, "${BALIE_KIOSK_RUNDIR:-"+runDir+"}") {
			t.Errorf("a script does not keep its marker in %s", runDir)
		}
	}
	if !strings.Contains(getty, "KIOSK_USER="+kioskUser+"\n") {
		t.Errorf("balie-getty does not log %s in", kioskUser)
	}
	tmpfiles := readFile(t, "balie-kiosk-tmpfiles.conf")
	if !strings.Contains(tmpfiles, "\nd "+runDir+" 0755 "+kioskUser+" "+kioskUser+" -\n") {
		t.Errorf("balie-kiosk-tmpfiles.conf does not make %s the kiosk user's:\n%s", runDir, tmpfiles)
	}
	// What balie-session writes is what balie-getty reads.
	for _, why := range []string{"staff", "crash-loop"} {
		if !strings.Contains(session, ") why="+why+" ;;") || !strings.Contains(getty, why+"*)") {
			t.Errorf("balie-session and balie-getty disagree about %q", why)
		}
	}
}

// The kiosk user's .profile starts X with balie-session on tty1, and
// nothing anywhere else.
func TestProfileStartsTheSession(t *testing.T) {
	needLinux(t)
	for _, c := range []struct {
		tty, display string
		startx       bool
	}{
		{"/dev/tty1", "", true},
		{"/dev/tty2", "", false},
		{"/dev/pts/0", "", false},
		{"/dev/tty1", ":0", false},
	} {
		dir := t.TempDir()
		bin := filepath.Join(dir, "bin")
		os.Mkdir(bin, 0o755)
		startx := fakeCommand(t, bin, "startx")
		if err := os.WriteFile(filepath.Join(bin, "tty"), []byte("#!/bin/sh\necho "+c.tty+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("sh", "-c", ". "+script(t, "kiosk-profile")+"; echo profile-done")
		cmd.Env = []string{"PATH=" + bin + ":/usr/bin:/bin", "HOME=" + dir, "DISPLAY=" + c.display}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		_, err = os.Stat(startx + ".args")
		ran := err == nil
		if ran != c.startx {
			t.Errorf("tty %s, DISPLAY=%q: startx ran: %v, want %v", c.tty, c.display, ran, c.startx)
		}
		if ran {
			if args := argsOf(t, startx); !reflect.DeepEqual(args, []string{libDir + "/balie-session"}) {
				t.Errorf("startx %q, want the session %s/balie-session", args, libDir)
			}
			if strings.Contains(string(out), "profile-done") {
				t.Errorf("the profile went on after startx: it must exec it, so the login ends with the session")
			}
		}
	}
}
