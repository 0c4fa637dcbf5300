package kiosk

import (
	"flag"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/digitalebalie/balie/app/city"
)

var update = flag.Bool("update", false, "rewrite the golden images in testdata/")

// Golden images of right-to-left paragraphs: what Fyne 2.8 cannot do by
// itself (mixed runs in order, right alignment, wrapping in logical order).
// Run with -update to rewrite them, then look at every one.
func TestFlowTextGolden(t *testing.T) {
	test.NewTempApp(t)
	fyne.CurrentApp().Settings().SetTheme(newTheme(look{scale: 1, arabic: true}, city.Colours{}))
	tests := []struct {
		name  string
		text  string
		rtl   bool
		width float32
		bold  bool
	}{
		// "Your booking code is K7M-4PQ." The code reads left to right in
		// the middle; the full stop is at the far left.
		{"arabic-code", "رمز الحجز الخاص بك هو K7M-4PQ.", true, 560, false},
		// "Your appointment starts at 09:30 tomorrow. Please come on time."
		// wraps over lines that each read right to left, the first line on top.
		{"arabic-wrap", "يبدأ موعدك غدا في الساعة 09:30. من فضلك كن في الوقت المحدد، واحضر بطاقة الهوية الخاصة بك.", true, 360, false},
		// Dari: "Your appointment: Energiecentrale (energy), 09:30 to 10:15".
		{"dari-mixed", "ملاقات شما: Energiecentrale (انرژی)، 09:30 تا 10:15", true, 560, true},
		// Pashto with a question mark.
		{"pashto-question", "ایا تاسو مرسته ته اړتیا لرئ؟", true, 560, true},
		// A left-to-right paragraph with an Arabic name in it.
		{"latin-with-arabic", "Welkom, محمد! Uw code is K7M-4PQ.", false, 560, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFlowText(tt.text, tt.rtl, fyne.TextStyle{Bold: tt.bold})
			w := test.NewTempWindow(t, f)
			w.SetPadded(false)
			w.Resize(fyne.NewSize(tt.width, f.MinSize().Height))
			w.Resize(fyne.NewSize(tt.width, f.MinSize().Height)) // height now known for this width
			img := w.Canvas().Capture()
			golden := filepath.Join("testdata", "flowtext", tt.name+".png")
			if *update {
				writePNG(t, golden, img)
				return
			}
			test.AssertImageMatches(t, filepath.Join("flowtext", tt.name+".png"), img)
		})
	}
}

// What Fyne 2.8 itself does with the same sentence, kept as a golden image so
// an upgrade that fixes it (Fyne issue #90) shows up: the Arabic words are
// shaped and joined, but the runs stay in logical order from the left, so the
// code comes last on the right and the full stop follows it.
func TestFyneLabelGolden(t *testing.T) {
	test.NewTempApp(t)
	fyne.CurrentApp().Settings().SetTheme(newTheme(look{scale: 1, arabic: true}, city.Colours{}))
	l := widget.NewLabel("رمز الحجز الخاص بك هو K7M-4PQ.")
	w := test.NewTempWindow(t, l)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(560, l.MinSize().Height))
	img := w.Canvas().Capture()
	if *update {
		writePNG(t, filepath.Join("testdata", "flowtext", "fyne-label-arabic-code.png"), img)
		return
	}
	test.AssertImageMatches(t, filepath.Join("flowtext", "fyne-label-arabic-code.png"), img)
}

func writePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	os.MkdirAll(filepath.Dir(path), 0o755)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}
