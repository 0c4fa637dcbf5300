// Package browser opens a video call in a private browser session that is
// wiped when it ends: a fresh profile directory per call, deleted when the
// browser exits or the kiosk session is wiped. It imports no Fyne.
package browser

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"sync"
)

// candidates are the browsers tried, in order, with how each takes a
// throw-away profile.
var candidates = []struct {
	name string
	args func(profile, link string) []string
}{
	{"chromium", chromiumArgs},
	{"chromium-browser", chromiumArgs},
	{"google-chrome", chromiumArgs},
	{"firefox-esr", firefoxArgs},
	{"firefox", firefoxArgs},
}

func chromiumArgs(profile, link string) []string {
	return []string{"--user-data-dir=" + profile, "--no-first-run", "--no-default-browser-check",
		"--incognito", "--start-maximized", "--new-window", link}
}

func firefoxArgs(profile, link string) []string {
	return []string{"-profile", profile, "-no-remote", "-new-instance", "-private-window", link}
}

// Launcher starts and tracks browser sessions.
type Launcher struct {
	// Fallback opens a link when no known browser is installed (the
	// desktop's default browser, without the wipe guarantee).
	Fallback func(*url.URL) error
	Log      *slog.Logger

	mu      sync.Mutex
	running map[*exec.Cmd]string // process → its profile directory
}

// Open opens link in a new private browser session.
func (l *Launcher) Open(link string) error {
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("not a web link: %q", link)
	}
	for _, c := range candidates {
		path, err := exec.LookPath(c.name)
		if err != nil {
			continue
		}
		profile, err := os.MkdirTemp("", "balie-call-")
		if err != nil {
			return err
		}
		cmd := exec.Command(path, c.args(profile, link)...)
		if err := cmd.Start(); err != nil {
			os.RemoveAll(profile)
			continue
		}
		l.track(cmd, profile)
		return nil
	}
	if l.Fallback != nil {
		return l.Fallback(u)
	}
	return errors.New("no browser found")
}

func (l *Launcher) track(cmd *exec.Cmd, profile string) {
	l.mu.Lock()
	if l.running == nil {
		l.running = map[*exec.Cmd]string{}
	}
	l.running[cmd] = profile
	l.mu.Unlock()
	go func() {
		cmd.Wait()
		l.mu.Lock()
		delete(l.running, cmd)
		l.mu.Unlock()
		if err := os.RemoveAll(profile); err != nil && l.Log != nil {
			l.Log.Error("wipe browser profile failed", "err", err)
		}
	}()
}

// CloseAll ends every browser session this launcher started; their profiles
// are removed as they exit.
func (l *Launcher) CloseAll() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for cmd := range l.running {
		cmd.Process.Kill()
	}
}
