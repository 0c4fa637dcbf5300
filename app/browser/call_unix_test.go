//go:build unix

package browser

import (
	"bufio"
	"bytes"
	"errors"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// link names a room, as the real ones do: it must appear in no error and no
// log line.
const link = "https://video.example/room-Jansens-4711"

// record is what a fake browser wrote about how it was started.
type record struct {
	args     []string
	language string
	tmpdir   string
	userJS   []string
	pid      int // the browser
	helper   int // the process it left writing into its profile
	profile  string
}

// fakes readies the fake browsers of testdata: copied, executable, into a
// directory of their own, with profiles in a temporary directory of the test
// (whose removal fails the test if a helper still writes there). It returns
// the Programs for the one named and a function that waits for the record of
// the nth start.
func fakes(t *testing.T, name string, family Family) ([]Program, func(n int) record) {
	t.Helper()
	bin := t.TempDir()
	for _, f := range []string{"fake-browser", "fake-browser-quits", "fake-browser-dies", "fake-browser-lib.sh"} {
		data, err := os.ReadFile(filepath.Join("testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(bin, f), data, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	logs := t.TempDir()
	t.Setenv("FAKE_BROWSER_LOG", filepath.Join(logs, "started"))
	t.Setenv("TMPDIR", t.TempDir())
	t.Setenv("LANGUAGE", "nl_BE:nl")
	read := func(n int) record {
		t.Helper()
		var data []byte
		waitFor(t, "the fake browser to start", func() bool {
			var err error
			data, err = os.ReadFile(filepath.Join(logs, "started."+strconv.Itoa(n)))
			return err == nil
		})
		var r record
		sc := bufio.NewScanner(bytes.NewReader(data))
		for sc.Scan() {
			key, value, _ := strings.Cut(sc.Text(), " ")
			switch key {
			case "arg":
				r.args = append(r.args, value)
			case "env":
				switch k, v, _ := strings.Cut(value, "="); k {
				case "LANGUAGE":
					r.language = v
				case "TMPDIR":
					r.tmpdir = v
				}
			case "user.js":
				r.userJS = append(r.userJS, value)
			case "pid":
				r.pid, _ = strconv.Atoi(value)
			case "helper":
				r.helper, _ = strconv.Atoi(value)
			}
		}
		for i, a := range r.args {
			if p, ok := strings.CutPrefix(a, "--user-data-dir="); ok {
				r.profile = p
			}
			if a == "-profile" && i+1 < len(r.args) {
				r.profile = r.args[i+1]
			}
		}
		if r.profile == "" || r.pid == 0 || r.helper == 0 {
			t.Fatalf("fake browser record incomplete: %q", data)
		}
		return r
	}
	return []Program{{Name: filepath.Join(bin, name), Family: family}}, read
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func waitEnded(t *testing.T, c *Call) {
	t.Helper()
	select {
	case <-c.Ended():
	case <-time.After(10 * time.Second):
		t.Fatal("the call did not end")
	}
}

func isEnded(c *Call) bool {
	select {
	case <-c.Ended():
		return true
	default:
		return false
	}
}

// alive reports whether a process runs; a zombie (this container's init
// may leave the orphans unreaped) does not.
func alive(pid int) bool {
	if stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat"); err == nil {
		// pid (comm) S ...: the state follows the last parenthesis.
		i := bytes.LastIndexByte(stat, ')')
		return i < 0 || i+2 >= len(stat) || stat[i+2] != 'Z'
	}
	return syscall.Kill(pid, 0) == nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return !errors.Is(err, os.ErrNotExist)
}

// assertWiped checks that the profile is gone, stays gone (nothing alive
// writes there any more) and that the browser and its helper are dead.
func assertWiped(t *testing.T, r record) {
	t.Helper()
	call := filepath.Dir(r.profile)
	if exists(call) {
		t.Fatalf("%s still there after the call ended", call)
	}
	time.Sleep(200 * time.Millisecond) // the helper writes every 20 ms
	if exists(r.profile) {
		t.Fatal("profile came back: its helper still runs")
	}
	for _, pid := range []int{r.pid, r.helper} {
		if alive(pid) {
			t.Errorf("process %d still runs after the call ended", pid)
		}
	}
}

// logBuffer collects log lines written from any goroutine.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func TestOpenChromiumFullScreenInTheVisitorsLanguage(t *testing.T) {
	for _, tc := range []struct{ lang, want, language string }{
		{"fr", "fr", "fr"},
		{"ar", "ar", "ar"},
		{"fa-AF", "fa-AF", "fa_AF:fa"},
		{"FA-af", "fa-AF", "fa_AF:fa"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			programs, started := fakes(t, "fake-browser", Chromium)
			l := &Launcher{Programs: programs}
			c, err := l.Open(link, tc.lang)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			r := started(1)
			for _, want := range []string{"--kiosk", "--incognito", "--no-first-run", "--no-default-browser-check",
				"--lang=" + tc.want, "--accept-lang=" + tc.want} {
				if !slices.Contains(r.args, want) {
					t.Errorf("args %q lack %s", r.args, want)
				}
			}
			if r.args[len(r.args)-1] != link {
				t.Errorf("args %q, want the link last", r.args)
			}
			if r.language != tc.language {
				t.Errorf("LANGUAGE=%q, want %q", r.language, tc.language)
			}
			// The profile and the browser's own temporary directory share a
			// fresh directory, wiped whole.
			call := filepath.Dir(r.profile)
			if filepath.Dir(call) != os.Getenv("TMPDIR") || !strings.HasPrefix(filepath.Base(call), "balie-call-") ||
				filepath.Dir(r.tmpdir) != call || r.tmpdir == r.profile {
				t.Errorf("profile %s and TMPDIR %s are not in a fresh temporary directory of their own", r.profile, r.tmpdir)
			}
			if !exists(r.profile) {
				t.Error("profile missing while the call runs")
			}
		})
	}
}

func TestOpenWithoutALanguageKeepsTheBrowsersOwn(t *testing.T) {
	programs, started := fakes(t, "fake-browser", Chromium)
	c, err := (&Launcher{Programs: programs}).Open(link, "")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := started(1)
	for _, a := range r.args {
		if strings.HasPrefix(a, "--lang") || strings.HasPrefix(a, "--accept-lang") {
			t.Errorf("language flag %s without a language", a)
		}
	}
	if r.language != "nl_BE:nl" {
		t.Errorf("LANGUAGE=%q, want the environment's", r.language)
	}
}

func TestOpenFirefoxWritesTheLanguageIntoItsProfile(t *testing.T) {
	programs, started := fakes(t, "fake-browser", Firefox)
	c, err := (&Launcher{Programs: programs}).Open(link, "fa-AF")
	if err != nil {
		t.Fatal(err)
	}
	r := started(1)
	i := slices.Index(r.args, "-profile")
	if i < 0 || r.args[i+1] != r.profile || !slices.Contains(r.args, "-kiosk") || r.args[len(r.args)-1] != link {
		t.Errorf("args %q, want -profile DIR, -kiosk and the link last", r.args)
	}
	for _, want := range []string{`user_pref("intl.locale.requested", "fa-AF");`, `user_pref("intl.accept_languages", "fa-AF");`} {
		if !slices.Contains(r.userJS, want) {
			t.Errorf("user.js %q lacks %s", r.userJS, want)
		}
	}
	if r.language != "fa_AF:fa" {
		t.Errorf("LANGUAGE=%q, want fa_AF:fa", r.language)
	}
	c.Close()
	assertWiped(t, r)
}

func TestCallEnds(t *testing.T) {
	for _, tc := range []struct {
		name      string
		browser   string
		quitAfter string
		earlyExit time.Duration
		early     bool
		status    string
	}{
		{name: "the visitor closes the window", browser: "fake-browser-quits", quitAfter: "0.5", earlyExit: 200 * time.Millisecond},
		{name: "the browser refuses to run", browser: "fake-browser-dies", early: true, status: "exit status 1"},
		{name: "the browser hands over at once", browser: "fake-browser-quits", quitAfter: "0", early: true, status: "exit status 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			programs, started := fakes(t, tc.browser, Chromium)
			t.Setenv("FAKE_BROWSER_QUIT_AFTER", tc.quitAfter)
			var logs logBuffer
			l := &Launcher{Programs: programs, EarlyExit: tc.earlyExit, Log: logs.logger()}
			c, err := l.Open(link, "fr")
			if err != nil {
				t.Fatal(err)
			}
			if tc.quitAfter == "0.5" && (isEnded(c) || c.Err() != nil) {
				t.Fatal("the call ended before the browser did")
			}
			waitEnded(t, c)
			err = c.Err()
			if got := errors.Is(err, ErrExitedEarly); got != tc.early {
				t.Fatalf("Err() = %v, want early exit %v", err, tc.early)
			}
			if tc.early && !strings.Contains(err.Error(), tc.status) {
				t.Errorf("Err() = %q, want the exit status %q in it", err, tc.status)
			}
			var exit *exec.ExitError
			if tc.status == "exit status 1" && (!errors.As(err, &exit) || exit.ExitCode() != 1) {
				t.Errorf("Err() = %v, want the *exec.ExitError with code 1 in it", err)
			}
			if err != nil && strings.Contains(err.Error(), "Jansens") {
				t.Errorf("Err() = %q names the room", err)
			}
			if strings.Contains(logs.String(), "Jansens") {
				t.Errorf("the log names the room:\n%s", logs.String())
			}
			if tc.browser != "fake-browser-dies" {
				// It left a helper writing into the profile when it exited:
				// that helper is killed too and the profile is gone.
				assertWiped(t, started(1))
			}
			c.Close() // after Ended: returns at once, changes nothing
			if !errors.Is(c.Err(), err) {
				t.Errorf("Err() changed after Close: %v", c.Err())
			}
			if entries, _ := os.ReadDir(os.Getenv("TMPDIR")); len(entries) > 0 {
				t.Errorf("left behind in the temporary directory: %v", entries)
			}
		})
	}
}

func TestCloseKillsTheBrowserAndItsHelpersAndWipesTheProfile(t *testing.T) {
	programs, started := fakes(t, "fake-browser", Chromium)
	var logs logBuffer
	l := &Launcher{Programs: programs, Log: logs.logger()}
	c, err := l.Open(link, "fr")
	if err != nil {
		t.Fatal(err)
	}
	r := started(1)
	waitFor(t, "the helper to write into the profile", func() bool {
		entries, _ := os.ReadDir(filepath.Join(r.profile, "Default"))
		return len(entries) > 2
	})

	// Close well within EarlyExit: the kiosk ending a call is no failure.
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(c.Close)
	}
	wg.Wait()
	if !isEnded(c) {
		t.Fatal("Close returned before the call ended")
	}
	if err := c.Err(); err != nil {
		t.Errorf("Err() = %v after Close, want nil", err)
	}
	assertWiped(t, r)
	if strings.Contains(logs.String(), "Jansens") || strings.Contains(logs.String(), "wipe browser profile failed") {
		t.Errorf("log:\n%s", logs.String())
	}
}

