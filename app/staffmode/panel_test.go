package staffmode

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

var (
	languages = []Choice{{"nl", "Nederlands"}, {"fr", "Frans"}, {"en", "Engels"}, {"ar", "Arabisch"}, {"tr", "Turks"}, {"uk", "Oekraïens"}}
	themes    = []Choice{{"energie", "Energie en premies"}, {"wonen", "Wonen"}, {"id", "Identiteitskaart en paspoort"}}
	current   = Settings{Location: "Inkomhal", Languages: []string{"nl", "fr"}, DefaultLanguage: "nl",
		Themes: []string{"energie"}, Idle: 90 * time.Second, Volume: 1}
)

// panelFixture is a staff panel in a window, with fakes behind it.
type panelFixture struct {
	t      *testing.T
	clk    *fakeClock
	ui     *uiQueue
	panel  *Panel
	win    fyne.Window
	saved  []Settings
	saveTo error
	closed int
}

func newPanel(t *testing.T, change func(*Options)) *panelFixture {
	clk, ui := setup(t)
	f := &panelFixture{t: t, clk: clk, ui: ui}
	o := Options{
		Settings: current, Languages: languages, Themes: themes,
		Save: func(s Settings) error {
			f.saved = append(f.saved, s)
			return f.saveTo
		},
		Close: func() { f.closed++ },
		Book:  func() {},
	}
	if change != nil {
		change(&o)
	}
	f.panel = NewPanel(o)
	t.Cleanup(f.panel.Stop)
	f.win = test.NewTempWindow(t, f.panel.Content())
	f.win.Resize(fyne.NewSize(1280, 720))
	return f
}

func (f *panelFixture) root() fyne.CanvasObject { return f.panel.Content() }

func (f *panelFixture) tap(text string) { f.t.Helper(); test.Tap(button(f.t, f.root(), text)) }

func (f *panelFixture) check(text string) *widget.Check {
	f.t.Helper()
	cs := find(f.root(), func(c *widget.Check) bool { return c.Text == text })
	if len(cs) != 1 {
		f.t.Fatalf("%d checks %q", len(cs), text)
	}
	return cs[0]
}

func (f *panelFixture) selectWith(option string) *widget.Select {
	f.t.Helper()
	ss := find(f.root(), func(s *widget.Select) bool { return slices.Contains(s.Options, option) || s.Selected == option })
	if len(ss) != 1 {
		f.t.Fatalf("%d selects with %q", len(ss), option)
	}
	return ss[0]
}

func TestSettingsSave(t *testing.T) {
	f := newPanel(t, nil)
	f.tap("Instellingen")
	if !f.check("Frans").Checked || f.check("Engels").Checked || !f.check("Energie en premies").Checked {
		t.Fatal("the checks do not show the current settings")
	}

	test.Tap(f.check("Nederlands")) // the default is no longer offered
	f.tap("Bewaren")
	labelWith(t, f.root(), "De standaardtaal moet een van de aangeboden talen zijn.")
	labelWith(t, f.root(), "Niet bewaard")
	test.Tap(f.check("Frans"))
	f.tap("Bewaren")
	labelWith(t, f.root(), "Bied minstens één taal aan.")
	test.Tap(f.check("Energie en premies"))
	f.tap("Bewaren")
	labelWith(t, f.root(), "Bied minstens één thema aan.")
	if len(f.saved) != 0 {
		t.Fatalf("an invalid form was saved: %+v", f.saved)
	}

	test.Tap(f.check("Nederlands"))
	test.Tap(f.check("Arabisch"))
	test.Tap(f.check("Wonen"))
	test.Tap(f.check("Identiteitskaart en paspoort"))
	f.selectWith("Arabisch").SetSelected("Arabisch")
	location := entry(t, f.root(), "bv. Stadskantoor, inkomhal")
	location.SetText("")
	test.Type(location, "Stadskantoor, 2de verdieping")
	f.selectWith("3 minuten").SetSelected("3 minuten")
	test.Type(entry(t, f.root(), "https://… (leeg: oefenmodus)"), "ftp://balie.gent.be")
	find(f.root(), func(*widget.RadioGroup) bool { return true })[0].SetSelected("Luid")
	f.tap("Bewaren")
	labelWith(t, f.root(), "Het adres moet met https:// of http:// beginnen")
	labelWith(t, f.root(), "Met een gateway is een toesteltoken nodig.")

	gateway := entry(t, f.root(), "https://… (leeg: oefenmodus)")
	gateway.SetText("")
	test.Type(gateway, "https://balie.gent.be")
	tokens := find(f.root(), func(e *widget.Entry) bool { return e.Password })
	test.Type(tokens[0], "tok-123")
	f.tap("Bewaren")
	want := Settings{Location: "Stadskantoor, 2de verdieping", Languages: []string{"nl", "ar"}, DefaultLanguage: "ar",
		Themes: []string{"wonen", "id"}, Idle: 3 * time.Minute, Gateway: "https://balie.gent.be", DeviceToken: "tok-123", Volume: 2}
	if len(f.saved) != 1 || !reflect.DeepEqual(f.saved[0], want) {
		t.Fatalf("saved %+v\nwant  %+v", f.saved, want)
	}
	labelWith(t, f.root(), "Bewaard")
	if shows(f.root(), "Niet bewaard") || shows(f.root(), "toesteltoken nodig") {
		t.Error("old problems stay shown after a good save")
	}

	f.saveTo = errors.New("het configuratiebestand is alleen-lezen")
	test.Type(location, "!")
	if shows(f.root(), "Bewaard") {
		t.Error(`"Bewaard" stays after a change`)
	}
	f.tap("Bewaren")
	labelWith(t, f.root(), "Niet bewaard: het configuratiebestand is alleen-lezen")
}

