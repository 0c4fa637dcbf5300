package staffmode

import (
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

var monday = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// fakeClock is moved by hand. Its timers and tickers fire during Advance.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	timers  []*fakeTimer
	tickers []*fakeTicker
}

type fakeTimer struct {
	at      time.Time
	f       func()
	stopped bool
}

type fakeTicker struct {
	next    time.Time
	every   time.Duration
	c       chan time.Time
	stopped bool
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *fakeClock) AfterFunc(d time.Duration, f func()) func() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{at: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		was := !t.stopped
		t.stopped = true
		return was
	}
}

func (c *fakeClock) Ticker(d time.Duration) (<-chan time.Time, func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTicker{next: c.now.Add(d), every: d, c: make(chan time.Time, 1)}
	c.tickers = append(c.tickers, t)
	return t.c, func() { c.mu.Lock(); t.stopped = true; c.mu.Unlock() }
}

// Advance moves the clock, fires the timers that are due and ticks the
// tickers (dropping ticks nobody took, like time.Ticker).
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	var due []func()
	for _, t := range c.timers {
		if !t.stopped && !t.at.After(c.now) {
			t.stopped = true
			due = append(due, t.f)
		}
	}
	for _, t := range c.tickers {
		for !t.stopped && !t.next.After(c.now) {
			select {
			case t.c <- t.next:
			default:
			}
			t.next = t.next.Add(t.every)
		}
	}
	c.mu.Unlock()
	for _, f := range due {
		f()
	}
}

// uiQueue stands in for fyne.Do: background goroutines queue their UI
// work, and the test goroutine runs it, as the one UI thread.
type uiQueue struct {
	mu   sync.Mutex
	fns  []func()
	more chan struct{}
}

func (q *uiQueue) do(f func()) {
	q.mu.Lock()
	q.fns = append(q.fns, f)
	q.mu.Unlock()
	select {
	case q.more <- struct{}{}:
	default:
	}
}

func (q *uiQueue) take() []func() {
	q.mu.Lock()
	defer q.mu.Unlock()
	fns := q.fns
	q.fns = nil
	return fns
}

// wait runs UI work as it arrives until n calls have run.
func (q *uiQueue) wait(t *testing.T, n int) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for n > 0 {
		fns := q.take()
		for _, f := range fns {
			f()
		}
		n -= len(fns)
		if n <= 0 {
			return
		}
		select {
		case <-q.more:
		case <-deadline:
			t.Fatalf("waited 10 s for %d more calls back to the UI", n)
		}
	}
}

// idle tells that nothing came back to the UI within a short while.
func (q *uiQueue) idle(t *testing.T) {
	t.Helper()
	time.Sleep(20 * time.Millisecond)
	if fns := q.take(); len(fns) > 0 {
		t.Fatalf("%d unexpected calls back to the UI", len(fns))
	}
}

// setup makes a fresh test app and swaps in a fake clock and UI queue for
// the widgets made after it.
func setup(t *testing.T) (*fakeClock, *uiQueue) {
	t.Helper()
	test.NewTempApp(t)
	clk := &fakeClock{now: monday}
	q := &uiQueue{more: make(chan struct{}, 1)}
	oldClock, oldUI := defaultClock, defaultToUI
	defaultClock, defaultToUI = clk, q.do
	t.Cleanup(func() { defaultClock, defaultToUI = oldClock, oldUI })
	return clk, q
}

// visible walks the shown objects under o: containers' children and
// widgets' rendered parts.
func visible(o fyne.CanvasObject) []fyne.CanvasObject {
	if o == nil || !o.Visible() {
		return nil
	}
	all := []fyne.CanvasObject{o}
	var children []fyne.CanvasObject
	switch o := o.(type) {
	case *fyne.Container:
		children = o.Objects
	case fyne.Widget:
		children = test.WidgetRenderer(o).Objects()
	}
	for _, c := range children {
		all = append(all, visible(c)...)
	}
	return all
}

func find[T fyne.CanvasObject](root fyne.CanvasObject, match func(T) bool) []T {
	var found []T
	for _, o := range visible(root) {
		if w, ok := o.(T); ok && match(w) {
			found = append(found, w)
		}
	}
	return found
}

// button finds the one shown button with text.
func button(t *testing.T, root fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	bs := find(root, func(b *widget.Button) bool { return b.Text == text })
	if len(bs) != 1 {
		t.Fatalf("%d buttons %q shown, want 1; the screen shows:\n%s", len(bs), text, texts(root))
	}
	return bs[0]
}

func hasButton(root fyne.CanvasObject, text string) bool {
	return len(find(root, func(b *widget.Button) bool { return b.Text == text })) > 0
}

// labelWith finds the shown label whose text contains part.
func labelWith(t *testing.T, root fyne.CanvasObject, part string) *widget.Label {
	t.Helper()
	ls := find(root, func(l *widget.Label) bool { return strings.Contains(l.Text, part) })
	if len(ls) == 0 {
		t.Fatalf("no label with %q shown; the screen shows:\n%s", part, texts(root))
	}
	return ls[0]
}

func entry(t *testing.T, root fyne.CanvasObject, placeholder string) *widget.Entry {
	t.Helper()
	es := find(root, func(e *widget.Entry) bool { return e.PlaceHolder == placeholder })
	if len(es) != 1 {
		t.Fatalf("%d entries %q shown, want 1", len(es), placeholder)
	}
	return es[0]
}

// texts is every shown text under root, one a line, for failure messages
// and to assert on.
func texts(root fyne.CanvasObject) string {
	var b strings.Builder
	for _, o := range visible(root) {
		switch o := o.(type) {
		case *widget.Label:
			b.WriteString(o.Text + "\n")
		case *widget.Button:
			b.WriteString("[" + o.Text + "]\n")
		case *widget.Check:
			b.WriteString("☐ " + o.Text + "\n")
		case *canvas.Text:
		}
	}
	return b.String()
}

func shows(root fyne.CanvasObject, part string) bool { return strings.Contains(texts(root), part) }
