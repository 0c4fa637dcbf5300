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
	test.NewTempApp(t)
	ui := newUIThread(t)
	msgs := city.MustCatalog("gent")
	path := filepath.Join(t.TempDir(), "kiosk.toml")
	cfg := defaultConfig()
	cfg.StateDir = t.TempDir()
	if err := setPIN(path, cfg, strings.NewReader("2468\n"), &strings.Builder{}); err != nil {
		t.Fatal(err)
	}
	cfg = loadFrom(t, path)
	services := city.MustLoad("gent").Services()
	st, err := store.Open(store.Options{Path: filepath.Join(t.TempDir(), "p.db"), Services: services})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1280, 720))
	var visits []domain.Visit
	staff := &staffMode{win: w, cfg: &cfg, path: path, pin: staffmode.NewPIN(cfg.StaffPINHash, nil), msgs: msgs, themes: services,
		log: slog.New(slog.DiscardHandler)}
	k := kiosk.New(w, kiosk.Config{Backend: st, Messages: msgs, Practice: true, OnStaffHold: staff.open, Runner: ui,
		RecordVisit: func(v domain.Visit) { visits = append(visits, v) }})
	staff.k = k

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
	if len(visits) != 1 || !visits[0].Assisted || visits[0].Location != "Stadskantoor zuil 4" || visits[0].Language != "fr" {
		t.Fatalf("visits %+v", visits)
	}
	ui.waitFor(t, w, msgs.T("nl", "WelcomeTitle", nil))
	if shows(w, msgs.T("nl", "AssistedBanner", nil)) {
		t.Error("the next visitor still sees the assisted banner")
	}
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
	deadline := time.After(10 * time.Second)
	for !shows(w, text) {
		select {
		case f := <-ui.calls:
			f()
		case <-deadline:
			t.Fatalf("%q never showed; screen shows %v", text, tour.Texts(w.Content()))
		}
	}
}
