package qr

import (
	"image/color"
	"testing"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/qr/qrtest"
)

func TestPhoneURLCarriesOnlyTheToken(t *testing.T) {
	got := PhoneURL("https://balie.gent.be/", "abc_DEF-123")
	if got != "https://balie.gent.be/a/abc_DEF-123" {
		t.Fatalf("got %q", got)
	}
}

func TestImageIsLargeWithAQuietZone(t *testing.T) {
	img, err := Image(PhoneURL("https://balie.gent.be", "tok"), 100)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	if b.Dx() < MinPixels || b.Dy() < MinPixels {
		t.Fatalf("QR is %v, want at least %d px", b, MinPixels)
	}
	isWhite := func(x, y int) bool {
		r, g, bl, _ := img.At(x, y).RGBA()
		return r == 0xffff && g == 0xffff && bl == 0xffff
	}
	// The outer ring (a few pixels in) must be white on every side.
	for i := 0; i < b.Dx(); i++ {
		for _, p := range [][2]int{{i, 2}, {i, b.Dy() - 3}, {2, i}, {b.Dx() - 3, i}} {
			if !isWhite(p[0], p[1]) {
				t.Fatalf("no quiet zone at %v", p)
			}
		}
	}
	// And there must be dark modules inside.
	dark := 0
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			if img.At(x, y) == (color.Gray16{}) || !isWhite(x, y) {
				dark++
			}
		}
	}
	if dark < b.Dx()*b.Dy()/10 {
		t.Fatalf("only %d dark pixels", dark)
	}
}

func TestImageScansBackToTheURL(t *testing.T) {
	url := PhoneURL("https://balie.gent.be", "Zx8_kP-3mQ7rT2vY9wB4nL6cF1hJ5sD0aG")
	img, err := Image(url, MinPixels)
	if err != nil {
		t.Fatal(err)
	}
	got, err := qrtest.Decode(img)
	if err != nil {
		t.Fatalf("a phone could not read the code: %v", err)
	}
	if got != url {
		t.Fatalf("decoded %q, want %q", got, url)
	}
}

// Many codes with random tokens all scan back: the kiosk's QR codes do not
// depend on a lucky token.
func TestManyCodesScan(t *testing.T) {
	for i := range 1000 {
		url := PhoneURL("https://balie.gent.be", domain.NewToken())
		img, err := Image(url, MinPixels)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := qrtest.Decode(img); err != nil || got != url {
			t.Fatalf("code %d: %q, %v", i, got, err)
		}
	}
}
