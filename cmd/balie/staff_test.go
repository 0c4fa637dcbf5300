package main

import (
	"flag"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/digitalebalie/balie/app/city"
	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/kiosk"
	"github.com/digitalebalie/balie/app/staffmode"
	"github.com/digitalebalie/balie/app/store"
	"github.com/digitalebalie/balie/app/tour"
	"github.com/digitalebalie/balie/i18n"
)

// balie -set-pin stores an argon2id hash in the config file, and the
// staff mode's PIN accepts that PIN and no other.
func TestSetPIN(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kiosk.toml")
	cfg := defaultConfig()
	cfg.Location = "Digipunt Muide"
	if err := setPIN(path, cfg, strings.NewReader("12ab\n"), &strings.Builder{}); err == nil {
		t.Fatal("a PIN with letters was taken")
	}
	if err := setPIN(path, cfg, strings.NewReader("482916\n"), &strings.Builder{}); err != nil {
		t.Fatal(err)
	}
	got := loadFrom(t, path)
	if !strings.HasPrefix(got.StaffPINHash, "$argon2id$") || strings.Contains(readFile(t, path), "482916") || got.Location != "Digipunt Muide" {
		t.Fatalf("config after -set-pin: %+v", got)
	}
	pin := staffmode.NewPIN(got.StaffPINHash, nil)
	if err := pin.Check("482916"); err != nil {
		t.Errorf("the right PIN: %v", err)
	}
	if err := pin.Check("000000"); err != staffmode.ErrWrongPIN {
		t.Errorf("a wrong PIN: %v", err)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Errorf("the config file is %v: it holds the device token", info.Mode().Perm())
	}
}

