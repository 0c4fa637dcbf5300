package kiosk_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"github.com/digitalebalie/balie/app/kiosk"
	"github.com/digitalebalie/balie/app/session"
	"github.com/digitalebalie/balie/app/tour"
	"github.com/digitalebalie/balie/i18n"
)

var fullHD = fyne.NewSize(1920, 1080)

// At every text size, on a 720p and a Full HD screen and in all 14
// languages, the main button of every flow screen is inside the window
// without scrolling: it stands in the action bar, out of the page. Nothing
// is wider than the window, and where the page is taller than its room the
// "more below" button shows. High contrast lays every screen out the same
// (TestHighContrastChangesOnlyColours), so these walks in the normal
// palette hold for it too.
func TestMainButtonAlwaysInSight(t *testing.T) {
	if testing.Short() {
		t.Skip("112 walks through the screens; the race run leaves them out")
	}
	for _, l := range i18n.Offered {
		for _, size := range []fyne.Size{window, fullHD} {
			t.Run(fmt.Sprintf("%s-%.0f", l.Tag, size.Height), func(t *testing.T) {
				h := newHarness(t, withSpeech, func(c *kiosk.Config) { c.IdleTimeout = 3 * time.Hour })
				h.resize(size)
				for step := range kiosk.TextSteps {
					h.walkFlowScreens(l.Tag, step, false, nil)
				}
			})
		}
	}
}

// High contrast changes colours only: every object of every flow screen
// has the same place and size in both palettes, at every text size, on
// both screens, left to right and right to left.
func TestHighContrastChangesOnlyColours(t *testing.T) {
	if testing.Short() {
		t.Skip("layout only, no background calls: the race run (-short) leaves it to the full run")
	}
	for _, lang := range []string{"nl", "ar", "bg"} {
		for _, size := range []fyne.Size{window, fullHD} {
			h := newHarness(t, withSpeech, func(c *kiosk.Config) { c.IdleTimeout = 3 * time.Hour })
			h.resize(size)
			for step := range kiosk.TextSteps {
				layouts := map[bool][]string{}
				for _, contrast := range []bool{false, true} {
					h.walkFlowScreens(lang, step, contrast, func(screen string) {
						layouts[contrast] = append(layouts[contrast], screen+": "+h.layout())
					})
				}
				for i := range layouts[false] {
					if layouts[false][i] != layouts[true][i] {
						t.Fatalf("%s at step %d, %v: high contrast moves things:\nnormal %s\nhigh   %s", lang, step, size, layouts[false][i], layouts[true][i])
					}
				}
			}
		}
	}
}

// layout lists every visible object's type, place and size.
func (h *harness) layout() string {
	var b strings.Builder
	d := fyne.CurrentApp().Driver()
	walk(h.win.Content(), func(o fyne.CanvasObject) {
		fmt.Fprintf(&b, "%T%v%v ", o, d.AbsolutePositionForObject(o), o.Size())
	})
	return b.String()
}

