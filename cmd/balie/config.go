package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/digitalebalie/balie/app/city"
	"github.com/digitalebalie/balie/app/speech"
)

// config is what a city sets per kiosk. It is read from a TOML file (the
// device token is a secret, so it lives there or in the environment, never
// on the command line where any user's ps would show it); flags override
// the file.
//
//	# /etc/balie/kiosk.toml
//	city            = "gent"              # built in (gent, mechelen) or the path of a city file
//	gateway         = "https://balie-gateway.gent.be"
//	device_token    = "k3Yp…"              # or BALIE_DEVICE_TOKEN
//	phone_base      = "https://balie.gent.be" # only to override the city file's phone_page
//	practice_phone_base = "https://oefen.digitalebalie.be"
//	idle            = "90s"
//	gateway_timeout = "4s"                # one attempt of one call; 3 attempts fit the 15-s wait
//	location        = "Stadskantoor, balie 3"
//	languages       = ["nl", "fr", "en", "ar", "tr"]  # offered; none = all the city's; each must be the city's
//	default_language = "nl"                          # one of languages
//	themes          = ["energie", "woonwijzer"]       # offered, by id; none = all the city's
//	volume          = 1                   # read-aloud starts 0 soft, 1 normal, 2 loud
//	staff_pin_hash  = "$argon2id$…"       # set with: balie -set-pin
//
// Staff change most of it in staff mode on the kiosk itself, which writes
// the file back: it must be writable by the kiosk's user (mode 0600, as it
// holds the device token). It never holds personal data. What is the same
// for every kiosk of a city (its name, help line, themes, colours, video
// link) is in the city file, never here.
type config struct {
	City        string `toml:"city"`         // a built-in city or the path of a city file
	Gateway     string `toml:"gateway"`      // base URL of balie-gateway; empty = practice mode
	DeviceToken string `toml:"device_token"` // this kiosk's bearer token
	PhoneBase   string `toml:"phone_base"`   // public base URL of the phone page; empty: the city's
	// PracticePhoneBase is where a practice appointment's QR code points:
	// never the city's real phone page, which knows no practice booking.
	PracticePhoneBase string   `toml:"practice_phone_base"`
	Idle              duration `toml:"idle"`            // time without input before "are you still there?"
	GatewayTimeout    duration `toml:"gateway_timeout"` // one attempt of one gateway call

	Location        string   `toml:"location"`
	Languages       []string `toml:"languages"`
	DefaultLanguage string   `toml:"default_language"`
	Themes          []string `toml:"themes"`
	Volume          int      `toml:"volume"`
	StaffPINHash    string   `toml:"staff_pin_hash"`
	// StateDir keeps what must survive a restart and holds nothing
	// personal: visit records and calls for staff not yet sent.
	StateDir string `toml:"state_dir"`

	// city is the city file, read by load.
	city *city.City
	// warnings are problems worth a log line that do not stop the kiosk.
	warnings []string
}

// movedToCity are settings an older kiosk.toml may hold that now come from
// the city file: a kiosk would silently ignore them.
var movedToCity = []string{"help_phone", "help_hours", "booking_page"}

// tokenEnv may supply the device token, e.g. from a systemd credential.
const tokenEnv = "BALIE_DEVICE_TOKEN"

func defaultConfig() config {
	return config{
		City: city.Default,
		// A page that says the appointment was practice.
		PracticePhoneBase: "https://oefen.digitalebalie.be",
		Idle:              duration{90 * time.Second},
		GatewayTimeout:    duration{4 * time.Second},
		Volume:            speech.DefaultVolume,
		StateDir:          defaultStateDir(),
	}
}

// defaultStateDir is the user's state folder: ~/.local/state/balie on
// Linux, %LOCALAPPDATA%\balie on Windows.
func defaultStateDir() string {
	if d := os.Getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "balie")
	}
	if runtime.GOOS == "windows" {
		if d, err := os.UserCacheDir(); err == nil {
			return filepath.Join(d, "balie")
		}
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "state", "balie")
	}
	return filepath.Join(os.TempDir(), "balie-state")
}

