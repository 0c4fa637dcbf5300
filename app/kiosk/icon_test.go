package kiosk

import (
	"image"
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/digitalebalie/balie/app/city"
	"github.com/digitalebalie/balie/assets"
)

// shownRaster is the image an icon shows on screen.
func shownRaster(t *testing.T, i *Icon) image.Image {
	t.Helper()
	img := test.WidgetRenderer(i).Objects()[0].(*canvas.Image)
	if img.Image == nil {
		t.Fatal("the icon shows nothing")
	}
	return img.Image
}

// hasColour tells whether any pixel of img is c, fully opaque.
func hasColour(img image.Image, c color.NRGBA) bool {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if color.NRGBAModel.Convert(img.At(x, y)) == c {
				return true
			}
		}
	}
	return false
}

// Icons of the same kind and size on a screen share one raster, drawn in
// the palette's colour at the screen's pixel size; the high-contrast
// palette draws them anew in its colour, and going back reuses the first.
func TestIconsShareOneRasterPerColourAndSize(t *testing.T) {
	a := test.NewTempApp(t)
	normal, contrast := newTheme(look{}, city.Colours{}), newTheme(look{contrast: true}, city.Colours{})
	a.Settings().SetTheme(normal)
	help := assets.Icon("help")
	one, two := NewIcon(help), NewIcon(help)
	w := test.NewTempWindow(t, container.NewHBox(
		container.NewGridWrap(fyne.NewSquareSize(48), one),
		container.NewGridWrap(fyne.NewSquareSize(48), two)))
	w.Resize(fyne.NewSize(200, 100))

	first := shownRaster(t, one)
	if shownRaster(t, two) != first {
		t.Error("two help icons of one size have two rasters")
	}
	wantW, _ := w.Canvas().PixelCoordinateForPosition(fyne.NewPos(48, 48))
	if got := first.Bounds().Dx(); got != wantW {
		t.Errorf("raster %d px wide, want the screen's %d", got, wantW)
	}
	if !hasColour(first, normalColours.primary) {
		t.Errorf("the help icon has no pixel in the primary colour %v", normalColours.primary)
	}

	a.Settings().SetTheme(contrast)
	one.Refresh()
	dark := shownRaster(t, one)
	if dark == first || !hasColour(dark, highContrast.primary) {
		t.Errorf("in high contrast the icon is not drawn in %v", highContrast.primary)
	}
	a.Settings().SetTheme(normal)
	one.Refresh()
	if shownRaster(t, one) != first {
		t.Error("back in the normal palette the icon was drawn again instead of reused")
	}
}

// The cache stays bounded however many sizes are asked for: text sizes and
// window sizes change, the kiosk runs for weeks.
func TestIconCacheIsBounded(t *testing.T) {
	test.NewTempApp(t)
	for i := range 2 * maxIconRasters {
		w, h := 8+i%32, 8+i/32 // every size another one
		if _, err := iconRasters.get(theme.HomeIcon(), w, h); err != nil {
			t.Fatalf("%dx%d px: %v", w, h, err)
		}
		if n := iconRasters.size(); n > maxIconRasters {
			t.Fatalf("after %d sizes the cache holds %d rasters, over %d", i+1, n, maxIconRasters)
		}
	}
}

// A broken or odd SVG gives an error or a fitting raster, never a panic,
// and keeps its shape.
func TestRasterize(t *testing.T) {
	tests := []struct {
		name      string
		svg       string
		w, h      int
		wantW     int
		wantH     int
		wantError bool
	}{
		{"square in a square", `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24"/></svg>`, 48, 48, 48, 48, false},
		{"wide in a square keeps its shape", `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 24"><rect width="48" height="24"/></svg>`, 48, 48, 48, 24, false},
		{"tall in a wide box", `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 48"><rect width="24" height="48"/></svg>`, 96, 48, 24, 48, false},
		{"no view box", `<svg xmlns="http://www.w3.org/2000/svg"><rect width="24" height="24"/></svg>`, 48, 48, 0, 0, true},
		{"not SVG", `PNG`, 48, 48, 0, 0, true},
		{"truncated", `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M 0 0 L`, 48, 48, 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img, err := rasterize([]byte(tt.svg), tt.w, tt.h)
			if tt.wantError {
				if err == nil {
					t.Fatalf("no error; drew %v", img.Bounds())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := img.Bounds().Size(); got != image.Pt(tt.wantW, tt.wantH) {
				t.Errorf("size %v, want %dx%d", got, tt.wantW, tt.wantH)
			}
			if !hasColour(img, color.NRGBA{A: 0xFF}) {
				t.Error("the black rectangle was not drawn")
			}
		})
	}
}
