// Package chromiumtest runs Debian's headless Chromium for tests that must
// see a page as a phone's browser does. Tests only; it imports nothing of
// the product.
package chromiumtest

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// PhoneSize is a common phone's viewport in CSS pixels.
const PhoneSize = "390,844"

// Find returns the Chromium binary. Without one the test is skipped, unless
// BALIE_REQUIRE_CHROMIUM=1 (as in CI), which makes it fail.
func Find(t testing.TB) string {
	t.Helper()
	require := os.Getenv("BALIE_REQUIRE_CHROMIUM") == "1"
	if testing.Short() && !require {
		t.Skip("a real browser takes half a minute; skipped with -short")
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if require {
		t.Fatal("chromium is not installed (apt-get install chromium) and BALIE_REQUIRE_CHROMIUM=1")
	}
	t.Skip("chromium is not installed")
	return ""
}

// Run runs one headless Chromium with a window of size ("w,h") and its own
// throw-away profile, and returns what it printed (e.g. with --dump-dom).
func Run(t testing.TB, bin, size string, args ...string) string {
	t.Helper()
	out, stderr, err := runLogged(t, bin, size, args...)
	if err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, stderr)
	}
	return out
}

// runLogged runs Chromium and returns what it printed, and what it wrote to
// stderr with the page's console messages in it, for callers that must
// explain a page that went wrong; it leaves the failure to the caller.
func runLogged(t testing.TB, bin, size string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
		"--disable-dev-shm-usage", "--no-first-run", "--disable-extensions",
		"--window-size=" + size, "--user-data-dir=" + t.TempDir(),
		"--enable-logging=stderr", "--v=0",
	}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	var errBuf strings.Builder
	cmd.Stderr = &errBuf
	out, err := cmd.Output()
	return string(out), errBuf.String(), err
}
