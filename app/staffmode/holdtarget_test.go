package staffmode

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

func TestHoldTarget(t *testing.T) {
	clk, ui := setup(t)
	held := 0
	h := NewHoldTarget(widget.NewLabel("logo"), 3*time.Second, func() { held++ })
	test.NewTempWindow(t, h)
	press := &desktop.MouseEvent{Button: desktop.MouseButtonPrimary}

	test.Tap(h)
	h.MouseDown(press)
	clk.Advance(2 * time.Second)
	h.MouseUp(press)
	clk.Advance(time.Minute)
	ui.idle(t)
	if held != 0 {
		t.Fatal("a tap or a 2 s press opened the staff mode")
	}

	h.MouseDown(press)
	clk.Advance(2 * time.Second)
	h.MouseOut() // the finger slid off the logo
	clk.Advance(time.Minute)
	ui.idle(t)
	if held != 0 {
		t.Fatal("a press that slid off the logo opened the staff mode")
	}

	h.MouseDown(press)
	clk.Advance(3 * time.Second)
	ui.wait(t, 1)
	if held != 1 {
		t.Fatalf("a 3 s press called OnHold %d times, want 1", held)
	}
	clk.Advance(time.Minute) // still held
	h.MouseUp(press)
	test.Tap(h)
	ui.idle(t)
	if held != 1 {
		t.Fatalf("one long press called OnHold %d times", held)
	}

	// The timer fired, but the release reached the UI first.
	h.MouseDown(press)
	clk.Advance(3 * time.Second)
	h.MouseUp(press)
	ui.wait(t, 1)
	if held != 1 {
		t.Fatal("a press released as the timer fired opened the staff mode")
	}
}
