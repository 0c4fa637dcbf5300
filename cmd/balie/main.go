// Command balie is the Digitale Balie kiosk: a full-screen Fyne app for
// public PCs. With a gateway (-gateway, or gateway in the config file
// /etc/balie/kiosk.toml) it books through balie-gateway with this kiosk's
// device token. Without one it runs the embedded store in-process on a local
// file, in practice mode, under the yellow practice banner.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/digitalebalie/balie/app/browser"
	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/gatewayclient"
	"github.com/digitalebalie/balie/app/kiosk"
	"github.com/digitalebalie/balie/app/outbox"
	"github.com/digitalebalie/balie/app/speech"
	"github.com/digitalebalie/balie/app/staffmode"
	"github.com/digitalebalie/balie/app/store"
	"github.com/digitalebalie/balie/app/tour"
	"github.com/digitalebalie/balie/i18n"
)

func main() {
	var (
		windowed     = flag.Bool("windowed", false, "run in a 1280×720 window instead of full screen (development)")
		dataPath     = flag.String("data", defaultDataPath(), "practice-mode data file")
		joinTemplate = flag.String("join-template", "https://meet.jit.si/DigitaleBalie-Oefen-{room}", "video link of a practice appointment; {room} and {code} are filled in")
		scale        = flag.Float64("text-scale", 1, "text size each session starts at: 1 is the default, 2 is 200%; the visitor's larger/smaller steps (100, 130, 160, 200%) are multiplied by it")
		tourDir      = flag.String("tour", "", "save screenshots of the booking screens to this folder, then exit")
		tourLangs    = flag.String("tour-langs", "nl,fr,en", "languages for -tour")
		tourLarger   = flag.Int("tour-larger", 0, "in -tour, tap \"larger text\" this many times (3 is 200%)")
		tourContrast = flag.Bool("tour-contrast", false, "in -tour, switch to high contrast")
		pace         = flag.Duration("simulate-pace", 20*time.Millisecond, "how long each screen stays up in -simulate (20ms is about one frame)")
		sessions     = flag.Int("simulate", 0, "play this many visitor sessions on the window, print resident memory after the first and the last, then exit (benchmark)")
		logPath      = flag.String("log", "", "also write the log, and a crash's trace, to this file (for Windows' Shell Launcher, where stderr goes nowhere); it starts over past 1 MB")
		setPINFlag   = flag.Bool("set-pin", false, "read a new staff-mode PIN from the terminal (or stdin), store its hash in the config file, and exit")
		configFlags  = addConfigFlags(flag.CommandLine)
	)
	flag.Parse()
	if *setPINFlag { // needs no display
		cfg, err := configFlags.load(os.Getenv)
		if err == nil {
			err = setPIN(*configFlags.path, cfg, os.Stdin, os.Stdout)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "balie -set-pin:", err)
			os.Exit(1)
		}
		return
	}
	// Before anything else, and before Fyne's driver: without a display
	// the driver would end in a panic and a goroutine trace.
	if msg := missingDisplay(builtDrivers, os.Getenv, pathExists); msg != "" {
		fmt.Fprintln(os.Stderr, msg)
		os.Exit(1)
	}
	logTo, logErr := openLog(*logPath)
	log := slog.New(slog.NewTextHandler(logTo, nil))
	if logErr != nil {
		log.Error("log file", "err", logErr)
	}

	cfg, err := configFlags.load(os.Getenv)
	if err != nil {
		fail(log, "configuration", err)
	}
	for _, w := range cfg.warnings {
		log.Warn(w)
	}
	if !cfg.hasPIN() {
		log.Warn("no staff PIN: staff mode cannot open, and Ctrl+Alt+Q quits without asking; set one with balie -set-pin")
	}
	if !cfg.practice() && (*tourDir != "" || *sessions > 0) {
		// Both book and cancel appointments: never in a real calendar.
		fail(log, "configuration", fmt.Errorf("-tour and -simulate run only in practice mode, without a gateway"))
	}
	msgs, err := i18n.Load()
	if err != nil {
		fail(log, "load messages", err)
	}
	msgs.SetPlace(cfg.city.Place())
	log.Info("city", "city", cfg.city.ID, "themes", len(cfg.city.Themes), "languages", len(cfg.city.Offered()))
	var (
		backend  domain.Backend
		client   *gatewayclient.Client
		services []domain.Service // the themes staff may offer
	)
	newClient := func(gateway, token string) *gatewayclient.Client {
		return gatewayclient.New(gatewayclient.Options{
			BaseURL:       gateway,
			DeviceToken:   token,
			CatalogueFile: filepath.Join(cfg.StateDir, "catalogue.json"),
			Timeout:       cfg.GatewayTimeout.Duration,
			UserAgent:     "balie-kiosk (" + runtime.GOOS + ")",
			Log:           log,
		})
	}
	if cfg.practice() {
		if err := os.MkdirAll(filepath.Dir(*dataPath), 0o700); err != nil {
			fail(log, "create data folder", err)
		}
		services = cfg.city.Services()
		practice, err := store.Open(store.Options{
			Path:         *dataPath,
			Services:     services,
			JoinTemplate: *joinTemplate,
			TakenShare:   35,
			Retention:    24 * time.Hour, // practice bookings do not outlive the day after
		})
		if err != nil {
			fail(log, "open practice store", err)
		}
		defer practice.Close()
		backend = practice
		log.Info("practice mode: bookings stay on this PC", "data", *dataPath)
	} else {
		client = newClient(cfg.Gateway, cfg.DeviceToken)
		backend = client
		services = cfg.city.Services() // the themes' names for staff mode
		log.Info("booking through the gateway", "gateway", cfg.Gateway)
		go checkGateway(client, log)
	}

	a := app.NewWithID("be.digitalebalie.balie")
	w := a.NewWindow("Digitale Balie")
	w.SetPadded(false) // the frame pads what needs it: every pixel of a 720p screen counts
	if *windowed {
		w.Resize(fyne.NewSize(1280, 720))
	} else {
		w.SetFullScreen(true)
	}
	if err := browser.RemoveLeftovers(); err != nil { // a call cut off by a power failure
		log.Error("remove left-over call folders", "err", err)
	}
	// The city's browser command, or Chromium (Linux) or Edge (Windows).
	launcher := &browser.Launcher{Programs: cfg.city.Browser(runtime.GOOS), Fallback: a.OpenURL, Log: log}
	// Alt+F4 or the window manager's close must not end the kiosk for the
	// next visitor: staff quit with Ctrl+Alt+Q.
	w.SetCloseIntercept(func() { log.Info("closing the window ignored: staff quit with Ctrl+Alt+Q") })
	quit := func() {
		log.Info("quit: Ctrl+Alt+Q pressed", "pin_asked", cfg.hasPIN())
		launcher.CloseAll() // a call's window and profile go with the kiosk
		a.Quit()
	}
	// A tour or a simulation plays visitors on this window: on its own
	// clock, with stand-in call windows instead of the browser.
	var (
		clock   = &tour.Clock{}
		calls   = &tour.Calls{}
		touring = *sessions > 0 || *tourDir != ""
		now     = time.Now
		open    = openCall(launcher)
		// After the wipe the kiosk asks to be in front again: the call's
		// window is gone, and not every window manager hands it back.
		closeCall = func() { go func() { launcher.CloseAll(); fyne.Do(w.RequestFocus) }() }
	)
	if touring {
		now, open, closeCall = clock.Now, calls.Open, calls.CloseAll
	}
	box, err := outbox.Open(filepath.Join(cfg.StateDir, "outbox"), outbox.Options{Log: log})
	if err != nil {
		fail(log, "open the kiosk's outbox", err)
	}
	fig := newFigures(box, backend, log)
	voices := speech.New(speech.Options{Log: log})
	if sv, ok := voices.(interface{ SetDefaultVolume(int) }); ok {
		sv.SetDefaultVolume(cfg.Volume)
	}
	defaultLang := msgs.Match(os.Getenv("LANG"))
	if cfg.DefaultLanguage != "" {
		defaultLang = cfg.DefaultLanguage
	}
	staff := &staffMode{win: w, cfg: &cfg, path: *configFlags.path, pin: staffmode.NewPIN(cfg.StaffPINHash, nil), msgs: msgs,
		themes: services, speech: voices, figures: fig, log: log, newClient: newClient, client: client}
	k := kiosk.New(w, kiosk.Config{
		Backend:     backend,
		Messages:    msgs,
		Practice:    cfg.practice(),
		PhoneBase:   cfg.qrBase(),
		DefaultLang: defaultLang,
		IdleTimeout: cfg.Idle.Duration,
		Location:    cfg.Location,
		Languages:   cfg.languages(),
		Themes:      cfg.Themes,
		HelpLine:    cfg.city.HelpLine,
		Logo:        cfg.city.LogoImage,
		Colours:     cfg.city.Colours,
		BookingPage: cfg.city.URLs.BookingPage,
		RecordVisit: fig.recordVisit,
		KeepHelp:    fig.keepHelp,
		Feedback:    true,
		OnStaffHold: staff.open,
		OpenCall:    open,
		// Closing waits for the wipe of the call's profile: not on the
		// UI thread.
		OnWipe: closeCall,
		Now:    now,
		Log:    log,
		Scale:  float32(*scale),
		// The platform's voices (espeak-ng on Linux), listed once at start.
		Speech: voices,
	})
	staff.k = k
	addStaffShortcut(w.Canvas(), staff.open)
	addQuitShortcut(w.Canvas(), func() { staff.askToQuit(quit) })

	visitor := &tour.Visitor{
		Kiosk: k, Window: w, Messages: msgs, Backend: backend, Clock: clock, Calls: calls,
		IdleTimeout: cfg.Idle.Duration, Fits: *scale < 1.5 && *tourLarger == 0,
		Larger: *tourLarger, Contrast: *tourContrast,
	}
	a.Lifecycle().SetOnStarted(func() {
		go tick(k)
		go fig.run(context.Background(), time.Minute)
		switch {
		case *sessions > 0:
			go func() {
				if err := simulate(k, visitor, *sessions, strings.Split(*tourLangs, ","), *pace); err != nil {
					log.Error("simulation failed", "err", err)
					os.Exit(1)
				}
				fyne.Do(a.Quit)
			}()
		case *tourDir != "":
			go func() {
				files, err := visitor.Tour(*tourDir, strings.Split(*tourLangs, ","), captureScreen)
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
	ended := watchEndSignals()
	w.ShowAndRun()
	launcher.CloseAll()
	ended.exitIfSignalled(log)
}

// openCall opens the video call through the launcher, in its own
// full-screen window with a throw-away profile.
func openCall(l *browser.Launcher) func(link, lang string) (kiosk.CallWindow, error) {
	return func(link, lang string) (kiosk.CallWindow, error) {
		c, err := l.Open(link, lang)
		if err != nil {
			return nil, err // not a nil *Call in an interface
		}
		return c, nil
	}
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
			releaseMemory()
		}
	}
}

// checkGateway tells the operator at start-up whether the gateway answers.
// It does not stop the kiosk: the van's network comes and goes, and every
// screen copes with a gateway it cannot reach.
func checkGateway(c *gatewayclient.Client, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := c.Health(ctx); err != nil {
		log.Warn("gateway not reachable at start-up", "code", string(domain.CodeOf(err)), "err", err)
		return
	}
	log.Info("gateway reachable")
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
