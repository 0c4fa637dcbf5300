package chromiumtest

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"
)

// axeSource is axe-core's axe.min.js; axe/README names its version.
//
//go:embed axe/axe.min.js
var axeSource []byte

// AxeTags are the rules Axe runs: WCAG 2.0, 2.1 and 2.2 at levels A and AA.
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// Violation is one axe-core rule a page fails.
type Violation struct {
	ID     string // the rule, e.g. "color-contrast"
	Impact string // minor, moderate, serious or critical
	Help   string // what the rule asks, in a sentence
	// Nodes are the failing elements, one string each: the CSS target and
	// the element's HTML, then on the next lines what axe-core says is
	// wrong with it.
	Nodes []string
}

// String is the violation for a test's failure message.
func (v Violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s", v.ID, v.Impact, v.Help)
	for _, n := range v.Nodes {
		b.WriteString("\n    " + strings.ReplaceAll(n, "\n", "\n      "))
	}
	return b.String()
}

// Axe loads url in headless Chromium at size ("w,h" CSS px), runs axe-core
// with the WCAG 2.0/2.1/2.2 A and AA rules (AxeTags) and returns the
// violations.
//
// A page may forbid scripts (the phone page's Content-Security-Policy does), so Axe
// fetches its HTML with a plain GET (following redirects, with no cookies
// and no Accept-Language: put the language in the URL), adds a <base href>
// to the original URL so that its styles, images and links still come from
// there, adds axe-core and a script that runs it at the end of <body>, and
// serves that copy from a server of its own without those headers. The
// script writes the result into the DOM, which Chromium prints with
// --dump-dom once the page has run out of work or after ten seconds of
// virtual time. A page that fails to load, or axe-core that fails to run,
// fails the test with what Chromium printed.
func Axe(t testing.TB, bin, size, url string) []Violation {
	t.Helper()
	page, base, ctype := fetchPage(t, url)
	return AxePage(t, bin, size, page, base, ctype)
}

// AxePage is Axe on a page the test fetched itself, say behind a sign-in:
// its HTML, the URL it came from (for its stylesheets and images) and its
// Content-Type.
func AxePage(t testing.TB, bin, size, page, base, ctype string) []Violation {
	t.Helper()
	url := base
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Cache-Control", "no-store")
		// By absolute URL: the <base> sends relative ones to the original.
		io.WriteString(w, injectAxe(page, base, "http://"+r.Host+"/axe.min.js"))
	})
	mux.HandleFunc("GET /axe.min.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Write(axeSource)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	start := time.Now()
	dom, stderr, err := runLogged(t, bin, size, "--dump-dom", "--virtual-time-budget=10000", srv.URL+"/")
	if err != nil {
		t.Fatalf("axe: chromium on %s: %v\n%s", url, err, stderr)
	}
	m := axeResult.FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("axe: no result from axe-core on %s: it did not run or did not finish\nchromium printed:\n%s\nDOM:\n%s", url, console(stderr), clip(dom, 8000))
	}
	var res struct {
		Version    string
		Error      string
		Incomplete []string // rules axe-core could not decide: for people
		Violations []struct {
			ID, Impact, Help string
			Nodes            []struct{ Target, HTML, Summary string }
		}
	}
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &res); err != nil {
		t.Fatalf("axe: result on %s: %v\n%s", url, err, clip(m[1], 8000))
	}
	if res.Error != "" {
		t.Fatalf("axe: axe-core failed on %s: %s\nchromium printed:\n%s", url, res.Error, console(stderr))
	}
	var vs []Violation
	for _, rv := range res.Violations {
		v := Violation{ID: rv.ID, Impact: rv.Impact, Help: rv.Help}
		for _, n := range rv.Nodes {
			s := n.Target + "  " + n.HTML
			if n.Summary != "" {
				s += "\n" + n.Summary
			}
			v.Nodes = append(v.Nodes, s)
		}
		vs = append(vs, v)
	}
	review := ""
	if len(res.Incomplete) > 0 {
		review = " (to check by hand: " + strings.Join(res.Incomplete, ", ") + ")"
	}
	t.Logf("axe-core %s on %s at %s: %d violations%s, %v", res.Version, url, size, len(vs), review, time.Since(start).Round(time.Millisecond))
	return vs
}