func TestSettingsOddIdleKept(t *testing.T) {
	f := newPanel(t, func(o *Options) { o.Settings.Idle = 4 * time.Minute })
	f.tap("Instellingen")
	if s := f.selectWith("4 minuten"); s.Selected != "4 minuten" {
		t.Fatalf("idle select shows %q", s.Selected)
	}
	f.tap("Bewaren")
	if len(f.saved) != 1 || f.saved[0].Idle != 4*time.Minute {
		t.Fatalf("saved %+v", f.saved)
	}
}

func TestTestConnection(t *testing.T) {
	release := make(chan error)
	var got []string
	f := newPanel(t, func(o *Options) {
		o.Settings.Gateway, o.Settings.DeviceToken = "https://balie.gent.be", "tok"
		o.TestConnection = func(ctx context.Context, gateway, token string) error {
			got = append(got, gateway, token) // read after the UI call comes back
			return <-release
		}
	})
	f.tap("Instellingen")
	f.tap("Verbinding testen")
	labelWith(t, f.root(), "Bezig met testen…")
	if !button(t, f.root(), "Verbinding testen").Disabled() {
		t.Fatal("the button works while testing")
	}
	f.ui.idle(t)
	release <- nil
	f.ui.wait(t, 1)
	labelWith(t, f.root(), "Verbinding in orde")
	if button(t, f.root(), "Verbinding testen").Disabled() {
		t.Fatal("the button stays disabled")
	}
	if !slices.Equal(got, []string{"https://balie.gent.be", "tok"}) {
		t.Errorf("tested %q", got)
	}

	f.tap("Verbinding testen")
	release <- errors.New("De gateway kent dit toesteltoken niet.")
	f.ui.wait(t, 1)
	labelWith(t, f.root(), "De gateway kent dit toesteltoken niet.")
	if shows(f.root(), "Verbinding in orde") {
		t.Error("the old result stays")
	}

	entry(t, f.root(), "https://… (leeg: oefenmodus)").SetText("")
	f.tap("Verbinding testen")
	labelWith(t, f.root(), "Vul eerst het adres van de gateway in.")
}

func TestHealth(t *testing.T) {
	var mu sync.Mutex
	h := Health{GatewayOK: false, GatewayDetail: "geen antwoord binnen 5 seconden", Version: "1.4.2",
		FreeDisk: 12_345_678_901, DiskPath: "/var/lib/balie"}
	f := newPanel(t, func(o *Options) {
		o.Health = func(context.Context) Health { mu.Lock(); defer mu.Unlock(); return h }
	})
	f.tap("Toestand")
	labelWith(t, f.root(), "Bezig met controleren…")
	f.ui.wait(t, 1)
	// Each line is its text, then its marker (a Border lists its centre first).
	for _, line := range []string{
		"Gateway: geen antwoord binnen 5 seconden\nPROBLEEM\n",
		"Versie van de software: 1.4.2\nOK\n",
		"Stemmen om voor te lezen: geen gevonden, voorlezen werkt niet\nPROBLEEM\n",
		"Vrije schijfruimte (/var/lib/balie): 12,3 GB\nOK\n",
	} {
		if !shows(f.root(), line) {
			t.Errorf("health does not show\n%s\nit shows:\n%s", line, texts(f.root()))
		}
	}

	mu.Lock()
	h = Health{GatewayOK: true, Voices: []string{"nl-BE Ellen", "fr-BE"}, FreeDisk: 500 << 20}
	mu.Unlock()
	f.tap("Vernieuwen")
	if !button(t, f.root(), "Vernieuwen").Disabled() {
		t.Error("Vernieuwen works while checking")
	}
	f.ui.wait(t, 1)
	for _, line := range []string{
		"Gateway: bereikbaar\nOK\n",
		"Versie van de software: onbekend\nONBEKEND\n",
		"Stemmen om voor te lezen: nl-BE Ellen, fr-BE\nOK\n",
		"Vrije schijfruimte: 0,5 GB, te weinig\nPROBLEEM\n",
	} {
		if !shows(f.root(), line) {
			t.Errorf("health does not show\n%s\nit shows:\n%s", line, texts(f.root()))
		}
	}
}

