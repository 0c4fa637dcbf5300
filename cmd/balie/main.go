// Command balie is the Digitale Balie kiosk: a full-screen Fyne app for
// public PCs. Without -gateway it runs the embedded store in-process on a
// local file, in practice mode.
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/digitalebalie/balie/app/browser"
	"github.com/digitalebalie/balie/app/catalog"
	"github.com/digitalebalie/balie/app/kiosk"
	"github.com/digitalebalie/balie/app/store"
	"github.com/digitalebalie/balie/i18n"
)

func main() {
	var (
		windowed     = flag.Bool("windowed", false, "run in a 1280×720 window instead of full screen (development)")
		dataPath     = flag.String("data", defaultDataPath(), "practice-mode data file")
		idle         = flag.Duration("idle", 90*time.Second, "time without input before \"are you still there?\"")
		phoneBase    = flag.String("phone-base", "https://balie.gent.be", "public base URL of the phone page the QR codes open")
		joinTemplate = flag.String("join-template", "https://meet.jit.si/DigitaleBalie-Oefen-{room}", "video link of a practice appointment; {room} and {code} are filled in")
		helpPhone    = flag.String("help-phone", "09 210 10 10", "Gentinfo's phone number")
		scale        = flag.Float64("text-scale", 1, "text size: 1 is the default")
		tourDir      = flag.String("tour", "", "save screenshots of the booking screens to this folder, then exit")
		tourLangs    = flag.String("tour-langs", "nl,fr,en", "languages for -tour")
		pace         = flag.Duration("simulate-pace", 20*time.Millisecond, "how long each screen stays up in -simulate (20ms is about one frame)")
		sessions     = flag.Int("simulate", 0, "play this many visitor sessions on the window, print resident memory after the first and the last, then exit (benchmark)")
	)
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))

	msgs, err := i18n.Load()
	if err != nil {
		fail(log, "load messages", err)
	}
	if err := os.MkdirAll(filepath.Dir(*dataPath), 0o700); err != nil {
		fail(log, "create data folder", err)
	}
	backend, err := store.Open(store.Options{
		Path:         *dataPath,
		Services:     catalog.Ghent(msgs, *helpPhone),
		JoinTemplate: *joinTemplate,
		TakenShare:   35,
		Retention:    24 * time.Hour, // practice bookings do not outlive the day after
	})
	if err != nil {
		fail(log, "open practice store", err)
	}
	defer backend.Close()

	a := app.NewWithID("be.digitalebalie.balie")
	w := a.NewWindow("Digitale Balie")
	if *windowed {
		w.Resize(fyne.NewSize(1280, 720))
	} else {
		w.SetFullScreen(true)
	}
	launcher := &browser.Launcher{Fallback: a.OpenURL, Log: log}
	k := kiosk.New(w, kiosk.Config{
		Backend:     backend,
		Messages:    msgs,
		Practice:    true,
		PhoneBase:   *phoneBase,
		HelpPhone:   *helpPhone,
		DefaultLang: msgs.Match(os.Getenv("LANG")),
		IdleTimeout: *idle,
		OpenURL:     launcher.Open,
		OnWipe:      launcher.CloseAll,
		Log:         log,
		Scale:       float32(*scale),
	})

	a.Lifecycle().SetOnStarted(func() {
		go tick(k)
		switch {
		case *sessions > 0:
			go func() {
				if err := simulate(k, *sessions, strings.Split(*tourLangs, ","), *pace); err != nil {
					log.Error("simulation failed", "err", err)
					os.Exit(1)
				}
				fyne.Do(a.Quit)
			}()
		case *tourDir != "":
			go func() {
				files, err := k.Tour(*tourDir, strings.Split(*tourLangs, ","), captureScreen)
				for _, f := range files {
					fmt.Println(f)
				}
				if err != nil {
					log.Error("tour failed", "err", err)
					os.Exit(1)
				}
				fyne.Do(a.Quit)
			}()
		}
	})
	w.ShowAndRun()
}

// tick drives the idle timeout and the join countdown once a second. Every
// two minutes it also hands memory freed from old screens back to the
// system: public PCs and the van's laptop are small, and Fyne lets go of a
// screen's renderers a minute after it left.
func tick(k *kiosk.Kiosk) {
	seconds := 0
	for range time.Tick(time.Second) {
		fyne.Do(k.Tick)
		if seconds++; seconds%120 == 0 {
			debug.FreeOSMemory()
		}
	}
}

// captureScreen saves the X display to path with ImageMagick's import: the
// pixels the visitor would see. Used only by -tour.
func captureScreen(path string) error {
	out, err := exec.Command("import", "-window", "root", path).CombinedOutput()
	if err != nil {
		return fmt.Errorf("import: %v: %s", err, out)
	}
	return nil
}

// defaultDataPath keeps the practice database in memory-backed storage
// (the login session's runtime folder, or /dev/shm), so even practice
// contact details never reach the kiosk's disk. It lasts until logout or
// reboot, long enough to practise booking and then joining.
func defaultDataPath() string {
	for _, dir := range []string{os.Getenv("XDG_RUNTIME_DIR"), "/dev/shm"} {
		if info, err := os.Stat(dir); dir != "" && err == nil && info.IsDir() {
			return filepath.Join(dir, "balie", "practice.db")
		}
	}
	return filepath.Join(os.TempDir(), "balie", "practice.db")
}

func fail(log *slog.Logger, what string, err error) {
	log.Error(what, "err", err)
	os.Exit(1)
}
