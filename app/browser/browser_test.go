package browser

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// missing is a browser that is not installed.
var missing = []Program{{Name: filepath.Join("no", "such", "browser"), Family: Chromium}}

func TestOpenRefusesWhatIsNotAWebLink(t *testing.T) {
	l := &Launcher{Programs: missing}
	for _, link := range []string{"javascript:alert('room-7')", "file:///etc/room-7", "not a link room-7", "https:///room-7", ""} {
		c, err := l.Open(link, "fr")
		if err == nil || c != nil {
			t.Errorf("Open(%q) = %v, %v; want an error", link, c, err)
			continue
		}
		if strings.Contains(err.Error(), "room-7") {
			t.Errorf("Open(%q) error %q repeats the link", link, err)
		}
	}
}

func TestOpenRefusesWhatIsNotALanguage(t *testing.T) {
	l := &Launcher{Programs: missing}
	for _, lang := range []string{`fr"); user_pref("x`, "not a language", "-"} {
		if _, err := l.Open("https://video.example/room-1", lang); err == nil || errors.Is(err, ErrNoBrowser) {
			t.Errorf("Open with language %q: %v, want it refused", lang, err)
		}
	}
}

func TestOpenWithoutABrowser(t *testing.T) {
	const link = "https://video.example/room-Jansens-4711?pwd=secret"

	t.Run("no fallback", func(t *testing.T) {
		c, err := (&Launcher{Programs: missing}).Open(link, "fr")
		if c != nil || !errors.Is(err, ErrNoBrowser) {
			t.Fatalf("Open = %v, %v; want ErrNoBrowser", c, err)
		}
	})

	t.Run("fallback opens it", func(t *testing.T) {
		var got *url.URL
		l := &Launcher{Programs: missing, Fallback: func(u *url.URL) error { got = u; return nil }}
		c, err := l.Open(link, "fr")
		// The desktop's browser can be neither watched nor wiped: the
		// kiosk must still be told, to offer the phone.
		if c != nil || !errors.Is(err, ErrNoBrowser) {
			t.Fatalf("Open = %v, %v; want ErrNoBrowser", c, err)
		}
		if got == nil || got.String() != link {
			t.Fatalf("fallback got %v, want the link", got)
		}
		if strings.Contains(err.Error(), "Jansens") {
			t.Fatalf("error %q names the room", err)
		}
	})

	t.Run("fallback fails", func(t *testing.T) {
		errXdg := errors.New("xdg-open failed")
		l := &Launcher{Programs: missing, Fallback: func(u *url.URL) error {
			return fmt.Errorf("opening %s: %w (path %s, query %s)", u, errXdg, u.Path, u.RawQuery)
		}}
		c, err := l.Open(link, "fr")
		if c != nil || !errors.Is(err, ErrNoBrowser) || !errors.Is(err, errXdg) {
			t.Fatalf("Open = %v, %v; want ErrNoBrowser and the fallback's error", c, err)
		}
		for _, secret := range []string{"Jansens", "secret"} {
			if strings.Contains(err.Error(), secret) {
				t.Fatalf("error %q repeats the link", err)
			}
		}
	})
}

func TestGettextLanguage(t *testing.T) {
	for lang, want := range map[string]string{"fr": "fr", "ar": "ar", "fa-AF": "fa_AF:fa", "zh-Hant": "zh_Hant:zh"} {
		if got := gettextLanguage(lang); got != want {
			t.Errorf("gettextLanguage(%q) = %q, want %q", lang, got, want)
		}
	}
}

// What a kiosk cut off by a power failure left behind is gone at the next
// start; other folders stay.
func TestRemoveLeftovers(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	left := filepath.Join(tmp, "balie-call-123", "profile")
	other := filepath.Join(tmp, "someone-else")
	for _, d := range []string{left, other} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if err := RemoveLeftovers(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(tmp, "balie-call-123")); !os.IsNotExist(err) {
		t.Fatalf("left-over call folder: %v", err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Fatalf("another folder was removed: %v", err)
	}
}

// A browser of no known family has no flags to place its profile: Open
// runs it only on a command from ParseCommand, and leaves nothing behind.
func TestOpenRefusesABrowserWithoutArguments(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	t.Setenv("TMP", tmp)
	t.Setenv("TEMP", tmp)
	l := &Launcher{Programs: []Program{{Name: os.Args[0], Family: Other}}}
	c, err := l.Open("https://video.example/room-1", "fr")
	if c != nil || !errors.Is(err, ErrNoBrowser) || !strings.Contains(err.Error(), "ParseCommand") {
		t.Fatalf("Open = %v, %v; want ErrNoBrowser and why", c, err)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) > 0 {
		t.Errorf("left behind: %v", entries)
	}
}
