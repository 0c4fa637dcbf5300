// Package browser opens a video call in a private, full-screen browser
// window that is wiped when it ends: a fresh profile directory per call,
// deleted once the browser and every process it started are gone. The kiosk
// learns from a Call when the window has closed and whether the browser
// failed at once, so it can offer the phone instead.
//
// # Which browser
//
// Launcher.Programs lists the browsers tried, in order. Nil means the
// platform's own: on Windows Microsoft Edge (InPrivate, full-screen kiosk),
// then Google Chrome; elsewhere chromium, chromium-browser, google-chrome,
// firefox-esr, firefox.
//
// A city may give its own command instead, as a list of strings that
// ParseCommand turns into a Program:
//
//	["msedge", "--inprivate", "--kiosk", "{link}", "--edge-kiosk-type=fullscreen",
//	 "--no-first-run", "--user-data-dir={profile}", "--lang={lang}"]
//
// The first string is the program: a name looked up on PATH (on Windows
// msedge, chrome and firefox are also found where their installers put
// them) or a path. The others are its arguments, in place of the ones this
// package would give, with these placeholders filled in at each call:
//
//   - {link}: the call's link. Required.
//   - {profile}: the call's profile directory, made fresh for the call and
//     deleted when it ends. Required, except for Chromium, Chrome, Edge and
//     Firefox (recognised by the program's file name), to which ParseCommand
//     adds the flag that sets it (--user-data-dir={profile}, or
//     -profile {profile} -no-remote -new-instance) when it is missing.
//   - {lang}: the visitor's language as a BCP 47 tag ("fr", "fa-AF"). An
//     argument holding it is left out when the language is unknown.
//
// Whatever the command, the browser's temporary files (TMPDIR, TMP, TEMP)
// and Chromium's crash reports (BREAKPAD_DUMP_LOCATION) go into the call's
// directory too, LANGUAGE names the visitor's language, and the whole
// directory is deleted when the call ends.
//
// It imports no Fyne and no HTTP; the link it opens carries a room name, so
// it never appears in an error or a log line.
package browser

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/language"
)

// ErrNoBrowser means no browser this package can watch and wipe could be
// started.
var ErrNoBrowser = errors.New("no browser found")

// ErrExitedEarly means the browser exited within Launcher.EarlyExit of
// starting: it refused to run (Chromium as root without --no-sandbox) or
// crashed at once. The visitor never saw the call.
var ErrExitedEarly = errors.New("the browser exited right after it started")

// errNotWebLink refuses anything but an http(s) link; it does not repeat the
// link, which may carry a room name.
var errNotWebLink = errors.New("not a web link")

// DefaultEarlyExit is Launcher.EarlyExit when it is zero.
const DefaultEarlyExit = 5 * time.Second

// wipeFor is how long the profile's removal is retried: a process that was
// just killed may still finish a write into it.
const wipeFor = 2 * time.Second

// Launcher starts calls and keeps track of them until they have ended.
// Its zero value is ready to use; set the fields before the first Open.
type Launcher struct {
	// Programs are the browsers tried, in order: their Family's flags, or
	// a city's command from ParseCommand. Nil means the platform's
	// browsers (see the package documentation).
	Programs []Program
	// EarlyExit is how soon after starting an exit counts as a failure to
	// start (ErrExitedEarly); zero means DefaultEarlyExit.
	EarlyExit time.Duration
	// Fallback opens a link when none of Programs can be started, for
	// example in the desktop's default browser. That window is neither
	// watched nor wiped, so Open still fails with ErrNoBrowser.
	Fallback func(*url.URL) error
	// Log receives one line per call started and ended, and wipe failures;
	// never the link. Nil logs nothing.
	Log *slog.Logger

	mu    sync.Mutex
	calls map[*Call]struct{}
}

