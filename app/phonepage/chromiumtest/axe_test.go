package chromiumtest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// TestAxe checks that Axe sees what is wrong with a page even when the page
// forbids scripts, and that the page's relative stylesheet still applies
// (color-contrast fails only with it), and that it passes a good page.
func TestAxe(t *testing.T) {
	bin := Find(t)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /dir/bad", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!doctype html><html><head><title>Bad</title><link rel="stylesheet" href="pale.css"></head>
<body><main><h1>Bad</h1><p class="pale">Pale grey text on white.</p><img src="pic.png"></main></body></html>`))
	})
	mux.HandleFunc("GET /dir/pale.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css")
		w.Write([]byte(`.pale{color:#bbb;background:#fff}`))
	})
	mux.HandleFunc("GET /good", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'none'")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound) // error pages are pages too
		w.Write([]byte(`<!doctype html><html lang="en"><head><title>Good</title></head><body><main><h1>Good</h1><p>Plain text.</p></main></body></html>`))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	var ids []string
	for _, v := range Axe(t, bin, PhoneSize, srv.URL+"/dir/bad") {
		ids = append(ids, v.ID)
		if len(v.Nodes) == 0 {
			t.Errorf("%s without nodes", v.ID)
		}
		if v.ID == "image-alt" && !strings.Contains(v.Nodes[0], `<img src="pic.png">`) {
			t.Errorf("image-alt nodes: %q", v.Nodes)
		}
	}
	for _, want := range []string{"color-contrast", "html-has-lang", "image-alt"} {
		if !slices.Contains(ids, want) {
			t.Errorf("violations %v lack %s", ids, want)
		}
	}
	if vs := Axe(t, bin, "1366,768", srv.URL+"/good"); len(vs) != 0 {
		t.Errorf("a good page has violations: %v", vs)
	}
}

// TestAxeFailsLoudly: when axe-core cannot run, or the page goes away
// before it reports, Axe fails the test and says why, rather than finding
// no violations.
func TestAxeFailsLoudly(t *testing.T) {
	bin := Find(t)
	pages := map[string]string{
		// The page's own scripts run before axe-core and take its name.
		"/taken": `<script>Object.defineProperty(window,"axe",{value:undefined})</script>`,
		"/gone":  `<script>location.replace("about:blank")</script>`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!doctype html><html lang="en"><head><title>x</title></head><body><main><h1>x</h1>` + pages[r.URL.Path] + `</main></body></html>`))
	}))
	defer srv.Close()
	for path, want := range map[string]string{"/taken": "axe-core did not load", "/gone": "no result from axe-core"} {
		t.Run(path[1:], func(t *testing.T) {
			ft := &fatalTB{TB: t}
			done := make(chan struct{})
			go func() {
				defer close(done)
				Axe(ft, bin, PhoneSize, srv.URL+path)
			}()
			<-done
			if !strings.Contains(ft.fatal, want) {
				t.Errorf("Axe failed with %q, want %q", ft.fatal, want)
			}
		})
	}
}

// fatalTB keeps what Fatalf says instead of failing the test.
type fatalTB struct {
	testing.TB
	fatal string
}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.fatal = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func TestInjectAxe(t *testing.T) {
	got := injectAxe(`<!DOCTYPE html><HTML><Head lang="x"><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head><body><p>a</p></BODY></html>`,
		"http://o.example/a/b?c=1&d=2", "http://127.0.0.1:1/axe.min.js")
	for _, want := range []string{
		`<Head lang="x"><base href="http://o.example/a/b?c=1&amp;d=2"><script>window.__axeErrors`,
		`<p>a</p><script src="http://127.0.0.1:1/axe.min.js"></script><script>`,
		`values:["wcag2a","wcag2aa","wcag21a","wcag21aa","wcag22aa"]`,
		`</script></BODY></html>`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Content-Security-Policy") {
		t.Errorf("CSP meta kept:\n%s", got)
	}
}
