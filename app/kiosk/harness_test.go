package kiosk_test

import (
	"bytes"
	"context"
	"image"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/digitalebalie/balie/app/city"
	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/kiosk"
	"github.com/digitalebalie/balie/app/store"
	"github.com/digitalebalie/balie/app/tour"
	"github.com/digitalebalie/balie/i18n"
)

// monday is a working day in Ghent; the clock starts there at 08:00.
// gent is the city the tests' kiosk serves; gentHelpPhone its help line.
var (
	gent          = city.MustLoad("gent")
	gentHelpPhone = gent.HelpLine.Phone
)

// gentService is one of the city's themes.
func gentService(t *testing.T, id string) domain.Service {
	t.Helper()
	for _, s := range gent.Services() {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("no theme %q", id)
	return domain.Service{}
}

var monday = time.Date(2026, 11, 23, 8, 0, 0, 0, domain.Brussels)

const phoneBase = "https://balie.gent.be"

// clock is a hand-moved clock shared by the kiosk and the store; the store
// reads it from background calls.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// manualRunner queues backend calls until the test flushes them, so a test
// can see the spinner, act while a call is in flight, and then let it finish.
type manualRunner struct{ queue []func() }

func (r *manualRunner) Run(work, done func()) {
	r.queue = append(r.queue, func() { work(); done() })
}

// Flush runs every queued call, and the calls they start, to the end.
func (r *manualRunner) Flush() {
	for len(r.queue) > 0 {
		next := r.queue[0]
		r.queue = r.queue[1:]
		next()
	}
}

// flakyBackend wraps a real one and fails the next calls of a kind with err.
type flakyBackend struct {
	domain.Backend
	signals                                             domain.Signals
	failSlots, failBook, failFind, failCancel, failHelp int
	err                                                 error
}

func (f *flakyBackend) Cancel(ctx context.Context, code, check string) error {
	if f.failCancel > 0 {
		f.failCancel--
		return f.err
	}
	return f.Backend.Cancel(ctx, code, check)
}

var (
	_ domain.Backend = (*flakyBackend)(nil)
	_ domain.Signals = (*flakyBackend)(nil)
)

func (f *flakyBackend) RequestHelp(ctx context.Context, req domain.HelpRequest) error {
	if f.failHelp > 0 {
		f.failHelp--
		return f.err
	}
	return f.signals.RequestHelp(ctx, req)
}

func (f *flakyBackend) SendFeedback(ctx context.Context, fb domain.Feedback) error {
	return f.signals.SendFeedback(ctx, fb)
}

func (f *flakyBackend) Slots(ctx context.Context, id string, from time.Time, days int) ([]domain.Slot, error) {
	if f.failSlots > 0 {
		f.failSlots--
		return nil, f.err
	}
	return f.Backend.Slots(ctx, id, from, days)
}

func (f *flakyBackend) Book(ctx context.Context, req domain.BookingRequest) (domain.Appointment, error) {
	if f.failBook > 0 {
		f.failBook--
		return domain.Appointment{}, f.err
	}
	return f.Backend.Book(ctx, req)
}

func (f *flakyBackend) Find(ctx context.Context, code, check string) (domain.Appointment, error) {
	if f.failFind > 0 {
		f.failFind--
		return domain.Appointment{}, f.err
	}
	return f.Backend.Find(ctx, code, check)
}

// harness is one kiosk in a headless test window, on a real embedded store
// with a hand-moved clock.
type harness struct {
	t       testing.TB
	win     fyne.Window
	k       *kiosk.Kiosk
	msgs    *i18n.Catalog
	clock   *clock
	run     *manualRunner
	store   *store.Store
	backend *flakyBackend
	opened  []string    // links the kiosk opened in a call window
	langs   []string    // the language of each
	calls   []*fakeCall // the call windows, in order
	openErr error       // what the next OpenCall fails with, if set
	wipes   int         // times the kiosk asked to close the browser
	log     bytes.Buffer
	// mustFit makes assertTall also check that every screen fits the
	// window without scrolling.
	mustFit bool
	taps    int // taps made, as a visitor counts them
	// shown, when set, is told of each screen inSight checks.
	shown func(screen string)
	// size is the window's size as the test set it: Fyne's test window
	// grows to fit content wider than itself, which must not hide it.
	size fyne.Size
}

// resize sets the window's size.
func (h *harness) resize(s fyne.Size) {
	h.size = s
	h.win.Resize(s)
}

// windowSize is the size the test gave the window.
func (h *harness) windowSize() fyne.Size {
	if h.size.IsZero() {
		return h.win.Canvas().Size()
	}
	return h.size
}

func newHarness(t testing.TB, configure ...func(*kiosk.Config)) *harness {
	t.Helper()
	test.NewTempApp(t)
	msgs := city.MustCatalog("gent")
	h := &harness{t: t, msgs: msgs, clock: &clock{now: monday}, run: &manualRunner{}}
	s, err := store.Open(store.Options{
		Path:         filepath.Join(t.TempDir(), "practice.db"),
		Services:     city.MustLoad("gent").Services(),
		JoinTemplate: "https://video.example/{room}",
		Now:          h.clock.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	h.store = s
	h.backend = &flakyBackend{Backend: s, signals: s}
	h.win = test.NewTempWindow(t, nil)
	h.win.SetPadded(false) // as the kiosk's own window: every pixel of a 720p screen counts
	h.resize(fyne.NewSize(1280, 1000))
	cfg := kiosk.Config{
		Backend:   h.backend,
		Messages:  msgs,
		Practice:  true,
		PhoneBase: phoneBase,
		Now:       h.clock.Now,
		OpenCall:  h.openCall,
		OnWipe:    h.onWipe,
		Runner:    h.run,
		Log:       slog.New(slog.NewTextHandler(&h.log, nil)),
	}
	for _, c := range configure {
		c(&cfg)
	}
	h.k = kiosk.New(h.win, cfg)
	return h
}

// fakeCall is a call window the test ends.
type fakeCall struct {
	ended chan struct{}
	err   error
}

func (c *fakeCall) Ended() <-chan struct{} { return c.ended }
func (c *fakeCall) Err() error             { return c.err }

// end closes the window, with err when it failed.
func (c *fakeCall) end(err error) {
	select {
	case <-c.ended:
	default:
		c.err = err
		close(c.ended)
	}
}

func (h *harness) openCall(link, lang string) (kiosk.CallWindow, error) {
	if err := h.openErr; err != nil {
		h.openErr = nil
		return nil, err
	}
	h.opened, h.langs = append(h.opened, link), append(h.langs, lang)
	c := &fakeCall{ended: make(chan struct{})}
	h.calls = append(h.calls, c)
	return c, nil
}

// onWipe closes every call window, as the browser launcher does.
func (h *harness) onWipe() {
	h.wipes++
	for _, c := range h.calls {
		c.end(nil)
	}
}

// startOver presses Start again, and says yes when the kiosk asks first
// because something typed would be lost.
func (h *harness) startOver(lang string) {
	h.t.Helper()
	h.tap(h.T(lang, "NavStartOver", nil))
	if h.shows(h.T(lang, "StartOverQuestion", nil)) {
		h.tap(h.T(lang, "StartOverYes", nil))
	}
}

// T is a message in lang, as the kiosk would show it.
func (h *harness) T(lang, id string, data map[string]any) string {
	return h.msgs.T(lang, id, data)
}

// walk and textOf read the screen as the tour does.
var (
	walk   = tour.Walk
	textOf = tour.TextOf
)

// texts is everything the visitor can read on screen.
func (h *harness) texts() []string { return tour.Texts(h.win.Content()) }

// shows tells whether some text on screen contains want.
func (h *harness) shows(want string) bool {
	for _, s := range h.texts() {
		if strings.Contains(s, want) {
			return true
		}
	}
	return false
}

func (h *harness) mustShow(want string) {
	h.t.Helper()
	if !h.shows(want) {
		h.t.Fatalf("screen %s does not show %q; it shows:\n%s", h.k.Session().Screen, want, strings.Join(h.texts(), "\n"))
	}
}

func (h *harness) mustNotShow(unwanted string) {
	h.t.Helper()
	if h.shows(unwanted) {
		h.t.Fatalf("screen %s shows %q", h.k.Session().Screen, unwanted)
	}
}

// tappable finds the visible button, choice card or check box labelled
// label.
func (h *harness) tappable(label string) fyne.Tappable {
	h.t.Helper()
	found := tour.Tappable(h.win.Content(), label)
	if found == nil {
		h.t.Fatalf("screen %s has nothing to tap labelled %q; it shows:\n%s", h.k.Session().Screen, label, strings.Join(h.texts(), "\n"))
	}
	return found
}

// tap taps what is labelled label, like a visitor's finger.
func (h *harness) tap(label string) {
	h.t.Helper()
	h.taps++
	test.Tap(h.tappable(label))
}

// button returns the visible button labelled label.
func (h *harness) button(label string) *kiosk.Button {
	h.t.Helper()
	b, ok := h.tappable(label).(*kiosk.Button)
	if !ok {
		h.t.Fatalf("%q is not a button", label)
	}
	return b
}

// disabled tells whether the button or card labelled label is greyed out.
func (h *harness) disabled(label string) bool {
	h.t.Helper()
	return h.tappable(label).(interface{ Disabled() bool }).Disabled()
}

// visible lists the objects of type T on screen, in order.
func visible[T fyne.CanvasObject](h *harness) []T { return tour.All[T](h.win.Content()) }

// choices lists the choice cards on screen, in order.
func (h *harness) choices() []*kiosk.Choice { return visible[*kiosk.Choice](h) }

// entries lists the text fields on screen, in order.
func (h *harness) entries() []*kiosk.TextField { return visible[*kiosk.TextField](h) }

// fill replaces the text of the i-th field by typing, as a visitor would.
func (h *harness) fill(i int, text string) {
	h.t.Helper()
	es := h.entries()
	if i >= len(es) {
		h.t.Fatalf("screen %s has %d text fields, want field %d", h.k.Session().Screen, len(es), i)
	}
	es[i].SetText("")
	test.Type(es[i], text)
}

// images lists the pictures on screen built from Go images (the QR codes).
func (h *harness) images() []*canvas.Image {
	var out []*canvas.Image
	for _, img := range visible[*canvas.Image](h) {
		if img.Image != nil {
			out = append(out, img)
		}
	}
	return out
}

// onlyQR returns the one QR image on screen.
func (h *harness) onlyQR() image.Image {
	h.t.Helper()
	imgs := h.images()
	if len(imgs) != 1 {
		h.t.Fatalf("screen %s shows %d QR images, want 1", h.k.Session().Screen, len(imgs))
	}
	if min := imgs[0].MinSize(); min.Width < 300 || min.Height < 300 {
		h.t.Fatalf("QR is drawn at %v, want at least 300×300", min)
	}
	if imgs[0].ScaleMode != canvas.ImageScalePixels {
		h.t.Fatal("QR is smoothed; its modules must stay sharp")
	}
	return imgs[0].Image
}

// assertTall checks that everything tappable on screen is at least MinTarget
// high, as laid out, and with mustFit that the screen fits its window.
func (h *harness) assertTall() {
	h.t.Helper()
	if h.mustFit {
		h.checkFits(h.k.Session().Screen.String(), true)
	}
	walk(h.win.Content(), func(o fyne.CanvasObject) {
		switch o.(type) {
		case *kiosk.Button, *kiosk.Choice, *kiosk.TextField, *widget.Check:
			if got := o.Size().Height; got < kiosk.MinTarget {
				h.t.Errorf("screen %s: %T %q is %.0f px high, want ≥ %d", h.k.Session().Screen, o, textOf(o), got, kiosk.MinTarget)
			}
		}
	})
}
