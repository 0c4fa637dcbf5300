package phonepage

import (
	"image/png"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/phonepage/chromiumtest"
)

// chromium finds a headless-capable Chromium. Without one, or with -short,
// the test skips, unless BALIE_REQUIRE_CHROMIUM=1 (CI) makes it run or fail.
func chromium(t *testing.T) string { return chromiumtest.Find(t) }

func runChromium(t *testing.T, bin string, args ...string) string {
	t.Helper()
	return chromiumtest.Run(t, bin, chromiumtest.PhoneSize, args...)
}

func runChromiumSized(t *testing.T, bin, size string, args ...string) string {
	t.Helper()
	return chromiumtest.Run(t, bin, size, args...)
}

// TestPhonePageInChromium renders the key pages in a real browser at the
// size of a phone (390×844 CSS pixels) and saves the screenshots in
// $BALIE_PHONE_SHOTS for people to look at.
func TestPhonePageInChromium(t *testing.T) {
	bin := chromium(t)
	dir := os.Getenv("BALIE_PHONE_SHOTS")
	full := dir != "" // people will look: show them below the fold too
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	f := newFixture(t)
	fr := f.book(t, "fr") // Monday 09:00
	nl := f.book(t, "nl") // Monday 09:45
	srv := httptest.NewServer(f.h)
	defer srv.Close()

	shots := []struct {
		name, path string
		at         time.Time
		extra      []string
	}{
		{"nl", "/a/" + nl.Token, monday.AddDate(0, 0, -2), nil},
		{"fr", "/a/" + fr.Token, monday, nil},
		{"fr-join-open", "/a/" + fr.Token, monday.Add(50 * time.Minute), nil},
		{"fr-cancel-confirm", "/a/" + fr.Token + "/cancel", monday, nil},
		{"unknown-token", "/a/" + domain.NewToken(), monday, []string{"--accept-lang=fr-BE,fr"}},
	}
	for _, s := range shots {
		t.Run(s.name, func(t *testing.T) {
			f.clock.Set(s.at)
			file := filepath.Join(dir, "phone-"+s.name+".png")
			os.Remove(file)
			runChromium(t, bin, append(s.extra, "--screenshot="+file, srv.URL+s.path)...)
			checkScreenshot(t, file, 844)
			t.Logf("%s", file)
			if full {
				file := filepath.Join(dir, "phone-"+s.name+"-full.png")
				runChromiumSized(t, bin, "390,2400", append(s.extra, "--screenshot="+file, srv.URL+s.path)...)
				checkScreenshot(t, file, 2400)
			}
		})
	}

	// The DOM the browser built: the language and the join button's text.
	f.clock.Set(monday.Add(50 * time.Minute))
	dom := runChromium(t, bin, "--dump-dom", srv.URL+"/a/"+fr.Token)
	for _, want := range []string{`lang="fr"`, f.msgs.T("fr", "PhoneJoin", nil), `href="` + strings.ReplaceAll(fr.JoinURL, "&", "&amp;") + `"`} {
		if !strings.Contains(dom, want) {
			t.Errorf("DOM lacks %q\n%s", want, dom)
		}
	}
}

// checkScreenshot fails on an empty or one-colour picture: a page that did
// not render.
func checkScreenshot(t *testing.T, file string, height int) {
	t.Helper()
	r, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	img, err := png.Decode(r)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 390 || b.Dy() != height {
		t.Errorf("%s is %dx%d, want 390x%d", file, b.Dx(), b.Dy(), height)
	}
	colours := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, a := img.At(x, y).RGBA()
			colours[[4]uint32{r, g, bl, a}] = true
		}
	}
	if len(colours) < 16 {
		t.Errorf("%s has only %d colours: blank?", file, len(colours))
	}
}