// walkFlowScreens books and looks up an appointment in lang at a text size
// step and palette, checking each screen's main button on the way.
func (h *harness) walkFlowScreens(lang string, step int, contrast bool, shown func(screen string)) {
	h.t.Helper()
	T := func(id string) string { return h.T(lang, id, nil) }
	// The look is set as the bar's buttons set it, in one go: a theme
	// change per tap would make 448 walks take minutes.
	look := func() {
		h.k.Session().TextStep, h.k.Session().HighContrast = step, contrast
		h.k.Redraw()
	}
	where := fmt.Sprintf("%s at %d%% (contrast %v)", lang, []int{100, 130, 160, 200}[step], contrast)
	h.shown = shown
	defer func() { h.shown = nil }()
	if h.k.Session().Screen != session.Welcome {
		h.startOver(lang)
	}
	h.tap(languageName(h.t, lang))
	look()
	h.tap(T("HomeHelp"))
	h.inSight(where, "help", T("HelpCallStaff"))
	h.tap(T("NavBack"))
	h.tap(T("HomeBook"))
	h.run.Flush()
	h.inSight(where, "theme", "")
	h.tap(h.serviceName(lang, "energie"))
	h.inSight(where, "fit", T("FitContinue"))
	h.tap(T("FitContinue"))
	h.run.Flush()
	h.inSight(where, "day", "")
	h.tap(h.choices()[0].Title)
	h.inSight(where, "time", "")
	h.tap(h.choices()[0].Title)
	h.inSight(where, "contact", T("ContactContinue"))
	h.fill(0, "Amina El Idrissi")
	h.fill(1, "amina@")
	h.tap(T("ContactContinue"))
	h.inSight(where, "contact-refused", T("ContactContinue"))
	h.fill(1, "amina@example.be")
	h.fill(2, "0470 12 34 56")
	h.tap(T("ContactContinue"))
	h.inSight(where, "confirm", T("ConfirmBook"))
	h.tap(T("ConfirmBook"))
	h.run.Flush()
	booked := *h.k.Session().Booked
	h.inSight(where, "done", T("DoneFinish"))

	h.tap(T("DoneFinish"))
	h.tap(languageName(h.t, lang))
	look()
	h.tap(T("HomeJoin"))
	h.fill(0, booked.Code)
	h.fill(1, "amina@example.be")
	h.inSight(where, "join-find", T("JoinFind"))
	h.tap(T("JoinFind"))
	h.run.Flush()
	h.inSight(where, "join-status", T("JoinNow"))
	h.tap(T("JoinOnPhone"))
	h.inSight(where, "join-phone", T("DoneFinish"))
	h.tap(T("NavBack"))
	h.tap(T("JoinCancelAsk"))
	h.inSight(where, "join-cancel", T("JoinCancelNo"))
	h.tap(T("JoinCancelYes"))
	h.run.Flush()
}

// inSight checks the screen: the main button labelled main (none for "")
// lies inside the window and outside the scrolling page, nothing is wider
// than the window, and a page taller than its room shows "more below".
func (h *harness) inSight(where, screen, main string) {
	h.t.Helper()
	if h.shown != nil {
		h.shown(screen)
	}
	win := h.windowSize()
	if w := h.win.Content().MinSize().Width; w > win.Width {
		h.t.Errorf("%s, %s: needs %.0f px of width, the window has %.0f", where, screen, w, win.Width)
	}
	page := h.page()
	if main != "" {
		b, ok := h.tappable(main).(fyne.CanvasObject)
		if !ok {
			h.t.Fatalf("%s, %s: %q is not on screen", where, screen, main)
		}
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(b)
		if pos.X < 0 || pos.Y < 0 || pos.X+b.Size().Width > win.Width+0.5 || pos.Y+b.Size().Height > win.Height+0.5 {
			h.t.Errorf("%s, %s: %q at %v size %v is outside the %v window", where, screen, main, pos, b.Size(), win)
		}
		if tour.Tappable(page.Content, main) != nil {
			h.t.Errorf("%s, %s: %q scrolls with the page", where, screen, main)
		}
	}
	// Fyne lays a button's label out left to right: in a right-to-left
	// language a number or a Latin word in one would come out in the wrong
	// order. Those go in cards and text, which FlowText lays out.
	if h.msgs.Language(h.k.Session().Lang).RTL {
		for _, b := range visible[*kiosk.Button](h) {
			if strings.ContainsFunc(b.Text, func(r rune) bool { return r < 0x80 && unicode.IsLetter(r) || unicode.IsDigit(r) }) {
				h.t.Errorf("%s, %s: button %q mixes directions", where, screen, b.Text)
			}
		}
	}
	more := h.T(h.k.Session().Lang, "MoreBelow", nil)
	if hidden := page.Content.MinSize().Height - page.Size().Height - page.Offset.Y; hidden > 1 && !h.shows(more) {
		h.t.Errorf("%s, %s: %.0f px hidden below and no %q", where, screen, hidden, more)
	}
}