// helpDesk is a gateway's help queue in memory.
type helpDesk struct {
	mu         sync.Mutex
	who        string
	calls      []HelpCall
	queueErr   error
	queueCalls int
}

func (d *helpDesk) SignedIn() string { d.mu.Lock(); defer d.mu.Unlock(); return d.who }

func (d *helpDesk) SignIn(_ context.Context, name, password string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if password != "juist wachtwoord" {
		return errors.New("Naam of wachtwoord klopt niet.")
	}
	d.who = name
	return nil
}

func (d *helpDesk) Queue(context.Context) ([]HelpCall, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.queueCalls++
	return slices.Clone(d.calls), d.queueErr
}

func (d *helpDesk) SetState(_ context.Context, id, state string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	for i := range d.calls {
		if d.calls[i].ID == id {
			d.calls[i].State, d.calls[i].TakenBy = state, d.who
			return nil
		}
	}
	return errors.New("Deze hulpvraag bestaat niet meer.")
}

func (d *helpDesk) call(id string) HelpCall {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, c := range d.calls {
		if c.ID == id {
			return c
		}
	}
	return HelpCall{}
}

func (d *helpDesk) queued() int { d.mu.Lock(); defer d.mu.Unlock(); return d.queueCalls }

func newHelpDesk() *helpDesk {
	return &helpDesk{calls: []HelpCall{
		{ID: "h2", Location: "Balie 2, wachtzaal", Language: "nl", At: monday.Add(-90 * time.Second), State: "open"},
		{ID: "h1", Location: "Balie 1, inkom", Language: "ar", At: monday.Add(-4 * time.Minute), State: "open"},
		{ID: "h3", Location: "Balie 3", Language: "fr", At: monday.Add(-6 * time.Minute), State: "on-the-way", TakenBy: "Ann"},
		{ID: "h0", Location: "Balie 4", Language: "en", At: monday.Add(-time.Hour), State: "handled"},
	}}
}