// Open opens link in a new private, full-screen browser window, without
// address bar or tabs, in the visitor's language lang (a BCP 47 tag such as
// "fr", "ar" or "fa-AF"; empty leaves the browser's default). The window
// has a profile of its own, deleted when the call ends.
//
// When no browser in Programs can be started, Open returns an error for
// which errors.Is(err, ErrNoBrowser) holds, after handing the link to
// Fallback if it is set: the window Fallback opens cannot be watched or
// wiped, so the kiosk should offer the phone as well. A failing Fallback's
// error is joined to it.
func (l *Launcher) Open(link, lang string) (*Call, error) {
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, errNotWebLink
	}
	if lang != "" {
		tag, err := language.Parse(lang)
		if err != nil {
			return nil, fmt.Errorf("browser: not a language tag: %q", lang)
		}
		lang = tag.String()
	}
	var failed []error
	for _, p := range l.programs() {
		path, err := lookPath(p.Name)
		if err != nil {
			continue
		}
		c, err := l.start(p, path, link, lang)
		if err != nil {
			l.log().Warn("browser did not start", "browser", p.Name, "err", err)
			failed = append(failed, err)
			continue
		}
		return c, nil
	}
	noBrowser := errors.Join(append([]error{ErrNoBrowser}, failed...)...)
	if l.Fallback == nil {
		return nil, noBrowser
	}
	if err := l.Fallback(u); err != nil {
		return nil, errors.Join(noBrowser, redact(err, link, u))
	}
	return nil, fmt.Errorf("%w; the link went to the desktop's default browser, which is neither watched nor wiped", noBrowser)
}

// start starts one browser on a fresh profile and watches it.
//
// Each call has a directory of its own holding the profile; the browser's
// temporary directory (TMPDIR), where Chromium keeps files a killed browser
// leaves behind, such as shared memory in place of /dev/shm; and its crash
// reports, which may hold some of the page.
func (l *Launcher) start(p Program, path, link, lang string) (*Call, error) {
	template := p.template()
	if template == nil {
		return nil, fmt.Errorf("browser: no arguments for %s: make it with ParseCommand", p.Name)
	}
	dir, err := os.MkdirTemp("", callDirPattern)
	if err != nil {
		return nil, err
	}
	c := &Call{
		program:   p.Name,
		family:    p.Family,
		dir:       dir,
		earlyExit: cmp.Or(l.EarlyExit, DefaultEarlyExit),
		log:       l.log(),
		ended:     make(chan struct{}),
	}
	profile, tmp, crash := filepath.Join(dir, "profile"), filepath.Join(dir, "tmp"), filepath.Join(dir, "crash")
	if err := c.prepare(profile, tmp, crash, lang); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	cmd := exec.Command(path, expand(template, profile, link, lang)...)
	// TMPDIR on Unix, TMP and TEMP on Windows. Chromium on Linux writes
	// its crash reports under the home directory, whatever the profile,
	// unless BREAKPAD_DUMP_LOCATION says otherwise; Firefox's reporter is
	// turned off.
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp, "TMP="+tmp, "TEMP="+tmp,
		"BREAKPAD_DUMP_LOCATION="+crash, "MOZ_CRASHREPORTER_DISABLE=1")
	if lang != "" {
		// Chromium on Linux takes its UI language from LANGUAGE, not --lang;
		// GTK's dialogs in either browser do too.
		cmd.Env = append(cmd.Env, "LANGUAGE="+gettextLanguage(lang))
	}
	// Stdout and stderr stay /dev/null: a browser's log may name the link.
	isolate(cmd)
	if err := cmd.Start(); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	c.cmd, c.started = cmd, time.Now()
	l.mu.Lock()
	if l.calls == nil {
		l.calls = map[*Call]struct{}{}
	}
	l.calls[c] = struct{}{}
	l.mu.Unlock()
	c.log.Info("browser started", "browser", p.Name, "pid", cmd.Process.Pid, "lang", lang)
	go c.watch(l.forget)
	return c, nil
}

