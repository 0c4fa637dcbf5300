package kiosksession_test

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// asUnprivileged returns the command that runs the installer so that it
// cannot touch this machine's system even by mistake: as nobody when the
// test runs as root, else as the test's own (unprivileged) user. The
// installer is only ever run with DESTDIR here, or, as nobody, without
// one to see it refuse.
func asUnprivileged(t *testing.T, dirs ...string) (prefix []string, uid int) {
	t.Helper()
	if os.Geteuid() != 0 {
		return nil, os.Geteuid()
	}
	setpriv, err := exec.LookPath("setpriv")
	if err != nil {
		t.Skip("running as root without setpriv: the installer is not run here")
	}
	u, err := user.Lookup("nobody")
	if err != nil {
		t.Skip("running as root without a user nobody: the installer is not run here")
	}
	id, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	for _, d := range dirs {
		if err := os.Chown(d, id, gid); err != nil {
			t.Fatal(err)
		}
	}
	return []string{setpriv, "--reuid=" + u.Uid, "--regid=" + u.Gid, "--clear-groups"}, id
}

type installRun struct {
	out  string
	code int
}

func runInstaller(t *testing.T, destdir string, args ...string) installRun {
	t.Helper()
	prefix, _ := asUnprivileged(t)
	argv := append(append(prefix, "sh", script(t, "install-kiosk-session.sh")), args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=/nonexistent", "DESTDIR=" + destdir}
	out, err := cmd.CombinedOutput()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("installer: %v\n%s", err, out)
		}
		code = ee.ExitCode()
	}
	return installRun{string(out), code}
}