func TestHelpDesk(t *testing.T) {
	desk := newHelpDesk()
	f := newPanel(t, func(o *Options) { o.Help = desk })
	f.ui.idle(t) // nobody signed in: nothing to load
	labelWith(t, f.root(), "Meld u aan met uw account van de back office")

	f.tap("Aanmelden")
	labelWith(t, f.root(), "Vul uw naam en uw wachtwoord in.")
	test.Type(entry(t, f.root(), "naam van uw account"), "Jan")
	password := entry(t, f.root(), "wachtwoord")
	test.Type(password, "fout")
	f.tap("Aanmelden")
	if !button(t, f.root(), "Aanmelden").Disabled() {
		t.Error("Aanmelden works while signing in")
	}
	f.ui.wait(t, 1)
	labelWith(t, f.root(), "Naam of wachtwoord klopt niet.")
	if password.Text != "" {
		t.Error("a refused password stays in the form")
	}
	test.Type(password, "juist wachtwoord")
	f.tap("Aanmelden")
	f.ui.wait(t, 2) // the sign-in, then the list
	labelWith(t, f.root(), "Aangemeld als Jan")

	want := "Balie 3\nFrans · wacht 6 min · Ann komt eraan\n[Afgehandeld]\n" +
		"Balie 1, inkom\nArabisch · wacht 4 min · open\n[Ik kom eraan]\n[Afgehandeld]\n" +
		"Balie 2, wachtzaal\nNederlands · wacht 1 min · open\n[Ik kom eraan]\n[Afgehandeld]\n"
	if !shows(f.root(), want) {
		t.Fatalf("the list is not the open calls oldest first; it shows:\n%s", texts(f.root()))
	}
	if shows(f.root(), "Balie 4") {
		t.Error("a handled call is listed")
	}

	test.Tap(find(f.root(), func(b *widget.Button) bool { return b.Text == "Ik kom eraan" })[0])
	f.ui.wait(t, 2) // the change, then the list
	if c := desk.call("h1"); c.State != "on-the-way" || c.TakenBy != "Jan" {
		t.Fatalf("after Ik kom eraan the call is %+v", c)
	}
	labelWith(t, f.root(), "Arabisch · wacht 4 min · Jan komt eraan")

	test.Tap(find(f.root(), func(b *widget.Button) bool { return b.Text == "Afgehandeld" })[0])
	f.ui.wait(t, 2)
	if desk.call("h3").State != "handled" || shows(f.root(), "Balie 3\n") {
		t.Fatal("Afgehandeld does not take the call off the list")
	}

	desk.mu.Lock()
	desk.queueErr = errors.New("de gateway antwoordt niet")
	desk.mu.Unlock()
	f.tap("Vernieuwen")
	f.ui.wait(t, 1)
	labelWith(t, f.root(), "Vernieuwen is niet gelukt: de gateway antwoordt niet")
	labelWith(t, f.root(), "Balie 1, inkom") // the list stays

	// Every 10 s while shown; not while another page is; not after Stop.
	n := desk.queued()
	f.clk.Advance(10 * time.Second)
	f.ui.wait(t, 2) // the tick, then the list
	if desk.queued() != n+1 {
		t.Fatalf("10 s later the list was loaded %d times, want 1", desk.queued()-n)
	}
	f.tap("Toestand")
	f.clk.Advance(10 * time.Second)
	f.ui.wait(t, 1)
	f.ui.idle(t)
	if desk.queued() != n+1 {
		t.Fatal("the list refreshes while not shown")
	}
	f.tap("Hulpvragen")
	f.tap("Staff-modus sluiten")
	if f.closed != 1 {
		t.Fatal("Staff-modus sluiten does not close")
	}
	// The ticker's goroutine may still pass on a tick it had; tick then
	// does nothing.
	f.clk.Advance(time.Minute)
	time.Sleep(50 * time.Millisecond)
	for _, fn := range f.ui.take() {
		fn()
	}
	time.Sleep(20 * time.Millisecond)
	if desk.queued() != n+1 {
		t.Fatal("the list refreshes after the panel closed")
	}
}

func TestHelpInPracticeMode(t *testing.T) {
	f := newPanel(t, nil)
	labelWith(t, f.root(), "In oefenmodus gaan hulpvragen van bezoekers naar niemand.")
	f.ui.idle(t)
}

func TestWaiting(t *testing.T) {
	for d, want := range map[time.Duration]string{
		30 * time.Second: "wacht minder dan 1 min", 4*time.Minute + 59*time.Second: "wacht 4 min",
		65 * time.Minute: "wacht 1 u 5 min",
	} {
		if got := waiting(d); got != want {
			t.Errorf("waiting(%v) = %q, want %q", d, got, want)
		}
	}
}

// Everything staff tap is at least 48 px high, on every page and the PIN
// pad, and a check toggles wherever its row is tapped.
func TestTouchSizes(t *testing.T) {
	f := newPanel(t, func(o *Options) { o.Help = newHelpDesk(); o.Health = func(context.Context) Health { return Health{} } })
	pad := NewPINPad("Staff-modus", func(string) error { return nil }, nil, nil)
	test.NewTempWindow(t, pad).Resize(fyne.NewSize(1280, 720))
	tooSmall := func(root fyne.CanvasObject, where string) {
		for _, o := range visible(root) {
			switch o.(type) {
			case *widget.Button, *widget.Entry, *widget.Select, *widget.Slider, *checkRow:
				if o.Size().Height < 48 {
					t.Errorf("%s: a %T is %v px high", where, o, o.Size().Height)
				}
			}
		}
	}
	tooSmall(pad, "PIN pad")
	for _, page := range []string{pageHelp, pageSettings, pageHealth} {
		f.tap(page)
		f.ui.wait(t, 0)
		tooSmall(f.root(), page)
	}

	f.tap(pageSettings)
	rows := find(f.root(), func(r *checkRow) bool { return r.check.Text == "Turks" })
	test.TapAt(rows[0], fyne.NewPos(rows[0].Size().Width-2, rows[0].Size().Height-2))
	if !f.check("Turks").Checked {
		t.Error("tapping the corner of a check's row does not check it")
	}
}