// axeResult is the element the injected script fills in.
var axeResult = regexp.MustCompile(`(?s)<pre id="axe-result"[^>]*>(.*?)</pre>`)

// fetchPage GETs url and returns its HTML, the URL it came from after any
// redirects (for <base href>) and its Content-Type. Error pages are pages
// too: any status will do, as long as the answer is HTML.
func fetchPage(t testing.TB, url string) (page, base, ctype string) {
	t.Helper()
	client := &http.Client{Timeout: 30 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatalf("axe: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		t.Fatalf("axe: reading %s: %v", url, err)
	}
	ctype = resp.Header.Get("Content-Type")
	if mt, _, _ := mime.ParseMediaType(ctype); mt != "text/html" {
		t.Fatalf("axe: %s is %q (status %d), not HTML", url, ctype, resp.StatusCode)
	}
	return string(body), resp.Request.URL.String(), ctype
}

var (
	headTag = regexp.MustCompile(`(?i)<head(\s[^>]*)?>`)
	// A CSP in a <meta> would stop the injected scripts as the header would.
	cspMeta = regexp.MustCompile(`(?is)<meta\s[^>]*http-equiv\s*=\s*["']?content-security-policy[^>]*>`)
	bodyEnd = regexp.MustCompile(`(?i)</body\s*>`)
)

// injectAxe adds to page a <base href> to base and, at the end of <body>,
// axe-core from axeURL and the script that runs it and writes the result
// into <pre id="axe-result">. A script at the start of <head> collects the
// page's script errors, for the report when axe-core does not load.
func injectAxe(page, base, axeURL string) string {
	page = cspMeta.ReplaceAllString(page, "")
	head := `<base href="` + html.EscapeString(base) + `"><script>` + axeCatch + `</script>`
	if loc := headTag.FindStringIndex(page); loc != nil {
		page = page[:loc[1]] + head + page[loc[1]:]
	} else {
		page = head + page
	}
	tags, _ := json.Marshal(AxeTags)
	tail := `<script src="` + html.EscapeString(axeURL) + `"></script><script>` +
		strings.Replace(axeRun, "TAGS", string(tags), 1) + `</script>`
	if locs := bodyEnd.FindAllStringIndex(page, -1); locs != nil {
		at := locs[len(locs)-1][0]
		return page[:at] + tail + page[at:]
	}
	return page + tail
}

// axeCatch keeps the page's script errors in window.__axeErrors.
const axeCatch = `window.__axeErrors=[];addEventListener("error",function(e){var x=e.target;__axeErrors.push(x&&x!==window?"could not load "+(x.src||x.href):e.message+" ("+e.filename+":"+e.lineno+")")},true);`

// axeRun runs axe-core on the document and writes its violations, or why it
// could not run, as JSON into <pre id="axe-result" hidden>.
const axeRun = `(function(){
function report(o){
	var pre=document.createElement("pre");
	pre.id="axe-result";pre.hidden=true;
	pre.textContent=JSON.stringify(o);
	document.body.appendChild(pre);
}
if(typeof axe==="undefined"){report({error:"axe-core did not load: "+(__axeErrors.join("; ")||"no script error")});return;}
function target(t){
	return t.map(function(s){return Array.isArray(s)?s.join(" >>> "):s;}).join(" / ");
}
axe.run(document,{runOnly:{type:"tag",values:TAGS},resultTypes:["violations"]}).then(function(r){
	report({version:axe.version,incomplete:r.incomplete.map(function(v){return v.id;}),violations:r.violations.map(function(v){
		return {id:v.id,impact:v.impact||"",help:v.help,nodes:v.nodes.map(function(n){
			return {target:target(n.target),html:n.html,summary:n.failureSummary||""};
		})};
	})});
},function(e){report({error:String(e&&e.stack||e)+(__axeErrors.length?"; page errors: "+__axeErrors.join("; "):"")});});
})();`

// console is the page's console messages in Chromium's log, or all of the
// log when there are none: the rest is mostly D-Bus noise.
func console(stderr string) string {
	var lines []string
	for l := range strings.Lines(stderr) {
		if strings.Contains(l, ":CONSOLE") {
			lines = append(lines, l)
		}
	}
	if lines == nil {
		return stderr
	}
	return strings.Join(lines, "")
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "\n[... " + fmt.Sprint(len(s)-n) + " more bytes]"
}
