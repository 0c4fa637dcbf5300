package supervise_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// The unit starts balie in the kiosk user's graphical session, restarts it
// soon after any end but a clean quit, and gives up on a crash loop.
func TestUnitFile(t *testing.T) {
	u := loadUnit(t)
	const session = "graphical-session.target"

	// The display: started with the graphical session, after it is up,
	// stopped with it. default.target would start it with the user's
	// manager, before (or without) a display.
	for _, k := range []struct{ section, key string }{
		{"Unit", "After"}, {"Unit", "PartOf"}, {"Install", "WantedBy"},
	} {
		if !slices.Contains(u.Words(k.section, k.key), session) {
			t.Errorf("[%s] %s= does not name %s: %q", k.section, k.key, session, u.Words(k.section, k.key))
		}
	}
	if ws := u.Words("Install", "WantedBy"); slices.Contains(ws, "default.target") || slices.Contains(ws, "multi-user.target") {
		t.Errorf("WantedBy=%q starts the kiosk without a display", ws)
	}
	if _, ok := u.Get("Service", "User"); ok {
		t.Error("User= has no place in a user unit: it runs as the user whose session it is")
	}

	start, _ := u.Get("Service", "ExecStart")
	if f := strings.Fields(start); len(f) == 0 || f[0] != "/usr/bin/balie" {
		t.Errorf("ExecStart=%q, want /usr/bin/balie", start)
	}
	if typ, _ := u.Get("Service", "Type"); typ != "exec" && typ != "simple" {
		t.Errorf("Type=%q: balie is one process that stays in front (exec or simple)", typ)
	}

	// Restarting.
	if r, _ := u.Get("Service", "Restart"); r != "always" {
		t.Errorf("Restart=%q, want always", r)
	}
	l := unitLimits(t, u)
	if l.delay <= 0 || l.delay > 5*time.Second {
		t.Errorf("RestartSec=%v: a visitor waits for it; want more than 0 and at most 5s", l.delay)
	}
	// Only exit code 0, staff quitting, keeps it down: never a crash's.
	if prevent := u.Words("Service", "RestartPreventExitStatus"); !slices.Equal(prevent, []string{"0"}) {
		t.Errorf("RestartPreventExitStatus=%q, want 0 alone (Ctrl+Alt+Q stays down; 1, 2 and signals restart)", prevent)
	}
	if v, ok := u.Get("Service", "SuccessExitStatus"); ok {
		t.Errorf("SuccessExitStatus=%s would make a crash look clean", v)
	}
	// The start limit: in [Unit] (systemd ignores it in [Service] under
	// this name); loose enough for a crash now and then, and reachable by
	// a crash loop: burst starts take (burst-1)×RestartSec at least.
	for _, k := range []string{"StartLimitIntervalSec", "StartLimitBurst"} {
		if _, ok := u.Get("Service", k); ok {
			t.Errorf("%s= belongs in [Unit]", k)
		}
	}
	if l.burst < 3 {
		t.Errorf("StartLimitBurst=%d: a kiosk that crashes now and then must come back more often", l.burst)
	}
	if time.Duration(l.burst-1)*l.delay >= l.interval {
		t.Errorf("StartLimitBurst=%d with RestartSec=%v never reaches the limit within %v: a crash loop spins forever", l.burst, l.delay, l.interval)
	}
	if l.interval > 15*time.Minute {
		t.Errorf("StartLimitIntervalSec=%v: crashes that far apart are not a loop", l.interval)
	}

	// Logs: to the journal, as balie, with no secrets and no core dumps.
	for _, k := range []string{"StandardOutput", "StandardError"} {
		if v, ok := u.Get("Service", k); ok && v != "journal" && v != "inherit" {
			t.Errorf("%s=%s: the log belongs in the journal", k, v)
		}
	}
	if v, _ := u.Get("Service", "SyslogIdentifier"); v != "balie" {
		t.Errorf("SyslogIdentifier=%q: journalctl -t balie and the README expect balie", v)
	}
	if v, _ := u.Get("Service", "LimitCORE"); v != "0" {
		t.Errorf("LimitCORE=%q: a core dump would hold what the visitor typed", v)
	}
	for _, env := range u.Words("Service", "Environment") {
		name, value, _ := strings.Cut(env, "=")
		switch {
		case name == "BALIE_DEVICE_TOKEN":
			t.Error("the device token is a secret: not in a unit file every user can read")
		case name == "GOTRACEBACK" && value != "single" && value != "all":
			t.Errorf("GOTRACEBACK=%s, want single (or all): crash would ask for a core dump", value)
		}
	}
}

// systemd itself reads the unit without a complaint, when it is installed:
// systemd-analyze verify --user checks every key and value and the units
// named.
func TestUnitVerifies(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed (Debian package systemd): the unit is checked by TestUnitFile only")
	}
	src, err := os.ReadFile("balie.service")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	unit := string(src)
	// verify also checks that ExecStart's program exists; on a machine
	// without balie installed, a program that does stands in for it.
	if _, err := os.Stat("/usr/bin/balie"); err != nil {
		unit = regexp.MustCompile(`(?m)^ExecStart=/usr/bin/balie\b`).ReplaceAllLiteralString(unit, "ExecStart=/bin/true")
		t.Log("/usr/bin/balie is not installed: verifying with ExecStart=/bin/true")
	}
	path := filepath.Join(dir, "balie.service")
	if err := os.WriteFile(path, []byte(unit), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(analyze, "verify", "--user", path)
	// --user needs a runtime folder, which a test machine without a login
	// session lacks.
	runtime := os.Getenv("XDG_RUNTIME_DIR")
	if runtime == "" {
		runtime = filepath.Join(dir, "runtime")
		if err := os.Mkdir(runtime, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	cmd.Env = append(os.Environ(), "XDG_RUNTIME_DIR="+runtime, "SYSTEMD_PAGER=", "SYSTEMD_COLORS=0")
	out, err := cmd.CombinedOutput()
	// An unknown key or a bad value is only a warning, with exit code 0.
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("systemd-analyze verify --user balie.service: %v\n%s", err, out)
	}
}
