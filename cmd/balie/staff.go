package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/gatewayclient"
	"github.com/digitalebalie/balie/app/kiosk"
	"github.com/digitalebalie/balie/app/passhash"
	"github.com/digitalebalie/balie/app/speech"
	"github.com/digitalebalie/balie/app/staffmode"
	"github.com/digitalebalie/balie/i18n"
)

// staffLimit closes staff mode this long after it opened: a member of
// staff who walks away does not leave the settings to the next visitor.
const staffLimit = 15 * time.Minute

// staffMode is the kiosk's staff mode: the PIN, then the panel with the
// help calls, the settings and the kiosk's health. The settings it saves
// go to the config file and take effect at once.
type staffMode struct {
	win     fyne.Window
	k       *kiosk.Kiosk
	cfg     *config
	path    string // the config file
	pin     *staffmode.PIN
	msgs    *i18n.Catalog
	themes  []domain.Service
	speech  speech.Speaker
	figures *figures
	log     *slog.Logger
	// newClient builds the gateway client for an address and token.
	newClient func(gateway, token string) *gatewayclient.Client
	client    *gatewayclient.Client // nil in practice mode

	panel  *staffmode.Panel
	closer *time.Timer
}

// open asks for the PIN. It runs on the UI thread.
func (s *staffMode) open() {
	if s.panel != nil {
		return
	}
	s.askPIN("Staff-modus", s.showPanel)
}

// askToQuit asks for the PIN before quit ends the kiosk: a visitor at a
// keyboard must not end it, in a kiosk session leaving a login prompt for
// everyone after them. A kiosk without a PIN is a developer's or a
// test's: it quits at once, and start-up warns of it.
func (s *staffMode) askToQuit(quit func()) {
	if !s.cfg.hasPIN() {
		quit()
		return
	}
	s.leave()
	s.askPIN("Kiosk afsluiten", quit)
}

// askPIN wipes the visit and shows the PIN pad titled title in the
// window; the right PIN calls onOK, Annuleren goes back to the welcome
// screen.
func (s *staffMode) askPIN(title string, onOK func()) {
	s.k.StartOver()
	s.k.Pause(true) // the kiosk draws nothing while staff mode has the window
	s.win.SetContent(staffmode.NewPINPad(title, s.pin.Check, onOK, s.close))
}

func (s *staffMode) showPanel() {
	s.log.Info("staff mode opened")
	opts := staffmode.Options{
		Settings:       s.settings(),
		Languages:      s.languages(),
		Themes:         s.themeChoices(),
		Save:           s.save,
		TestConnection: s.testConnection,
		Health:         s.health,
		Book: func() {
			s.leave()
			s.k.Assist()
		},
		Close: s.close,
	}
	if s.client != nil {
		opts.Help = &helpDesk{client: s.client}
	}
	s.panel = staffmode.NewPanel(opts)
	s.win.SetContent(s.panel.Content())
	s.closer = time.AfterFunc(staffLimit, func() { fyne.Do(s.close) })
}

// close leaves staff mode for the welcome screen.
func (s *staffMode) close() {
	s.leave()
	s.k.StartOver()
}

func (s *staffMode) leave() {
	if s.panel != nil {
		s.panel.Stop()
		s.panel = nil
		s.log.Info("staff mode closed")
	}
	if s.closer != nil {
		s.closer.Stop()
		s.closer = nil
	}
	s.k.Pause(false)
}

// settings are the config's, with "none chosen" shown as all of them.
func (s *staffMode) settings() staffmode.Settings {
	set := staffmode.Settings{
		Location: s.cfg.Location, Languages: s.cfg.Languages, DefaultLanguage: s.cfg.DefaultLanguage,
		Themes: s.cfg.Themes, Idle: s.cfg.Idle.Duration, Gateway: s.cfg.Gateway, DeviceToken: s.cfg.DeviceToken,
		Volume: s.cfg.Volume,
	}
	if len(set.Languages) == 0 {
		set.Languages = keys(s.languages())
	}
	if len(set.Themes) == 0 {
		set.Themes = keys(s.themeChoices())
	}
	if set.DefaultLanguage == "" {
		set.DefaultLanguage = i18n.Reference
	}
	return set
}

