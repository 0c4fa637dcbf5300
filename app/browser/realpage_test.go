package browser

import (
	"os"
	"strings"
	"testing"
)

// page reports what the browser shows it (its window, the screen, its
// languages) to /report, then, as the link asks, raises an alert (which the
// browser titles in its UI language) or closes itself, as a call page does
// when the visitor leaves.
const page = `<!doctype html><html><head><meta charset="utf-8"><title>Balie test call</title>
<style>body{margin:0;height:100vh;display:flex;flex-direction:column;align-items:center;justify-content:center;
background:#1a5fb4;color:#fff;font:40px sans-serif}</style></head><body>
<div>Test call page</div><div id="s" style="font-size:24px"></div><script>
function report() {
	const s = "window " + innerWidth + "x" + innerHeight + ", screen " + screen.width + "x" + screen.height +
		", languages " + navigator.languages.join(",");
	document.getElementById("s").textContent = s;
	fetch("/report?" + new URLSearchParams({w: innerWidth, h: innerHeight, sw: screen.width, sh: screen.height, langs: navigator.languages}));
}
setTimeout(() => {
	report();
	const q = new URLSearchParams(location.search);
	if (q.get("then") === "alert") setTimeout(() => alert("Hello"), 500);
	if (q.get("then") === "close") setTimeout(() => window.close(), 6500);
}, 1500);
</script></body></html>`

func assertEmpty(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) > 0 {
		t.Errorf("profile left behind in %s: %v %v", dir, entries, err)
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
