package staffmode

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

type padFixture struct {
	t               *testing.T
	clk             *fakeClock
	ui              *uiQueue
	pad             fyne.CanvasObject
	opened, cancels int
}

func newPad(t *testing.T) *padFixture {
	clk, ui := setup(t)
	f := &padFixture{t: t, clk: clk, ui: ui}
	pin := NewPIN(cheapHash("4711"), clk.Now)
	f.pad = NewPINPad("Staff-modus", pin.Check, func() { f.opened++ }, func() { f.cancels++ })
	test.NewTempWindow(t, f.pad)
	return f
}

// enter taps the digits and OK, and lets the check come back.
func (f *padFixture) enter(pin string) {
	f.t.Helper()
	for _, d := range pin {
		test.Tap(button(f.t, f.pad, string(d)))
	}
	test.Tap(button(f.t, f.pad, "OK"))
	f.ui.wait(f.t, 1)
}

func TestPINPadTyping(t *testing.T) {
	f := newPad(t)
	for _, d := range "4712" {
		test.Tap(button(t, f.pad, string(d)))
	}
	test.Tap(button(t, f.pad, "Wis"))
	test.Tap(button(t, f.pad, "1"))
	if !shows(f.pad, "• • • •") || shows(f.pad, "4711") {
		t.Fatalf("the display must show four dots and no digits:\n%s", texts(f.pad))
	}
	test.Tap(button(t, f.pad, "OK"))
	if !button(t, f.pad, "5").Disabled() || !button(t, f.pad, "OK").Disabled() || !shows(f.pad, "Bezig met controleren") {
		t.Fatal("the keys work while the PIN is being checked")
	}
	f.ui.wait(t, 1)
	if f.opened != 1 {
		t.Fatalf("the right PIN opened the staff mode %d times", f.opened)
	}
	test.Tap(button(t, f.pad, "Annuleren"))
	if f.cancels != 1 {
		t.Fatal("Annuleren does not cancel")
	}
	test.Tap(button(t, f.pad, "OK"))
	labelWith(t, f.pad, "Tik eerst de pincode.")
}

func TestPINPadWrongAndLockout(t *testing.T) {
	f := newPad(t)
	f.enter("1234")
	labelWith(t, f.pad, "Foute pincode. Probeer opnieuw.")
	if shows(f.pad, "•") {
		t.Error("the wrong PIN stays in the display")
	}
	for range 4 {
		f.enter("1234")
	}
	labelWith(t, f.pad, "Te veel foute pogingen. Probeer opnieuw over 15 minuten.")
	for _, k := range strings.Split("0 1 2 3 4 5 6 7 8 9 Wis OK", " ") {
		if !button(t, f.pad, k).Disabled() {
			t.Errorf("key %s works during the lockout", k)
		}
	}
	if button(t, f.pad, "Annuleren").Disabled() {
		t.Error("Annuleren must always work")
	}
	test.Tap(button(t, f.pad, "4"))
	if shows(f.pad, "•") {
		t.Error("a disabled key typed a digit")
	}

	f.clk.Advance(14 * time.Minute)
	f.ui.idle(t)
	if !button(t, f.pad, "OK").Disabled() {
		t.Fatal("unlocked after 14 minutes")
	}
	f.clk.Advance(time.Minute)
	f.ui.wait(t, 1)
	if button(t, f.pad, "OK").Disabled() || button(t, f.pad, "7").Disabled() {
		t.Fatal("still locked after 15 minutes")
	}
	labelWith(t, f.pad, "U kunt opnieuw proberen.")
	f.enter("4711")
	if f.opened != 1 {
		t.Fatal("the right PIN after the lockout does not open the staff mode")
	}
}

func TestMinutes(t *testing.T) {
	for d, want := range map[time.Duration]string{
		15 * time.Minute: "15 minuten", 14*time.Minute + time.Second: "15 minuten",
		time.Minute: "1 minuut", time.Second: "1 minuut",
	} {
		if got := minutes(d); got != want {
			t.Errorf("minutes(%v) = %q, want %q", d, got, want)
		}
	}
}