func keys(choices []staffmode.Choice) []string {
	out := make([]string, len(choices))
	for i, c := range choices {
		out[i] = c.Key
	}
	return out
}

// allOrSome is nil when chosen is every choice: the kiosk then offers what
// a later version or the city adds, too.
func allOrSome(chosen []string, all []staffmode.Choice) []string {
	if len(chosen) == len(all) {
		return nil
	}
	return chosen
}

// languages are the city's languages, of which staff choose this kiosk's.
func (s *staffMode) languages() []staffmode.Choice {
	var out []staffmode.Choice
	for _, tag := range s.cfg.city.Offered() {
		out = append(out, staffmode.Choice{Key: tag, Label: i18n.NameIn(i18n.Reference, tag) + " (" + i18n.OwnName(tag) + ")"})
	}
	return out
}

func (s *staffMode) themeChoices() []staffmode.Choice {
	var out []staffmode.Choice
	for _, t := range s.themes {
		if t.ByVideo {
			out = append(out, staffmode.Choice{Key: t.ID, Label: t.Name.In(i18n.Reference)})
		}
	}
	return out
}

// save checks the settings, writes them to the config file and applies
// them. A switch between practice mode and a gateway needs a restart: the
// practice store and its banner belong to how the kiosk started.
func (s *staffMode) save(set staffmode.Settings) error {
	next := *s.cfg
	next.Location = strings.TrimSpace(set.Location)
	next.Languages, next.DefaultLanguage, next.Themes = allOrSome(set.Languages, s.languages()), set.DefaultLanguage, allOrSome(set.Themes, s.themeChoices())
	next.Idle.Duration, next.Volume = set.Idle, set.Volume
	next.Gateway, next.DeviceToken = set.Gateway, set.DeviceToken
	if err := next.check(); err != nil {
		return err
	}
	if err := next.save(s.path); err != nil {
		return fmt.Errorf("het configuratiebestand %s kan niet geschreven worden (%v)", s.path, err)
	}
	restart := next.practice() != s.cfg.practice()
	gatewayChanged := next.Gateway != s.cfg.Gateway || next.DeviceToken != s.cfg.DeviceToken
	*s.cfg = next
	s.log.Info("staff saved the settings", "location", next.Location, "gateway", next.Gateway)
	s.k.Apply(kiosk.Settings{Location: next.Location, Languages: next.Languages, DefaultLang: next.DefaultLanguage,
		Themes: next.Themes, IdleTimeout: next.Idle.Duration})
	if sv, ok := s.speech.(interface{ SetDefaultVolume(int) }); ok {
		sv.SetDefaultVolume(next.Volume)
	}
	switch {
	case restart:
		return errors.New("Bewaard. Start de kiosk opnieuw om tussen oefenmodus en gateway te wisselen")
	case gatewayChanged && !next.practice():
		s.client = s.newClient(next.Gateway, next.DeviceToken)
		s.k.SetBackend(s.client)
		s.figures.setBackend(s.client)
	}
	return nil
}

// testConnection tries an address and token and says in plain Dutch what
// is wrong.
func (s *staffMode) testConnection(ctx context.Context, gateway, token string) error {
	u, err := url.Parse(strings.TrimSpace(gateway))
	if gateway == "" || err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return errors.New("Dit is geen geldig adres. Het begint met https:// gevolgd door de naam van de gateway")
	}
	c := s.newClient(gateway, token)
	if err := c.Health(ctx); err != nil {
		return plainProblem(err, "De gateway antwoordt niet")
	}
	if _, err := c.Services(ctx); err != nil {
		return plainProblem(err, "De gateway antwoordt, maar")
	}
	return nil
}

// plainProblem words a failed call for staff.
func plainProblem(err error, lead string) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "401") || strings.Contains(msg, "unauthorized"):
		return errors.New(lead + " weigert de toestelsleutel: controleer de sleutel bij de beheerder van de gateway")
	case strings.Contains(msg, "certificate") || strings.Contains(msg, "x509"):
		return errors.New(lead + ": het certificaat van de gateway wordt niet vertrouwd")
	case domain.CodeOf(err) == domain.EOffline:
		return errors.New(lead + ": geen verbinding (geen netwerk, of een verkeerd adres)")
	}
	return fmt.Errorf("%s: %s", lead, domain.CodeOf(err))
}