func TestCloseAllEndsEveryCallAndWaitsForTheWipe(t *testing.T) {
	programs, started := fakes(t, "fake-browser", Chromium)
	l := &Launcher{Programs: programs}
	var calls []*Call
	for range 3 {
		c, err := l.Open(link, "ar")
		if err != nil {
			t.Fatal(err)
		}
		calls = append(calls, c)
	}
	var records []record
	for n := range len(calls) {
		records = append(records, started(n+1))
	}
	// One call ended earlier by the kiosk: CloseAll leaves it be.
	calls[0].Close()

	l.CloseAll()
	for i, c := range calls {
		if !isEnded(c) {
			t.Fatalf("call %d still open after CloseAll", i)
		}
		if c.Err() != nil {
			t.Errorf("call %d: Err() = %v", i, c.Err())
		}
	}
	for _, r := range records {
		assertWiped(t, r)
	}
	l.mu.Lock()
	n := len(l.calls)
	l.mu.Unlock()
	if n != 0 {
		t.Errorf("launcher still tracks %d calls", n)
	}
	l.CloseAll() // nothing left: returns at once
}

func TestOpenTriesTheNextBrowser(t *testing.T) {
	programs, started := fakes(t, "fake-browser", Firefox)
	l := &Launcher{Programs: append(slices.Clone(missing), programs...)}
	c, err := l.Open(link, "fr")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if r := started(1); !slices.Contains(r.args, "-kiosk") {
		t.Errorf("args %q", r.args)
	}
}