func loadFrom(t *testing.T, path string) config {
	t.Helper()
	fset := flag.NewFlagSet("balie", flag.ContinueOnError)
	flags := addConfigFlags(fset)
	if err := fset.Parse([]string{"-config", path}); err != nil {
		t.Fatal(err)
	}
	cfg, err := flags.load(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func readFile(t *testing.T, path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Staff open staff mode with the PIN, change the kiosk's settings without
// touching a file (they are in the config file afterwards and in the
// kiosk at once), start a booking on someone's behalf, and the visit
// counts as assisted.
func TestStaffModeRunsTheKiosk(t *testing.T) {
	f := newStaffFixture(t, "2468")
	staff, w, ui, msgs, path, cfg := f.staff, f.win, f.ui, f.msgs, f.path, *f.staff.cfg

	staff.open()
	for _, key := range []string{"2", "4", "6", "8", "OK"} {
		tapButton(t, w, key)
	}
	ui.waitFor(t, w, "Instellingen") // the PIN is checked off the UI thread

	tapButton(t, w, "Instellingen")
	location := entryWithPlaceholder(t, w, "bv. Stadskantoor, inkomhal")
	test.Type(location, "Stadskantoor zuil 4")
	tapButton(t, w, "Bewaren")
	ui.waitFor(t, w, "Bewaard")
	if got := loadFrom(t, path); got.Location != "Stadskantoor zuil 4" || got.StaffPINHash != cfg.StaffPINHash {
		t.Errorf("config file after saving: location %q, PIN kept %v", got.Location, got.StaffPINHash == cfg.StaffPINHash)
	}

	tapButton(t, w, "Afspraak maken voor iemand")
	ui.waitFor(t, w, msgs.T("nl", "AssistedBanner", nil))
	tapText(t, w, "Français")
	tapText(t, w, msgs.T("fr", "NavStartOver", nil))
	if visits := f.visits; len(visits) != 1 || !visits[0].Assisted || visits[0].Location != "Stadskantoor zuil 4" || visits[0].Language != "fr" {
		t.Fatalf("visits %+v", visits)
	}
	ui.waitFor(t, w, msgs.T("nl", "WelcomeTitle", nil))
	if shows(w, msgs.T("nl", "AssistedBanner", nil)) {
		t.Error("the next visitor still sees the assisted banner")
	}
}

// Ctrl+Alt+Q asks for the PIN before the kiosk quits: a wrong PIN or
// Annuleren leaves the kiosk running for the next visitor. A kiosk without
// a PIN quits at once.
func TestQuitAsksForThePIN(t *testing.T) {
	f := newStaffFixture(t, "2468")
	staff, w, ui, msgs := f.staff, f.win, f.ui, f.msgs
	quits := 0
	quit := func() { quits++ }
	typePIN := func(pin string) {
		for _, key := range pin {
			tapButton(t, w, string(key))
		}
		tapButton(t, w, "OK")
	}

	staff.askToQuit(quit)
	ui.waitFor(t, w, "Kiosk afsluiten")
	typePIN("1357")
	ui.waitFor(t, w, "Foute pincode")
	tapButton(t, w, "Annuleren")
	ui.waitFor(t, w, msgs.T("nl", "WelcomeTitle", nil))
	if quits != 0 {
		t.Fatal("the kiosk quit without the PIN")
	}

	staff.open() // from staff mode's PIN pad too, which it replaces
	staff.askToQuit(quit)
	typePIN("2468")
	if !ui.until(func() bool { return quits > 0 }) || quits != 1 {
		t.Fatalf("the right PIN: %d quits, want 1", quits)
	}

	noPIN := newStaffFixture(t, "")
	quits = 0
	noPIN.staff.askToQuit(quit)
	if quits != 1 {
		t.Fatalf("without a PIN: %d quits, want 1 at once", quits)
	}
}

// staffFixture is a kiosk in practice mode with its staff mode, on a test
// window of 1280x720, with a config file in a temporary folder.
type staffFixture struct {
	staff  *staffMode
	win    fyne.Window
	ui     *uiThread
	msgs   *i18n.Catalog
	path   string // the config file
	visits []domain.Visit
}

// newStaffFixture sets pin as the staff PIN, unless it is empty.
func newStaffFixture(t *testing.T, pin string) *staffFixture {
	t.Helper()
	test.NewTempApp(t)
	f := &staffFixture{ui: newUIThread(t), msgs: city.MustCatalog("gent"), path: filepath.Join(t.TempDir(), "kiosk.toml")}
	cfg := defaultConfig()
	cfg.StateDir = t.TempDir()
	if pin != "" {
		if err := setPIN(f.path, cfg, strings.NewReader(pin+"\n"), &strings.Builder{}); err != nil {
			t.Fatal(err)
		}
		cfg = loadFrom(t, f.path)
	}
	services := city.MustLoad("gent").Services()
	st, err := store.Open(store.Options{Path: filepath.Join(t.TempDir(), "p.db"), Services: services})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f.win = test.NewTempWindow(t, nil)
	f.win.Resize(fyne.NewSize(1280, 720))
	f.staff = &staffMode{win: f.win, cfg: &cfg, path: f.path, pin: staffmode.NewPIN(cfg.StaffPINHash, nil), msgs: f.msgs, themes: services,
		log: slog.New(slog.DiscardHandler)}
	f.staff.k = kiosk.New(f.win, kiosk.Config{Backend: st, Messages: f.msgs, Practice: true, OnStaffHold: f.staff.open, Runner: f.ui,
		RecordVisit: func(v domain.Visit) { f.visits = append(f.visits, v) }})
	return f
}

func tapButton(t *testing.T, w fyne.Window, text string) {
	t.Helper()
	for _, b := range tour.All[*widget.Button](w.Content()) {
		if b.Text == text && !b.Disabled() {
			test.Tap(b)
			return
		}
	}
	t.Fatalf("no button %q; screen shows %v", text, tour.Texts(w.Content()))
}

func tapText(t *testing.T, w fyne.Window, text string) {
	t.Helper()
	tap := tour.Tappable(w.Content(), text)
	if tap == nil {
		t.Fatalf("nothing to tap labelled %q; screen shows %v", text, tour.Texts(w.Content()))
	}
	tap.Tapped(&fyne.PointEvent{})
}

func entryWithPlaceholder(t *testing.T, w fyne.Window, p string) *widget.Entry {
	t.Helper()
	for _, e := range tour.All[*widget.Entry](w.Content()) {
		if e.PlaceHolder == p {
			return e
		}
	}
	t.Fatalf("no field %q", p)
	return nil
}

func shows(w fyne.Window, text string) bool {
	for _, s := range tour.Texts(w.Content()) {
		if strings.Contains(s, text) {
			return true
		}
	}
	return false
}

// uiThread stands in for Fyne's UI thread in these tests. Fyne's test
// driver runs fyne.Do at once on the calling goroutine, so a PIN checked or
// a booking made in the background would change the screen while the test
// reads it. Here the background work's results wait in a queue until the
// test goroutine runs them.
type uiThread struct{ calls chan func() }

// newUIThread routes staff mode's and the kiosk's (through Run) results
// back to the test goroutine.
func newUIThread(t *testing.T) *uiThread {
	ui := &uiThread{calls: make(chan func(), 64)}
	t.Cleanup(staffmode.SetUIThread(func(f func()) { ui.calls <- f }))
	return ui
}

// Run implements kiosk.Runner.
func (ui *uiThread) Run(work, done func()) {
	go func() {
		work()
		ui.calls <- done
	}()
}

// waitFor runs the results that come back until text shows.
func (ui *uiThread) waitFor(t *testing.T, w fyne.Window, text string) {
	t.Helper()
	if !ui.until(func() bool { return shows(w, text) }) {
		t.Fatalf("%q never showed; screen shows %v", text, tour.Texts(w.Content()))
	}
}

// until runs the results that come back until done, for at most 10 s.
func (ui *uiThread) until(done func() bool) bool {
	deadline := time.After(10 * time.Second)
	for !done() {
		select {
		case f := <-ui.calls:
			f()
		case <-deadline:
			return false
		}
	}
	return true
}