// health is what the Toestand page shows.
func (s *staffMode) health(ctx context.Context) staffmode.Health {
	h := staffmode.Health{Version: version(), DiskPath: s.cfg.StateDir}
	h.FreeDisk = freeDisk(s.cfg.StateDir)
	if lister, ok := s.speech.(interface{ Voices() []string }); ok {
		h.Voices = lister.Voices()
	}
	if s.client == nil {
		h.GatewayDetail = "Oefenmodus: geen gateway, afspraken blijven op deze pc"
		return h
	}
	start := time.Now()
	if err := s.client.Health(ctx); err != nil {
		h.GatewayDetail = plainProblem(err, "De gateway antwoordt niet").Error()
		return h
	}
	h.GatewayOK = true
	h.GatewayDetail = fmt.Sprintf("%s antwoordt (%d ms)", s.cfg.Gateway, time.Since(start).Milliseconds())
	return h
}

// version is what staff mode's Toestand shows, to check an update landed.
func version() string {
	var parts []string
	// A packaged kiosk (fyne package) carries FyneApp.toml's version and
	// build, which is what IT rolls out; a plain go build has the module's.
	if m := fyne.CurrentApp().Metadata(); m.Version != "" && m.Build > 0 {
		parts = append(parts, fmt.Sprintf("%s (build %d)", m.Version, m.Build))
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		if len(parts) == 0 {
			parts = append(parts, info.Main.Version)
		}
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				parts = append(parts, s.Value[:12])
			}
		}
	}
	if len(parts) == 0 {
		return "onbekend"
	}
	return strings.Join(parts, " ")
}

// helpDesk is the gateway's queue of calls for staff, for the panel.
type helpDesk struct {
	client  *gatewayclient.Client
	session gatewayclient.StaffSession
}

func (h *helpDesk) SignedIn() string { return h.session.Name }

func (h *helpDesk) SignIn(ctx context.Context, name, password string) error {
	s, err := h.client.StaffSignIn(ctx, name, password)
	switch domain.CodeOf(err) {
	case "":
		h.session = s
		return nil
	case domain.ENotFound:
		return errors.New("Naam of wachtwoord klopt niet")
	case domain.ERateLimited:
		return errors.New("Te veel foute pogingen: probeer het over een kwartier opnieuw")
	}
	return plainProblem(err, "Aanmelden lukt niet")
}

func (h *helpDesk) Queue(ctx context.Context) ([]staffmode.HelpCall, error) {
	list, err := h.client.HelpQueue(ctx, h.session)
	if err != nil {
		return nil, plainProblem(err, "De hulpvragen laden niet")
	}
	out := make([]staffmode.HelpCall, 0, len(list))
	for _, c := range list {
		where := c.Location
		if where == "" {
			where = c.Device
		}
		out = append(out, staffmode.HelpCall{ID: c.ID, Location: where, Language: i18n.NameIn(i18n.Reference, c.Language),
			At: c.At, State: c.State, TakenBy: c.TakenBy})
	}
	return out, nil
}

func (h *helpDesk) SetState(ctx context.Context, id, state string) error {
	if err := h.client.SetHelpState(ctx, h.session, id, domain.HelpState(state)); err != nil {
		return plainProblem(err, "Dat lukt niet")
	}
	return nil
}

// setPIN reads a new staff PIN from in and writes its hash to the config
// file: balie -set-pin < pin.txt, or typed at the prompt.
func setPIN(path string, cfg config, in io.Reader, out io.Writer) error {
	fmt.Fprint(out, "Nieuwe PIN voor de staff-modus (4 tot 12 cijfers): ")
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && line == "" {
		return err
	}
	pin := strings.TrimSpace(line)
	if len(pin) < 4 || len(pin) > 12 || strings.Trim(pin, "0123456789") != "" {
		return errors.New("een PIN is 4 tot 12 cijfers")
	}
	hash, err := passhash.Hash(pin)
	if err != nil {
		return err
	}
	cfg.StaffPINHash = hash
	if err := cfg.save(path); err != nil {
		return err
	}
	fmt.Fprintln(out, "\nBewaard in", path)
	return nil
}