// tree lists every file under root with its mode and a hash of its
// contents.
func tree(t *testing.T, root string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		m["/"+rel] = fmt.Sprintf("%o %x", info.Mode().Perm(), sha256.Sum256(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func keys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

var (
	x11Files = map[string]struct {
		src  string
		mode fs.FileMode
	}{
		libDir + "/balie-run":                                       {"balie-run", 0o755},
		libDir + "/balie-session":                                   {"balie-session", 0o755},
		libDir + "/balie-getty":                                     {"balie-getty", 0o755},
		libDir + "/matchbox-kbdconfig":                              {"matchbox-kbdconfig", 0o644},
		"/home/" + kioskUser + "/.profile":                          {"kiosk-profile", 0o644},
		"/etc/systemd/system/getty@tty1.service.d/balie-kiosk.conf": {"getty-autologin.conf", 0o644},
		"/etc/tmpfiles.d/balie-kiosk.conf":                          {"balie-kiosk-tmpfiles.conf", 0o644},
		"/etc/X11/xorg.conf.d/50-balie-kiosk.conf":                  {"50-balie-kiosk.conf", 0o644},
	}
	cageFiles = map[string]struct {
		src  string
		mode fs.FileMode
	}{
		libDir + "/balie-run":                    {"balie-run", 0o755},
		"/etc/systemd/system/balie-cage.service": {"balie-cage.service", 0o644},
		"/etc/pam.d/balie-cage":                  {"balie-cage.pam", 0o644},
	}
)

// The installer puts every file where the others look for it, changes
// nothing when run again, keeps the kiosk's configuration, and switching
// between the X11 session and cage leaves only one of them.
func TestInstallIntoDestdir(t *testing.T) {
	needLinux(t)
	base := sharedTempDir(t)
	root := filepath.Join(base, "root")
	if err := os.Mkdir(root, 0o755); err != nil {
		t.Fatal(err)
	}
	asUnprivileged(t, root)

	check := func(t *testing.T, files map[string]struct {
		src  string
		mode fs.FileMode
	}) map[string]string {
		t.Helper()
		got := tree(t, root)
		want := []string{"/etc/balie/kiosk.toml"}
		for p, f := range files {
			want = append(want, p)
			info, err := os.Stat(filepath.Join(root, p))
			if err != nil {
				t.Errorf("%s is missing", p)
				continue
			}
			if info.Mode().Perm() != f.mode {
				t.Errorf("%s has mode %o, want %o", p, info.Mode().Perm(), f.mode)
			}
			if readFile(t, filepath.Join(root, p)) != readFile(t, f.src) {
				t.Errorf("%s is not %s", p, f.src)
			}
		}
		sort.Strings(want)
		if !equal(keys(got), want) {
			t.Errorf("installed files:\n%s\nwant:\n%s", strings.Join(keys(got), "\n"), strings.Join(want, "\n"))
		}
		info, err := os.Stat(filepath.Join(root, "etc/balie/kiosk.toml"))
		if err == nil && info.Mode().Perm() != 0o600 {
			t.Errorf("kiosk.toml has mode %o, want 0600: it holds the device token", info.Mode().Perm())
		}
		return got
	}

	first := runInstaller(t, root)
	if first.code != 0 {
		t.Fatalf("installer: exit code %d\n%s", first.code, first.out)
	}
	before := check(t, x11Files)

	// The files name one another by their installed paths.
	for _, ref := range []struct{ file, path string }{
		{"/etc/systemd/system/getty@tty1.service.d/balie-kiosk.conf", libDir + "/balie-getty"},
		{"/home/" + kioskUser + "/.profile", libDir + "/balie-session"},
	} {
		if !strings.Contains(readFile(t, filepath.Join(root, ref.file)), ref.path) {
			t.Errorf("%s does not name %s", ref.file, ref.path)
		}
	}

	again := runInstaller(t, root, "--x11")
	if again.code != 0 || strings.Contains(again.out, "installed /") || strings.Contains(again.out, "created") {
		t.Errorf("second run (exit code %d) changed something:\n%s", again.code, again.out)
	}
	if after := tree(t, root); !equalMaps(before, after) {
		t.Errorf("second run changed the tree")
	}

	// Staff mode's settings survive a reinstall and a switch.
	toml := filepath.Join(root, "etc/balie/kiosk.toml")
	settings := "gateway = \"https://balie-gateway.example.be\"\n"
	if err := os.WriteFile(toml, []byte(settings), 0o600); err != nil {
		t.Fatal(err)
	}

	cage := runInstaller(t, root, "--cage")
	if cage.code != 0 {
		t.Fatalf("--cage: exit code %d\n%s", cage.code, cage.out)
	}
	check(t, cageFiles)
	if !strings.Contains(readFile(t, filepath.Join(root, "/etc/systemd/system/balie-cage.service")), libDir+"/balie-run") {
		t.Errorf("balie-cage.service does not run %s/balie-run", libDir)
	}

	back := runInstaller(t, root, "--x11")
	if back.code != 0 {
		t.Fatalf("--x11: exit code %d\n%s", back.code, back.out)
	}
	check(t, x11Files)
	if got := readFile(t, toml); got != settings {
		t.Errorf("kiosk.toml was replaced: %q", got)
	}
}

// The installer refuses what would install on this machine by mistake.
func TestInstallRefuses(t *testing.T) {
	needLinux(t)
	for _, c := range []struct {
		destdir string
		args    []string
		says    string
	}{
		{"relative/dir", nil, "DESTDIR must be an absolute path"},
		{"/", nil, "leave DESTDIR empty"},
		{"/tmp/x", []string{"--desktop"}, "usage"},
	} {
		r := runInstaller(t, c.destdir, c.args...)
		if r.code == 0 || !strings.Contains(r.out, c.says) {
			t.Errorf("DESTDIR=%q %q: exit code %d, %q; want a refusal saying %q", c.destdir, c.args, r.code, r.out, c.says)
		}
	}
	// Without DESTDIR it installs on the system, so only root may: run
	// as an unprivileged user it must stop before anything else.
	r := runInstaller(t, "")
	if r.code == 0 || !strings.Contains(r.out, "run as root") {
		t.Errorf("without DESTDIR, unprivileged: exit code %d, %q; want a refusal", r.code, r.out)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
