package kiosk

import (
	"context"
	"log/slog"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/digitalebalie/balie/app/city"
	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/session"
	"github.com/digitalebalie/balie/app/speech"
	"github.com/digitalebalie/balie/i18n"
)

// Config is what the kiosk needs from its program.
type Config struct {
	Backend  domain.Backend
	Messages *i18n.Catalog
	// Practice shows the practice-mode banner: the demo backend is in use.
	Practice bool
	// PhoneBase is the public base URL of the phone page the QR codes open.
	PhoneBase string
	// BookingPage is the city's own booking page, which a QR code offers
	// when a booking could not be confirmed; empty offers none.
	BookingPage string
	// DefaultLang is the language the welcome screen starts in.
	DefaultLang string
	// Speech reads screens aloud (EN 301 549 5.1.3); nil leaves the
	// read-aloud button out.
	Speech speech.Speaker

	IdleTimeout   time.Duration // default 90 s
	IdleCountdown time.Duration // default 30 s; never less than 20 s
	CallTimeout   time.Duration // default 15 s: every wait ends within it

	// CallLimit ends a call window still open this long after it opened,
	// and wipes the session: a call forgotten by a visitor who walked
	// away. Default 90 minutes. While a call is open the idle timer waits.
	CallLimit time.Duration

	Now func() time.Time // default time.Now
	// OpenCall opens the video call link in its own window, in the
	// visitor's language; required to join.
	OpenCall func(link, lang string) (CallWindow, error)
	OnWipe   func()       // called on every wipe: closes the video call's browser
	Runner   Runner       // default GoRunner
	Log      *slog.Logger // operator log: never personal data
	Scale    float32      // text size; 1 is the default

	// Languages and Themes are what staff chose to offer here; empty
	// offers all.
	Languages []string
	Themes    []string
	// Location is where the kiosk stands, as its staff named it: help
	// requests and the figures carry it.
	Location string
	// RecordVisit receives the anonymous record of each visit when its
	// session is wiped; nil records nothing. It runs on the UI thread and
	// must not block (the program queues the record on disk).
	RecordVisit func(domain.Visit)
	// Colours are the city's for the main buttons; Logo its logo (PNG or
	// SVG), shown on the welcome screen.
	Colours city.Colours
	Logo    []byte
	// HelpLine is the city's help line: its hours ("08:00-19:00", on
	// working days) show when nobody came to a kiosk's call for help.
	HelpLine city.HelpLine
	// HelpWait is how long a visitor waits for staff before the help line
	// is offered; default 3 minutes. HelpPoll is how often the kiosk asks
	// whether someone took the call; default 10 s.
	HelpWait time.Duration
	HelpPoll time.Duration
	// KeepHelp keeps a call for staff on the kiosk's disk, to be sent once
	// the gateway can be reached again; nil drops it.
	KeepHelp func(domain.HelpRequest) error
	// Feedback asks for five faces and a suggestion at the end of a visit.
	Feedback bool
	// OnStaffHold is called when staff hold the welcome screen's title for
	// three seconds (or press Ctrl+Alt+S): the program asks for the PIN.
	OnStaffHold func()
}

