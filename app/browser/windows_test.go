//go:build windows

package browser

import (
	"cmp"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Edge is not on PATH on Windows: Open finds it where its installer put it.
func TestLookPathFindsEdgeWhereItsInstallerPutIt(t *testing.T) {
	dir := t.TempDir()
	edge := filepath.Join(dir, "Microsoft", "Edge", "Application", "msedge.exe")
	if err := os.MkdirAll(filepath.Dir(edge), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(edge, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", t.TempDir())
	t.Setenv("ProgramFiles(x86)", dir)
	t.Setenv("ProgramFiles", t.TempDir())
	got, err := lookPath("msedge")
	if err != nil || !strings.EqualFold(got, edge) {
		t.Errorf("lookPath(msedge) = %q, %v; want %q", got, err, edge)
	}
	if p := defaultPrograms(runtime.GOOS)[0]; p.Name != "msedge" || p.Family != Edge {
		t.Errorf("first browser tried is %+v, want Edge", p)
	}
}

// TestRealEdge opens a local page in the installed Edge, InPrivate and full
// screen, then closes it and checks its profile is gone. It runs only with
// BALIE_REAL_BROWSER=1, at a desktop:
//
//	set BALIE_REAL_BROWSER=1 && go test -run TestRealEdge -v ./app/browser/
func TestRealEdge(t *testing.T) {
	if os.Getenv("BALIE_REAL_BROWSER") == "" {
		t.Skip("set BALIE_REAL_BROWSER=1 to open the installed Edge")
	}
	lang := cmp.Or(os.Getenv("BALIE_LANG"), "fr")
	reports := make(chan string, 10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/report":
			reports <- r.URL.RawQuery
		case "/room-Jansens-4711":
			fmt.Fprint(w, page)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	tmp := t.TempDir()
	t.Setenv("TMP", tmp)
	t.Setenv("TEMP", tmp)

	l := &Launcher{Programs: defaultPrograms("windows")[:1], Log: slog.New(slog.NewTextHandler(testWriter{t}, nil))}
	c, err := l.Open(srv.URL+"/room-Jansens-4711?then=alert", lang)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	select {
	case r := <-reports:
		t.Logf("page saw: %s", r)
		if !strings.Contains(r, "langs="+lang) {
			t.Errorf("page languages %q, want %s first", r, lang)
		}
	case <-c.Ended():
		// An Edge already running on the same profile would have taken the
		// link and let this one go: the call's own profile prevents that.
		t.Fatalf("Edge ended before the page loaded: %v", c.Err())
	case <-time.After(30 * time.Second):
		t.Fatal("the page did not report")
	}
	time.Sleep(2 * time.Second)
	c.Close()
	if c.Err() != nil {
		t.Errorf("Err() = %v after Close", c.Err())
	}
	assertEmpty(t, tmp)
}
