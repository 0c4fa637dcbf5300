package browser

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestRealBrowser opens a local page in the installed browser, full screen
// in BALIE_LANG (default fr). It runs only with BALIE_REAL_BROWSER=1, on a
// display, as a user Chromium runs as (as root it checks the early exit
// instead), and needs a window manager for full screen:
//
//	BALIE_REAL_BROWSER=1 BALIE_SCREENSHOT=/tmp/call.png xvfb-run -a -s "-screen 0 1280x720x24" \
//	  sh -c 'openbox & sleep 1; ./browser.test -test.run TestRealBrowser -test.v'
//
// BALIE_SCREENSHOT names a PNG that ImageMagick's import takes of the
// screen; BALIE_THEN=close makes the page close itself after 8 s instead
// of raising an alert; BALIE_FIREFOX=firefox-esr tries that Firefox alone.
func TestRealBrowser(t *testing.T) {
	if os.Getenv("BALIE_REAL_BROWSER") == "" {
		t.Skip("set BALIE_REAL_BROWSER=1 to open the installed browser")
	}
	lang := cmp.Or(os.Getenv("BALIE_LANG"), "fr")
	then := cmp.Or(os.Getenv("BALIE_THEN"), "alert")
	reports := make(chan string, 10)
	accept := make(chan string, 10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/report":
			reports <- r.URL.RawQuery
		case "/room-Jansens-4711":
			accept <- r.Header.Get("Accept-Language")
			fmt.Fprint(w, page)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)

	l := &Launcher{Log: slog.New(slog.NewTextHandler(testWriter{t}, nil))}
	firefox := os.Getenv("BALIE_FIREFOX")
	if firefox != "" {
		l.Programs = []Program{{Name: firefox, Family: Firefox}}
	}
	c, err := l.Open(srv.URL+"/room-Jansens-4711?then="+then, lang)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if os.Geteuid() == 0 && firefox == "" {
		select {
		case <-c.Ended():
		case <-time.After(20 * time.Second):
			c.Close()
			t.Fatal("as root the browser ran (was it started with --no-sandbox?)")
		}
		t.Logf("as root, after %s: Err() = %v", time.Since(start).Round(time.Millisecond), c.Err())
		if !errors.Is(c.Err(), ErrExitedEarly) {
			t.Errorf("as root: Err() = %v, want ErrExitedEarly", c.Err())
		}
		assertEmpty(t, tmp)
		return
	}
	defer c.Close()

	select {
	case a := <-accept:
		t.Logf("Accept-Language: %s", a)
		if !strings.HasPrefix(a, lang) {
			t.Errorf("Accept-Language %q, want %s first", a, lang)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the browser did not load the page")
	}
	select {
	case r := <-reports:
		t.Logf("page saw: %s", r)
		q := strings.NewReplacer("&", " ").Replace(r)
		var w, h, sw, sh int
		fmt.Sscanf(q, "w=%d h=%d sw=%d sh=%d", &w, &h, &sw, &sh)
		if w != sw || h != sh {
			t.Errorf("window %dx%d on a %dx%d screen: not full screen (is a window manager running?)", w, h, sw, sh)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the page did not report")
	}
	if then == "close" {
		select {
		case <-c.Ended():
			t.Logf("the page closed its window after %s: Err() = %v", time.Since(start).Round(time.Millisecond), c.Err())
			if c.Err() != nil {
				t.Errorf("Err() = %v after the page closed itself", c.Err())
			}
		case <-time.After(30 * time.Second):
			t.Error("the call did not end when the page closed its window")
		}
	} else {
		time.Sleep(2 * time.Second)
	}
	if shot := os.Getenv("BALIE_SCREENSHOT"); shot != "" {
		if out, err := exec.Command("import", "-window", "root", shot).CombinedOutput(); err != nil {
			t.Errorf("screenshot: %v %s", err, out)
		}
	}
	c.Close()
	if c.Err() != nil {
		t.Errorf("Err() = %v after Close", c.Err())
	}
	assertEmpty(t, tmp)
}