func (l *Launcher) forget(c *Call) {
	l.mu.Lock()
	delete(l.calls, c)
	l.mu.Unlock()
}

// CloseAll ends every call this launcher started and returns once their
// browsers have exited and their profiles are gone. The kiosk calls it on
// every wipe.
func (l *Launcher) CloseAll() {
	l.mu.Lock()
	calls := make([]*Call, 0, len(l.calls))
	for c := range l.calls {
		calls = append(calls, c)
	}
	l.mu.Unlock()
	var wg sync.WaitGroup
	for _, c := range calls {
		wg.Go(c.Close)
	}
	wg.Wait()
}

func (l *Launcher) programs() []Program {
	if l.Programs != nil {
		return l.Programs
	}
	return defaultPrograms(runtime.GOOS)
}

func (l *Launcher) log() *slog.Logger {
	if l.Log != nil {
		return l.Log
	}
	return slog.New(slog.DiscardHandler)
}

// Call is one open call window.
type Call struct {
	program   string
	family    Family
	dir       string // the profile and the browser's TMPDIR
	started   time.Time
	earlyExit time.Duration
	log       *slog.Logger
	cmd       *exec.Cmd

	mu     sync.Mutex
	reaped bool // the browser's pid, and so its group id, may name another process now
	closed bool // Close was called: the end is the kiosk's, not a failure

	ended chan struct{}
	err   error // written before ended is closed
}

// Ended is closed once the browser has exited and its profile is deleted.
func (c *Call) Ended() <-chan struct{} { return c.ended }

// Err reports, after Ended, why the call ended: nil for a normal end,
// including one by Close; ErrExitedEarly, wrapped with the browser's exit
// status, when the browser exited within Launcher.EarlyExit of starting.
// Before Ended it returns nil.
func (c *Call) Err() error {
	select {
	case <-c.ended:
		return c.err
	default:
		return nil
	}
}

// Close ends the call: it kills the browser and every process it started,
// waits for the browser to exit and for its profile to be deleted. It is
// safe to call more than once, concurrently and after Ended.
func (c *Call) Close() {
	c.mu.Lock()
	c.closed = true
	if !c.reaped {
		killGroup(c.cmd.Process)
	}
	c.mu.Unlock()
	<-c.ended
}

// watch waits for the browser to exit, kills what it left behind, wipes the
// profile and ends the call.
func (c *Call) watch(forget func(*Call)) {
	p := c.cmd.Process
	var waitErr error
	if waitExited(p) {
		// The browser has exited but is not reaped, so its pid still
		// names its process group: kill the helpers still in it (they
		// may be writing into the profile), then reap.
		c.mu.Lock()
		killGroup(p)
		waitErr = c.cmd.Wait()
		c.reaped = true
		c.mu.Unlock()
	} else {
		waitErr = c.cmd.Wait()
		c.mu.Lock()
		// Where the exit cannot be seen before reaping, kill the group
		// straight after: its id is reused only once the group is empty.
		killGroup(p)
		c.reaped = true
		c.mu.Unlock()
	}
	ran := time.Since(c.started)
	// Chromium's crash handlers leave the group, yet write into the call's
	// directory.
	killStrays(filepath.Join(c.dir, "tmp"))

	if err := wipe(c.dir); err != nil {
		c.log.Error("wipe browser profile failed", "browser", c.program, "err", err)
	}

	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	// The exit status ("exit status 1", "signal: killed") is all that
	// waitErr says; as an *exec.ExitError it stays reachable by errors.As.
	status := waitErr
	if status == nil {
		status = errors.New("exit status 0")
	}
	switch {
	case !closed && ran < c.earlyExit:
		c.err = fmt.Errorf("%w: %s, %w after %s%s", ErrExitedEarly, c.program, status, ran.Round(time.Millisecond), c.hint())
		c.log.Warn("browser exited right after it started", "browser", c.program, "status", status, "after", ran.Round(time.Millisecond))
	default:
		c.log.Info("browser ended", "browser", c.program, "status", status, "after", ran.Round(time.Second), "closed", closed)
	}
	forget(c)
	close(c.ended)
}