func (c *Config) defaults() {
	if c.Scale <= 0 {
		c.Scale = 1
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = 90 * time.Second
	}
	if c.IdleCountdown < 20*time.Second {
		c.IdleCountdown = 30 * time.Second
	}
	if c.CallTimeout <= 0 {
		c.CallTimeout = 15 * time.Second
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Runner == nil {
		c.Runner = GoRunner{}
	}
	if c.CallLimit <= 0 {
		c.CallLimit = 90 * time.Minute
	}
	if c.Log == nil {
		c.Log = slog.Default()
	}
	if c.DefaultLang == "" {
		c.DefaultLang = i18n.Reference
	}
	if c.HelpWait <= 0 {
		c.HelpWait = 3 * time.Minute
	}
	if c.HelpPoll <= 0 {
		c.HelpPoll = 10 * time.Second
	}
}

// CallWindow is a video call's window, opened by Config.OpenCall.
type CallWindow interface {
	// Ended is closed once the window is gone.
	Ended() <-chan struct{}
	// Err, after Ended, is nil for a call that ended, or why the window
	// failed (the browser would not start, or quit at once).
	Err() error
}

// Kiosk is the running kiosk on one window: the frame around the screens,
// the idle timer and the call window. The screens are types of their own
// (screen_*.go); the navigator (navigator.go) builds them.
type Kiosk struct {
	cfg  Config
	win  fyne.Window
	sess *session.Session
	idle *session.Idle

	services []domain.Service // the city's catalogue, once loaded
	busy     string           // message id shown with a spinner while a call runs
	gen      int              // bumped on every wipe: late results of an old session are dropped
	warning  bool             // the "are you still there?" screen is up
	focus    fyne.Focusable   // what takes the cursor once the screen is drawn
	call     CallWindow       // the video call's window, while it is open
	callOpen time.Time        // when it opened, for CallLimit
	look     look             // what the theme in use was built for
	lastRead string           // the screen last read aloud, so each is read once
	paused   bool             // staff mode has the window
	// recovering: a panic is being handled by starting over.
	recovering bool

	shown    screen         // the screen on show
	shownFor session.Screen // the step it was built for
	shownGen int            // and the visitor
	scroller *pageScroll    // its scrolling area
}

// New draws the welcome screen on win.
func New(win fyne.Window, cfg Config) *Kiosk {
	cfg.defaults()
	k := &Kiosk{cfg: cfg, win: win, sess: session.New(cfg.DefaultLang)}
	k.idle = session.NewIdle(cfg.IdleTimeout, cfg.IdleCountdown, cfg.Now)
	k.look = look{scale: cfg.Scale}
	fyne.CurrentApp().Settings().SetTheme(newTheme(k.look, cfg.Colours))
	k.render()
	return k
}

// Redraw draws the current screen again, after its session was changed
// from outside a screen (tests set a fixed booking code this way).
func (k *Kiosk) Redraw() { k.render() }

// Session exposes the flow model to tests.
func (k *Kiosk) Session() *session.Session { return k.sess }

// t and n translate into the visitor's language.
func (k *Kiosk) t(id string, data map[string]any) string {
	return k.cfg.Messages.T(k.sess.Lang, id, data)
}

func (k *Kiosk) n(id string, count int, data map[string]any) string {
	return k.cfg.Messages.N(k.sess.Lang, id, count, data)
}

// act wraps a visitor's action: it counts as activity for the idle timer.
func (k *Kiosk) act(f func()) func() {
	return func() {
		k.safely("tap", func() {
			k.idle.Touch()
			if k.cfg.Speech != nil {
				k.cfg.Speech.Stop() // speech stops as soon as the visitor acts
			}
			f()
		})
	}
}

// goTo moves to screen and draws it.
func (k *Kiosk) goTo(s session.Screen) {
	k.sess.Go(s)
	k.render()
}

// StartOver wipes everything the visitor entered and shows the welcome
// screen.
func (k *Kiosk) StartOver() { k.wipe(false) }

// finish ends a visit that reached its goal: with the feedback question
// first when the kiosk asks it.
func (k *Kiosk) finish() {
	if k.cfg.Feedback && k.sess.Screen != session.Feedback {
		k.goTo(session.Feedback)
		return
	}
	k.StartOver()
}

// wipe records the visit, forgets it and shows the welcome screen.
func (k *Kiosk) wipe(timedOut bool) {
	k.endVisit(timedOut)
	k.gen++
	if k.cfg.OnWipe != nil {
		k.cfg.OnWipe()
	}
	k.sess.Wipe(k.cfg.DefaultLang)
	k.busy = ""
	k.warning = false
	k.focus = nil
	k.call = nil // OnWipe has closed its window
	k.lastRead = ""
	if k.cfg.Speech != nil {
		k.cfg.Speech.Reset() // silence, and the default volume for the next visitor
	}
	k.idle.Touch()
	k.render()
}

// Tick is called about once a second: it runs the idle timeout and keeps the
// join countdown current.
func (k *Kiosk) Tick() { k.safely("tick", k.tick) }

func (k *Kiosk) tick() {
	if k.paused {
		return
	}
	if k.call != nil {
		// The visitor is in the call, in another window: that is activity
		// the kiosk cannot see. Only a call forgotten for CallLimit ends.
		if k.cfg.Now().Sub(k.callOpen) >= k.cfg.CallLimit {
			k.cfg.Log.Info("call window open past the limit: ended", "limit", k.cfg.CallLimit.String())
			k.StartOver()
			return
		}
		k.idle.Touch()
		return
	}
	if !k.sess.HasVisitorData() || k.waitingForStaff() {
		k.idle.Touch()
		if t, ok := k.screen().(ticking); ok && k.busy == "" && t.changed() {
			k.render()
		}
		return
	}
	state, left := k.idle.State()
	switch state {
	case session.Expired:
		k.cfg.Log.Info("session timed out", "screen", k.sess.Screen.String())
		k.wipe(true)
		return
	case session.Warning:
		k.warning = true
		k.win.SetContent(k.stillThere(left))
		return
	}
	if t, ok := k.screen().(ticking); ok && k.busy == "" && t.changed() {
		k.render() // a countdown moved on, or a QR code's minute is up
	}
}

// waitingForStaff tells whether the visitor called staff and waits for
// them: standing still is then no sign of having left, up to a limit.
func (k *Kiosk) waitingForStaff() bool {
	s := k.sess
	return s.Screen == session.Help && (s.StaffCalled || s.HelpKept) && k.cfg.Now().Sub(s.HelpAt) < helpWaitLimit
}

// helpWaitLimit is how long a kiosk keeps a visitor's screen while they
// wait for staff without touching it.
const helpWaitLimit = 20 * time.Minute

// fetch runs a Backend call through the Runner with a spinner and a
// timeout, and hands its result to then on the UI thread (see watch).
// Every backend call goes through here.
func fetch[T any](k *Kiosk, busy string, work func(ctx context.Context) (T, error), then func(T, error)) {
	k.busy = busy
	k.render()
	watch(k, func() (T, error) {
		ctx, cancel := context.WithTimeout(context.Background(), k.cfg.CallTimeout)
		defer cancel()
		result, err := work(ctx)
		if err != nil && ctx.Err() != nil && domain.CodeOf(err) == domain.EInternal {
			err = domain.Errorf(domain.EUnavailable, "timed out: %w", err)
		}
		return result, err
	}, func(result T, err error) {
		k.busy = ""
		if err != nil {
			k.cfg.Log.Warn("backend call failed", "screen", k.sess.Screen.String(), "code", string(domain.CodeOf(err)), "err", err)
		}
		then(result, err)
	})
}

// watch runs work off the UI thread and hands its result to then on it,
// only while the visitor who started it is still the current one: a late
// result is dropped, never applied to the next visitor. work must not
// touch the kiosk; everything it learns goes back as its result. All
// background work goes through here.
func watch[T any](k *Kiosk, work func() (T, error), then func(T, error)) {
	gen := k.gen
	var result T
	var err error
	k.cfg.Runner.Run(func() {
		if perr := k.guardWork(func() { result, err = work() }); perr != nil {
			err = perr
		}
	}, func() {
		if gen == k.gen {
			k.safely("result", func() { then(result, err) })
		}
	})
}

// done is fetch's result for a call that returns only an error.
type done = struct{}

// rtl tells whether the visitor's language reads right to left.
func (k *Kiosk) rtl() bool { return k.cfg.Messages.Language(k.sess.Lang).RTL }

// followLook rebuilds the theme when the visitor's text size, contrast or
// script changed, and only then: a new theme redraws everything.
func (k *Kiosk) followLook() {
	want := look{
		scale:    k.cfg.Scale * TextSteps[min(max(k.sess.TextStep, 0), len(TextSteps)-1)],
		arabic:   k.rtl(),
		contrast: k.sess.HighContrast,
	}
	if want != k.look {
		k.look = want
		fyne.CurrentApp().Settings().SetTheme(newTheme(want, k.cfg.Colours))
	}
}

// back returns to the previous screen.
func (k *Kiosk) back() {
	k.sess.Back()
	k.render()
}

// backIcon is the arrow of a way back: it points left, or right in a
// right-to-left language.
func (k *Kiosk) backIcon() fyne.Resource {
	if k.rtl() {
		return theme.NavigateNextIcon()
	}
	return theme.NavigateBackIcon()
}

// forward gives a button that moves on its arrow at the end of the label,
// pointing the way the visitor reads.
func (k *Kiosk) forward(b *Button) *Button {
	b.Icon, b.IconPlacement = theme.NavigateNextIcon(), widget.ButtonIconTrailingText
	if k.rtl() {
		// Fyne draws a button's content left to right: the leading icon
		// is at the left end, where a right-to-left label ends.
		b.Icon, b.IconPlacement = theme.NavigateBackIcon(), widget.ButtonIconLeadingText
	}
	return b
}

// question is the top of every screen: the question in the visitor's
// language and, for another language, the same question in Dutch. Dates in
// data are written out in each language.
func (k *Kiosk) question(id string, data map[string]any) fyne.CanvasObject {
	m := k.cfg.Messages
	box := tight(heading(m.T(k.sess.Lang, id, k.withDates(k.sess.Lang, data))))
	if k.sess.Lang != i18n.Reference {
		box.Add(dutchLine(m.T(i18n.Reference, id, k.withDates(i18n.Reference, data)), k.rtl()))
	}
	return box
}

// confirmation is the top of a screen that confirms something done: Dutch
// first, then the visitor's language, as the Flemish language law asks of
// a translation.
func (k *Kiosk) confirmation(id string) fyne.CanvasObject {
	m := k.cfg.Messages
	if k.sess.Lang == i18n.Reference {
		return heading(m.T(i18n.Reference, id, nil))
	}
	return container.NewVBox(heading(m.T(i18n.Reference, id, nil)), heading(m.T(k.sess.Lang, id, nil)))
}

func (k *Kiosk) withDates(lang string, data map[string]any) map[string]any {
	out := make(map[string]any, len(data))
	for key, v := range data {
		if t, ok := v.(time.Time); ok {
			v = k.cfg.Messages.Date(lang, t, domain.Brussels)
		}
		out[key] = v
	}
	return out
}

// problem turns a failed call into a sentence in the visitor's language.
func (k *Kiosk) problem(code domain.ErrorCode) fyne.CanvasObject {
	id, count := "ErrorInternal", 0
	switch code {
	case domain.EUnavailable:
		id = "ErrorUnavailable"
	case domain.EOffline:
		id = "ErrorOffline"
	case domain.ERateLimited:
		id = "ErrorRateLimited"
	case domain.ESlotTaken:
		id = "ErrorSlotTaken"
	case domain.EContactQuota:
		id, count = "ErrorContactQuota", domain.MaxFutureAppointments
	case domain.EDeviceQuota:
		id = "ErrorDeviceQuota"
	}
	if count > 0 {
		return errorText(k.n(id, count, nil))
	}
	return errorText(k.t(id, nil))
}

// retry is the "try again" button after a failed call.
func (k *Kiosk) retry(again func()) fyne.CanvasObject {
	return primaryButton(k.t("ErrorRetry", nil), theme.ViewRefreshIcon(), k.act(again))
}

// askStartOver starts over at once, or, when the visitor has typed
// something not yet used, asks first: one stray tap must not lose a form.
func (k *Kiosk) askStartOver() {
	if !k.sess.HasUnfinishedInput() {
		k.StartOver()
		return
	}
	box := container.NewVBox(
		k.question("StartOverQuestion", nil),
		primaryButton(k.t("StartOverNo", nil), k.backIcon(), k.act(k.render)),
		NewButton(k.t("StartOverYes", nil), theme.HomeIcon(), k.act(k.StartOver)),
	)
	k.win.SetContent(container.NewPadded(container.NewVBox(layout.NewSpacer(), box, layout.NewSpacer())))
}

// stillThere is the full-screen idle warning.
func (k *Kiosk) stillThere(left time.Duration) fyne.CanvasObject {
	secs := int((left + time.Second - 1) / time.Second)
	yes := primaryButton(k.t("IdleContinue", nil), theme.ConfirmIcon(), k.act(k.render))
	restart := NewButton(k.t("NavStartOver", nil), theme.HomeIcon(), k.act(k.StartOver))
	box := container.NewVBox(
		k.question("IdleQuestion", nil),
		strong(k.n("IdleCountdown", secs, nil)),
		yes,
		restart,
	)
	return container.NewPadded(container.NewVBox(layout.NewSpacer(), box, layout.NewSpacer()))
}

// Busy tells whether a backend call is in flight, for tools that drive the
// kiosk (the tour).
func (k *Kiosk) Busy() bool { return k.busy != "" }
