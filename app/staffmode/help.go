package staffmode

import (
	"context"
	"slices"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// HelpDesk is the gateway's queue of visitors' calls for help. SignedIn is
// called on the UI thread and must be quick; the others run in goroutines.
type HelpDesk interface {
	// SignedIn is the staff member's name, "" if nobody is signed in.
	SignedIn() string
	// SignIn signs staff in with their back-office account: only then may
	// they take a call.
	SignIn(ctx context.Context, name, password string) error
	Queue(ctx context.Context) ([]HelpCall, error)
	// SetState moves a call on: "on-the-way" or "handled".
	SetState(ctx context.Context, id string, state string) error
}

// HelpCall is one visitor's call for help.
type HelpCall struct {
	ID, Location, Language string
	At                     time.Time
	State                  string // "open", "on-the-way" or "handled"
	TakenBy                string
}

const (
	stateOnTheWay = "on-the-way"
	stateHandled  = "handled"
	// helpEvery is how often the list refreshes while shown: a visitor
	// should not wait long for the call to show up.
	helpEvery   = 10 * time.Second
	helpTimeout = 15 * time.Second
)

// helpTab shows the open calls to signed-in staff.
type helpTab struct {
	p       *Panel
	content *fyne.Container // holds one view: practice, sign-in or queue

	name, password *widget.Entry
	signIn         *widget.Button
	signInMessage  *widget.Label

	signInView, queueView fyne.CanvasObject

	who, status *widget.Label
	again       *widget.Button
	list        *fyne.Container
	calls       []HelpCall
	busy        bool
}

func newHelpTab(p *Panel) *helpTab {
	h := &helpTab{p: p, content: container.NewStack()}
	if p.o.Help == nil {
		note := widget.NewLabel("Deze balie staat in oefenmodus: ze is niet met een gateway verbonden. " +
			"In oefenmodus gaan hulpvragen van bezoekers naar niemand.")
		note.Wrapping = fyne.TextWrapWord
		h.content.Add(container.NewVBox(heading("Hulpvragen"), note))
		return h
	}

	h.name = widget.NewEntry()
	h.name.SetPlaceHolder("naam van uw account")
	h.password = widget.NewPasswordEntry()
	h.password.SetPlaceHolder("wachtwoord")
	h.password.OnSubmitted = func(string) { h.signInTapped() }
	var signInBox fyne.CanvasObject
	h.signIn, signInBox = newButton("Aanmelden", theme.LoginIcon(), h.signInTapped)
	h.signIn.Importance = widget.HighImportance
	h.signInMessage = message()
	say(h.signInMessage, "", false)

	h.who = widget.NewLabel("")
	h.status = message()
	say(h.status, "", false)
	var againBox fyne.CanvasObject
	h.again, againBox = newButton("Vernieuwen", theme.ViewRefreshIcon(), h.refresh)
	h.list = container.NewVBox()

	intro := widget.NewLabel("Meld u aan met uw account van de back office om hulpvragen op te nemen.")
	intro.Wrapping = fyne.TextWrapWord
	h.signInView = container.NewVBox(heading("Hulpvragen"), intro,
		field("Naam", tall(h.name)), field("Wachtwoord", tall(h.password)),
		beside(signInBox, h.signInMessage))
	hint := widget.NewLabel(`De oudste eerst. "Ik kom eraan" zet uw naam bij de vraag, zodat een collega niet ook gaat.`)
	hint.Wrapping = fyne.TextWrapWord
	top := container.NewVBox(heading("Hulpvragen aan de kiosken"), h.who, hint,
		beside(againBox, h.status), widget.NewSeparator())
	h.queueView = container.NewBorder(top, nil, nil, nil, container.NewVScroll(h.list))
	h.showView()
	return h
}

// showView shows the queue to signed-in staff, the sign-in form to others.
func (h *helpTab) showView() {
	view := h.signInView
	if who := h.p.o.Help.SignedIn(); who != "" {
		h.who.SetText("Aangemeld als " + who)
		view = h.queueView
	}
	if len(h.content.Objects) == 0 || h.content.Objects[0] != view {
		h.content.Objects = []fyne.CanvasObject{view}
		h.content.Refresh()
	}
}

// start loads the list and refreshes it every helpEvery while it is
// shown, until the panel stops.
func (h *helpTab) start() {
	if h.p.o.Help == nil {
		return
	}
	h.refresh()
	ticks, stop := h.p.env.clk.Ticker(helpEvery)
	done := h.p.ctx.Done()
	go func() {
		defer stop()
		for {
			select {
			case <-done:
				return
			case <-ticks:
				h.p.env.toUI(h.tick)
			}
		}
	}()
}

func (h *helpTab) tick() {
	if h.p.ctx.Err() == nil && h.p.shown == pageHelp {
		h.refresh()
	}
}

func (h *helpTab) signInTapped() {
	name, password := h.name.Text, h.password.Text
	if name == "" || password == "" {
		say(h.signInMessage, "Vul uw naam en uw wachtwoord in.", true)
		return
	}
	h.signIn.Disable()
	say(h.signInMessage, "Bezig met aanmelden…", false)
	ctx, cancel := context.WithTimeout(h.p.ctx, helpTimeout)
	var err error
	h.p.env.background(func() { err = h.p.o.Help.SignIn(ctx, name, password) }, func() {
		cancel()
		h.signIn.Enable()
		h.password.SetText("")
		if err != nil {
			say(h.signInMessage, err.Error(), true)
			return
		}
		say(h.signInMessage, "", false)
		h.showView()
		h.refresh()
	})
}

// refresh loads the queue off the UI thread. On an error the list stays
// as it was, with the error above it.
func (h *helpTab) refresh() {
	if h.busy || h.p.o.Help.SignedIn() == "" {
		return
	}
	h.busy = true
	h.again.Disable()
	ctx, cancel := context.WithTimeout(h.p.ctx, helpTimeout)
	var calls []HelpCall
	var err error
	h.p.env.background(func() { calls, err = h.p.o.Help.Queue(ctx) }, func() {
		cancel()
		h.busy = false
		h.again.Enable()
		h.showView()
		if err != nil {
			say(h.status, "Vernieuwen is niet gelukt: "+err.Error(), true)
			return
		}
		h.calls = calls
		h.render()
		say(h.status, "Bijgewerkt om "+h.p.env.clk.Now().Format("15:04"), false)
	})
}

// render lists the open calls, oldest first.
func (h *helpTab) render() {
	open := slices.DeleteFunc(slices.Clone(h.calls), func(c HelpCall) bool { return c.State == stateHandled })
	slices.SortStableFunc(open, func(a, b HelpCall) int { return a.At.Compare(b.At) })
	h.list.RemoveAll()
	if len(open) == 0 {
		h.list.Add(widget.NewLabel("Geen open hulpvragen."))
	}
	now := h.p.env.clk.Now()
	for _, c := range open {
		h.list.Add(h.row(c, now))
		h.list.Add(widget.NewSeparator())
	}
}

func (h *helpTab) row(c HelpCall, now time.Time) fyne.CanvasObject {
	where := c.Location
	if where == "" {
		where = "Balie zonder naam"
	}
	title := widget.NewLabel(where)
	title.TextStyle.Bold = true
	state := "open"
	if c.State == stateOnTheWay {
		state = c.TakenBy + " komt eraan"
	}
	detail := widget.NewLabel(label(h.p.o.Languages, c.Language) + " · " + waiting(now.Sub(c.At)) + " · " + state)
	detail.Wrapping = fyne.TextWrapWord

	take, takeBox := newButton("Ik kom eraan", theme.NavigateNextIcon(), nil)
	take.Importance = widget.HighImportance
	done, doneBox := newButton("Afgehandeld", theme.ConfirmIcon(), nil)
	take.OnTapped = func() { h.setState(c.ID, stateOnTheWay, take, done) }
	done.OnTapped = func() { h.setState(c.ID, stateHandled, take, done) }
	buttons := container.NewHBox(doneBox)
	if c.State != stateOnTheWay {
		buttons = container.NewHBox(takeBox, doneBox)
	}
	return container.NewBorder(nil, nil, nil, buttons, container.NewVBox(title, detail))
}

// setState moves a call on, then shows the list as it now is.
func (h *helpTab) setState(id, state string, buttons ...*widget.Button) {
	for _, b := range buttons {
		b.Disable()
	}
	ctx, cancel := context.WithTimeout(h.p.ctx, helpTimeout)
	var err error
	h.p.env.background(func() { err = h.p.o.Help.SetState(ctx, id, state) }, func() {
		cancel()
		for _, b := range buttons {
			b.Enable()
		}
		if err != nil {
			say(h.status, "Niet gelukt: "+err.Error(), true)
			h.showView()
			return
		}
		for i := range h.calls { // show the change at once; the refresh confirms it
			if h.calls[i].ID == id {
				h.calls[i].State, h.calls[i].TakenBy = state, h.p.o.Help.SignedIn()
			}
		}
		h.render()
		say(h.status, "", false)
		h.refresh()
	})
}

// waiting is how long a visitor has waited: "wacht 4 min".
func waiting(d time.Duration) string {
	m := int(d / time.Minute)
	switch {
	case m < 1:
		return "wacht minder dan 1 min"
	case m < 60:
		return "wacht " + strconv.Itoa(m) + " min"
	}
	return "wacht " + strconv.Itoa(m/60) + " u " + strconv.Itoa(m%60) + " min"
}