// qrBase is the base URL of the phone page the kiosk's QR codes open when
// the backend names none: the practice one in practice mode.
func (c config) qrBase() string {
	if c.practice() {
		return c.PracticePhoneBase
	}
	return c.PhoneBase
}

// languages are the languages this kiosk offers: its own choice, or the
// city's.
func (c config) languages() []string {
	if len(c.Languages) > 0 {
		return c.Languages
	}
	return c.city.Offered()
}

// hasPIN tells whether staff set a PIN (balie -set-pin).
func (c config) hasPIN() bool { return c.StaffPINHash != "" }

// practice tells whether the kiosk runs on its in-process demo store.
func (c config) practice() bool { return c.Gateway == "" }

// duration reads "90s" or "2m" from TOML.
type duration struct{ time.Duration }

func (d duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

func (d *duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	d.Duration = v
	return err
}

// configFlags are the flags that may also come from the config file.
type configFlags struct {
	fset           *flag.FlagSet
	path           *string
	gateway        *string
	phoneBase      *string
	practiceBase   *string
	city           *string
	idle           *time.Duration
	gatewayTimeout *time.Duration
}

// addConfigFlags declares the config flags on fset, next to the program's
// other flags.
func addConfigFlags(fset *flag.FlagSet) *configFlags {
	d := defaultConfig()
	return &configFlags{
		fset:           fset,
		path:           fset.String("config", "/etc/balie/kiosk.toml", "kiosk configuration file (TOML); may be absent in practice mode"),
		gateway:        fset.String("gateway", "", "base URL of balie-gateway, e.g. https://balie-gateway.gent.be; without it the kiosk runs in practice mode on a local demo store"),
		phoneBase:      fset.String("phone-base", "", "public base URL of the phone page the QR codes open (default: the city file's phone_page)"),
		practiceBase:   fset.String("practice-phone-base", d.PracticePhoneBase, "where the QR codes of practice appointments point"),
		city:           fset.String("city", d.City, "the city: a built-in one ("+strings.Join(city.Builtin(), ", ")+") or the path of a city file"),
		idle:           fset.Duration("idle", d.Idle.Duration, "time without input before \"are you still there?\""),
		gatewayTimeout: fset.Duration("gateway-timeout", d.GatewayTimeout.Duration, "time limit of one attempt of one gateway call"),
	}
}

// load reads the config file, then the environment, then the flags that
// were set (fset must be parsed), and checks the result. The file may be
// missing unless -config named it.
func (f *configFlags) load(getenv func(string) string) (config, error) {
	cfg := defaultConfig()
	set := map[string]bool{}
	f.fset.Visit(func(fl *flag.Flag) { set[fl.Name] = true })

	if md, err := toml.DecodeFile(*f.path, &cfg); err != nil {
		if !errors.Is(err, fs.ErrNotExist) || set["config"] {
			return cfg, fmt.Errorf("config %s: %w", *f.path, err)
		}
	} else {
		for _, key := range movedToCity {
			if md.IsDefined(key) {
				cfg.warnings = append(cfg.warnings, fmt.Sprintf("%s: %s is ignored: it is in the city file now (%s)", *f.path, key, cfg.City))
			}
		}
		if cfg.DeviceToken != "" && runtime.GOOS != "windows" { // Windows files have no such bits: its ACLs guard them
			if info, err := os.Stat(*f.path); err == nil && info.Mode().Perm()&0o004 != 0 {
				cfg.warnings = append(cfg.warnings, fmt.Sprintf("%s holds the device token and every user can read it: chmod o-r", *f.path))
			}
		}
	}
	if t := getenv(tokenEnv); t != "" {
		cfg.DeviceToken = t
	}
	override := func(name string, dst *string, v string) {
		if set[name] {
			*dst = v
		}
	}
	override("gateway", &cfg.Gateway, *f.gateway)
	override("phone-base", &cfg.PhoneBase, *f.phoneBase)
	override("practice-phone-base", &cfg.PracticePhoneBase, *f.practiceBase)
	override("city", &cfg.City, *f.city)
	if set["idle"] {
		cfg.Idle.Duration = *f.idle
	}
	if set["gateway-timeout"] {
		cfg.GatewayTimeout.Duration = *f.gatewayTimeout
	}
	var err error
	if cfg.city, err = city.Load(cfg.City); err != nil {
		return cfg, err
	}
	if cfg.PhoneBase == "" {
		cfg.PhoneBase = cfg.city.URLs.PhonePage
	}
	return cfg, cfg.check()
}

// check refuses a configuration the kiosk cannot run with, and notes what
// it can run with but should not.
func (c *config) check() error {
	c.Gateway = strings.TrimRight(strings.TrimSpace(c.Gateway), "/")
	c.DeviceToken = strings.TrimSpace(c.DeviceToken)
	var problems []string
	if c.Idle.Duration <= 0 {
		problems = append(problems, "idle must be a positive duration, e.g. \"90s\"")
	}
	if c.Volume < speech.Soft || c.Volume > speech.MaxVolume {
		problems = append(problems, fmt.Sprintf("volume must be %d (soft), %d (normal) or %d (loud)", speech.Soft, speech.Normal, speech.Loud))
	}
	if c.GatewayTimeout.Duration <= 0 {
		problems = append(problems, "gateway_timeout must be a positive duration, e.g. \"6s\"")
	}
	if !c.practice() {
		u, err := url.Parse(c.Gateway)
		switch {
		case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
			problems = append(problems, fmt.Sprintf("gateway %q is not an http(s) URL", c.Gateway))
		case u.RawQuery != "" || u.Fragment != "" || u.User != nil:
			problems = append(problems, "gateway must be a plain base URL, without user, query or fragment")
		case u.Scheme == "http" && !isLoopback(u.Hostname()):
			c.warnings = append(c.warnings, "the gateway is reached over plain http: the device token and bookings cross the network unencrypted")
		}
		if c.DeviceToken == "" {
			problems = append(problems, fmt.Sprintf("the gateway needs this kiosk's device token: set device_token in the config file or %s", tokenEnv))
		}
	}
	problems = append(problems, c.checkAgainstCity()...)
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// checkAgainstCity refuses languages and themes the city file does not
// have: the kiosk would show a theme without its text, or a language
// button that leads nowhere.
func (c *config) checkAgainstCity() []string {
	var problems []string
	offered := c.city.Offered()
	if unknown := missingFrom(c.Languages, offered); len(unknown) > 0 {
		problems = append(problems, fmt.Sprintf("languages %s are not in the city file %s (it offers %s)",
			strings.Join(unknown, ", "), c.City, strings.Join(offered, ", ")))
	}
	if c.DefaultLanguage != "" && !slices.Contains(c.languages(), c.DefaultLanguage) {
		problems = append(problems, fmt.Sprintf("default_language %s is not one of the languages this kiosk offers", c.DefaultLanguage))
	}
	var themes []string
	for _, t := range c.city.Themes {
		themes = append(themes, t.ID)
	}
	if unknown := missingFrom(c.Themes, themes); len(unknown) > 0 {
		problems = append(problems, fmt.Sprintf("themes %s are not in the city file %s (it has %s)",
			strings.Join(unknown, ", "), c.City, strings.Join(themes, ", ")))
	}
	return problems
}

// missingFrom lists the items of some that all lacks.
func missingFrom(some, all []string) []string {
	var missing []string
	for _, s := range some {
		if !slices.Contains(all, s) {
			missing = append(missing, s)
		}
	}
	return missing
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// save writes the configuration back to path, for staff mode: to a new
// file beside it that replaces it, so a power cut leaves the old or the
// new one, never half of each. A folder the kiosk may not write in (such
// as /etc/balie) gets the file rewritten in place.
func (c config) save(path string) error {
	var buf strings.Builder
	buf.WriteString("# Digitale Balie kiosk. Written by staff mode; see README.md.\n")
	if err := toml.NewEncoder(&buf).Encode(c); err != nil {
		return err
	}
	data := []byte(buf.String())
	tmp, err := os.CreateTemp(filepath.Dir(path), ".kiosk-*.toml")
	if err != nil {
		return writeInPlace(path, data)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if err := writeSynced(tmp, data); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func writeInPlace(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	return writeSynced(f, data)
}

// writeSynced writes data to f, flushes it to the disk and closes f.
func writeSynced(f *os.File, data []byte) error {
	_, err := f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