// page is the screen's scrolling page.
func (h *harness) page() *container.Scroll {
	h.t.Helper()
	pages := visible[*container.Scroll](h)
	if len(pages) != 1 {
		h.t.Fatalf("screen %s has %d scrolling pages, want 1", h.k.Session().Screen, len(pages))
	}
	return pages[0]
}

// The text-size bar never moves under the finger: its buttons keep their
// place at every step, so a second or third tap in the same spot makes the
// text larger again.
func TestTextBarStaysPut(t *testing.T) {
	for _, lang := range []string{"nl", "ar", "bg"} {
		h := newHarness(t, withSpeech)
		h.resize(window)
		h.tap(languageName(t, lang))
		larger := h.T(lang, "LookLarger", nil)
		place := func() fyne.Position {
			return fyne.CurrentApp().Driver().AbsolutePositionForObject(h.tappable(larger).(fyne.CanvasObject))
		}
		first := place()
		for step := 1; step < len(kiosk.TextSteps); step++ {
			// Tap where the button was, as a finger does.
			test.TapCanvas(h.win.Canvas(), first.AddXY(20, 20))
			if got := h.k.Session().TextStep; got != step {
				t.Fatalf("%s: a tap on the spot of %q gave text step %d, want %d", lang, larger, got, step)
			}
			if got := place(); got != first {
				t.Errorf("%s: at step %d %q moved from %v to %v", lang, step, larger, first, got)
			}
		}
	}
}

// Ticking a box or changing the text size keeps the visitor's place on a
// long page; a finger dragged over the page, or over a text field, scrolls
// it, and so does the wheel over a field; "more below" scrolls down.
func TestScrollingKeepsItsPlace(t *testing.T) {
	h := newHarness(t, withSpeech)
	h.resize(window)
	h.toContact("nl")
	for range 3 {
		h.tap(h.T("nl", "LookLarger", nil))
	}
	h.fill(0, "Amina El Idrissi")
	h.fill(1, "amina@example.be")
	h.tap(h.T("nl", "ContactContinue", nil))
	page := h.page()
	if page.Content.MinSize().Height <= page.Size().Height {
		t.Fatal("the confirm screen at 200% fits 720p: nothing to scroll")
	}

	h.tap(h.T("nl", "MoreBelow", nil))
	page = h.page()
	if page.Offset.Y <= 0 {
		t.Fatal("more below did not scroll")
	}
	before := page.Offset.Y
	h.tap(h.T("nl", "ConfirmInterpreter", nil)) // a tick card: the screen is drawn again
	if !h.k.Session().Interpreter {
		t.Fatal("the tick did not take")
	}
	if got := h.page().Offset.Y; got != before {
		t.Errorf("ticking a box moved the page from %.0f to %.0f", before, got)
	}
	h.tap(h.T("nl", "LookSmaller", nil))
	if got := h.page().Offset.Y; got == 0 {
		t.Error("a smaller text size jumped back to the top")
	}

	// A finger dragged up the page scrolls it down.
	h.tap(h.T("nl", "NavBack", nil))
	page = h.page()
	page.ScrollToTop()
	field := h.entries()[0]
	test.Drag(h.win.Canvas(), fyne.CurrentApp().Driver().AbsolutePositionForObject(field).AddXY(10, 10), 0, -80)
	if got := h.page().Offset.Y; got < 40 {
		t.Errorf("a finger dragged 80 px up over a text field scrolled %.0f px", got)
	}
	if sel := field.SelectedText(); sel != "" {
		t.Errorf("the drag selected %q in the field", sel)
	}
	page.ScrollToTop()
	test.Scroll(h.win.Canvas(), fyne.CurrentApp().Driver().AbsolutePositionForObject(field).AddXY(10, 10), 0, -60)
	if got := h.page().Offset.Y; got < 30 {
		t.Errorf("the wheel over a text field scrolled the page %.0f px", got)
	}
	page.ScrollToTop()
	test.Drag(h.win.Canvas(), fyne.NewPos(600, 250), 0, -80)
	if got := h.page().Offset.Y; got < 40 {
		t.Errorf("a finger dragged 80 px up over the page scrolled %.0f px", got)
	}
}