// A city's command runs as given, placeholders filled in, on a fresh
// profile that is gone when the call ends.
func TestOpenACitysCommand(t *testing.T) {
	programs, started := fakes(t, "fake-browser", Other)
	p, err := ParseCommand([]string{programs[0].Name, "--kiosk", "--app={link}", "--user-data-dir={profile}", "--lang={lang}"})
	if err != nil {
		t.Fatal(err)
	}
	var logs logBuffer
	c, err := (&Launcher{Programs: []Program{p}, Log: logs.logger()}).Open(link, "fa-AF")
	if err != nil {
		t.Fatal(err)
	}
	r := started(1)
	if want := []string{"--kiosk", "--app=" + link, "--user-data-dir=" + r.profile, "--lang=fa-AF"}; !slices.Equal(r.args, want) {
		t.Errorf("args %q, want %q", r.args, want)
	}
	call := filepath.Dir(r.profile)
	if filepath.Dir(call) != os.Getenv("TMPDIR") || !strings.HasPrefix(filepath.Base(call), "balie-call-") || !exists(r.profile) {
		t.Errorf("profile %s is not a fresh one of the call's", r.profile)
	}
	if r.language != "fa_AF:fa" || filepath.Dir(r.tmpdir) != call {
		t.Errorf("LANGUAGE=%q TMPDIR=%q", r.language, r.tmpdir)
	}
	c.Close()
	assertWiped(t, r)
	if strings.Contains(logs.String(), "Jansens") {
		t.Errorf("the log names the room:\n%s", logs.String())
	}
}

// A helper that left the browser's process group, as Chromium's crash
// handler does, is killed too, whether the kiosk ends the call or the
// browser exits.
func TestCallEndKillsHelpersThatLeftTheGroup(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("strays are found in /proc")
	}
	for _, browser := range []string{"fake-browser", "fake-browser-quits"} {
		t.Run(browser, func(t *testing.T) {
			programs, started := fakes(t, browser, Chromium)
			t.Setenv("FAKE_BROWSER_STRAY", "1")
			c, err := (&Launcher{Programs: programs, EarlyExit: time.Millisecond}).Open(link, "fr")
			if err != nil {
				t.Fatal(err)
			}
			r := started(1)
			// It writes once it runs, after setsid.
			waitFor(t, "the helper to write", func() bool { return exists(filepath.Join(r.profile, "Default", "Cache-0")) })
			if g, err := syscall.Getpgid(r.helper); err == nil && g == r.pid {
				t.Fatal("the helper is still in the browser's group")
			}
			if browser == "fake-browser" {
				c.Close()
			}
			waitEnded(t, c)
			if c.Err() != nil {
				t.Errorf("Err() = %v", c.Err())
			}
			assertWiped(t, r)
		})
	}
}
