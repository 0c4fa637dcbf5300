package browser

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeBrowser puts a "chromium" on PATH that writes its arguments to a file
// and waits to be killed, like a browser with a call open.
func fakeBrowser(t *testing.T) (argsFile string) {
	t.Helper()
	dir := t.TempDir()
	argsFile = filepath.Join(dir, "args")
	script := "#!/bin/sh\nprintf '%s\\n' \"$@\" > " + argsFile + "\nexec /bin/sleep 60\n"
	if err := os.WriteFile(filepath.Join(dir, "chromium"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	return argsFile
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for range 200 {
		if ok() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

func TestOpenUsesAThrowAwayProfileWipedOnClose(t *testing.T) {
	argsFile := fakeBrowser(t)
	l := &Launcher{}
	link := "https://video.example/room-1"
	if err := l.Open(link); err != nil {
		t.Fatal(err)
	}
	var args []string
	waitFor(t, "the browser to start", func() bool {
		data, err := os.ReadFile(argsFile)
		args = strings.Fields(string(data))
		return err == nil && len(args) > 0
	})
	if args[len(args)-1] != link {
		t.Fatalf("browser got %v, want the link last", args)
	}
	profile, ok := strings.CutPrefix(args[0], "--user-data-dir=")
	if !ok {
		t.Fatalf("no throw-away profile in %v", args)
	}
	if _, err := os.Stat(profile); err != nil {
		t.Fatalf("profile missing while the call runs: %v", err)
	}

	l.CloseAll()
	waitFor(t, "the profile to be wiped", func() bool {
		_, err := os.Stat(profile)
		return os.IsNotExist(err)
	})
}

func TestOpenRefusesWhatIsNotAWebLink(t *testing.T) {
	fakeBrowser(t)
	l := &Launcher{}
	for _, link := range []string{"javascript:alert(1)", "file:///etc/passwd", "not a link"} {
		if err := l.Open(link); err == nil {
			t.Errorf("Open(%q) opened", link)
		}
	}
}

func TestOpenFallsBackWithoutAKnownBrowser(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	var got *url.URL
	l := &Launcher{Fallback: func(u *url.URL) error { got = u; return nil }}
	if err := l.Open("https://video.example/room-2"); err != nil {
		t.Fatal(err)
	}
	if got == nil || got.String() != "https://video.example/room-2" {
		t.Fatalf("fallback got %v", got)
	}
	if err := (&Launcher{}).Open("https://video.example/room-3"); err == nil {
		t.Fatal("no browser and no fallback, yet no error")
	}
}