// hint says why a browser may have refused to start, for the operator.
func (c *Call) hint() string {
	if (c.family == Chromium || c.family == Edge) && os.Geteuid() == 0 {
		return " (running as root, which Chromium refuses without --no-sandbox)"
	}
	return ""
}

// wipe removes a call's directory, retrying for a while: a helper process killed a
// moment ago may still complete a write into it.
func wipe(dir string) error {
	deadline := time.Now().Add(wipeFor)
	for {
		err := os.RemoveAll(dir)
		if err == nil || time.Now().After(deadline) {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// prepare makes the call's directories, and for Firefox the profile's
// preferences.
func (c *Call) prepare(profile, tmp, crash, lang string) error {
	for _, d := range []string{profile, tmp, crash} {
		if err := os.Mkdir(d, 0o700); err != nil {
			return err
		}
	}
	if c.family == Firefox {
		return writeFirefoxPrefs(profile, lang)
	}
	return nil
}

// writeFirefoxPrefs writes the profile's user.js: the UI and page language
// (Firefox takes neither as a flag) and no first-run pages or notices.
// The UI language needs its language pack (firefox-esr-l10n-*) installed.
func writeFirefoxPrefs(profile, lang string) error {
	prefs := []string{
		`user_pref("browser.shell.checkDefaultBrowser", false);`,
		`user_pref("browser.startup.homepage_override.mstone", "ignore");`,
		`user_pref("browser.aboutwelcome.enabled", false);`,
		`user_pref("datareporting.policy.dataSubmissionPolicyBypassNotification", true);`,
		`user_pref("toolkit.telemetry.reportingpolicy.firstRun", false);`,
	}
	if lang != "" {
		// lang is a parsed BCP 47 tag: letters, digits and hyphens only.
		prefs = append(prefs,
			`user_pref("intl.locale.requested", "`+lang+`");`,
			`user_pref("intl.accept_languages", "`+lang+`");`)
	}
	return os.WriteFile(filepath.Join(profile, "user.js"), []byte(strings.Join(prefs, "\n")+"\n"), 0o600)
}

// gettextLanguage turns a BCP 47 tag into a LANGUAGE list: "fa-AF" becomes
// "fa_AF:fa", so a program without the regional variant takes the base.
func gettextLanguage(lang string) string {
	v := strings.ReplaceAll(lang, "-", "_")
	if base, _, ok := strings.Cut(lang, "-"); ok {
		v += ":" + base
	}
	return v
}

// redact keeps the link out of an error from elsewhere (Fallback) that may
// quote it, while errors.Is and errors.As still see the original.
func redact(err error, link string, u *url.URL) error {
	msg := err.Error()
	for _, s := range []string{link, u.String(), u.RequestURI(), u.Path, u.RawQuery} {
		if len(s) > 1 {
			msg = strings.ReplaceAll(msg, s, "<link>")
		}
	}
	return &redacted{msg: msg, err: err}
}

type redacted struct {
	msg string
	err error
}

func (r *redacted) Error() string { return r.msg }
func (r *redacted) Unwrap() error { return r.err }

// callDirPattern names the folder of one call: its profile and temporary
// files.
const callDirPattern = "balie-call-"

// RemoveLeftovers deletes the call folders a kiosk that was cut off (a
// power cut, a kill) could not wipe. Run it at start, before any call.
func RemoveLeftovers() error {
	dirs, err := filepath.Glob(filepath.Join(os.TempDir(), callDirPattern+"*"))
	if err != nil {
		return err
	}
	var errs []error
	for _, d := range dirs {
		errs = append(errs, os.RemoveAll(d))
	}
	return errors.Join(errs...)
}
