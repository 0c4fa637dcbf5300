package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/digitalebalie/balie/app/city"
)

// config is everything a city sets for its gateway. It is read from a TOML
// file; flags given on the command line override the file.
type config struct {
	Listen     string `toml:"listen"`      // host:port
	TLSCert    string `toml:"tls_cert"`    // PEM files; both empty = plain HTTP behind a reverse proxy
	TLSKey     string `toml:"tls_key"`     //
	Data       string `toml:"data"`        // directory of the data file
	PublicBase string `toml:"public_base"` // where phones reach the gateway, for /a/{token}
	// City is the city file: a built-in city ("gent", "mechelen") or a
	// path. It gives the themes, the help line and the video link.
	City string `toml:"city"`
	// JoinTemplate overrides the city's video link per appointment:
	// {room}, {code}, {lang}. Empty: the city's.
	JoinTemplate string   `toml:"join_template"`
	Retention    duration `toml:"retention"` // keep appointments this long after they end
	// ResearchRetention keeps the contact of a visitor who agreed to be
	// asked about the service this long (default 90 days).
	ResearchRetention duration          `toml:"research_retention"`
	Devices           map[string]string `toml:"devices"` // kiosk name → bearer token
	// DeviceBookingsPerHour bounds the bookings of one kiosk in any hour,
	// so a leaked token cannot book the calendar empty.
	DeviceBookingsPerHour int               `toml:"device_bookings_per_hour"`
	Staff                 map[string]string `toml:"staff"` // staff member or tool → bearer token, for /v1/staff
	SMTP                  smtpConfig        `toml:"smtp"`  // confirmation and cancellation e-mails
	SMS                   smsConfig         `toml:"sms"`   // reminders
	// OutboxEvery is how often the outbox is checked for messages due;
	// RetryAfter the first wait after a failed send (it doubles, up to an
	// hour).
	OutboxEvery duration `toml:"outbox_every"`
	RetryAfter  duration `toml:"retry_after"`
	// StaffListen is the back office's own address, so a city can keep it
	// on its internal network; "off" serves no back office.
	StaffListen string `toml:"staff_listen"`
	// OIDC signs staff in with the city's identity provider.
	OIDC oidcConfig `toml:"oidc"`

	city *city.City // the city file, read by loadConfig
}

// oidcConfig is the back office's sign-in with the city's identity
// provider (Entra ID, Keycloak). Without an issuer, only local accounts
// (balie-gateway staff add) sign in.
type oidcConfig struct {
	Issuer           string `toml:"issuer"`
	ClientID         string `toml:"client_id"`
	ClientSecret     string `toml:"client_secret"`
	ClientSecretFile string `toml:"client_secret_file"`
	RedirectURL      string `toml:"redirect_url"` // https://<staff host>/staff/oidc/callback
	GroupsClaim      string `toml:"groups_claim"` // default "groups"
	// Groups maps a group (its id in Entra ID) to "role" or
	// "role:theme,theme", e.g. "lead:energie,woonwijzer".
	Groups map[string]string `toml:"groups"`
}

// smtpConfig is the city's mail server. Without a host no e-mail goes out:
// every one shows as failed to staff.
type smtpConfig struct {
	Host         string `toml:"host"`
	Port         int    `toml:"port"`          // default 587
	TLS          string `toml:"tls"`           // starttls (default), tls (port 465), none (local relay only)
	Username     string `toml:"username"`      // empty: no login
	Password     string `toml:"password"`      //
	PasswordFile string `toml:"password_file"` // instead of password: keeps the secret out of the config
	From         string `toml:"from"`          // "Stad Gent <no-reply@stad.gent>"
}

// smsConfig is the city's SMS gateway: a generic HTTP provider, or a folder
// of text files for development. Without one, no SMS goes out.
type smsConfig struct {
	Provider    string            `toml:"provider"` // "http", "file" or ""
	URL         string            `toml:"url"`
	Method      string            `toml:"method"`
	Headers     map[string]string `toml:"headers"` // e.g. Authorization = "Bearer …"
	ContentType string            `toml:"content_type"`
	Body        string            `toml:"body"` // text/template: .To .Text .Ref, json and query
	Dir         string            `toml:"dir"`  // for "file"
}

// defaults are good for a local trial: loopback, a data directory beside
// the binary's working directory, the default city, a 30-day retention.
func defaults() config {
	return config{
		Listen:                "127.0.0.1:8080",
		Data:                  "balie-gateway-data",
		City:                  city.Default,
		Retention:             duration{30 * 24 * time.Hour},
		ResearchRetention:     duration{90 * 24 * time.Hour},
		DeviceBookingsPerHour: 20,
		OutboxEvery:           duration{15 * time.Second},
		RetryAfter:            duration{time.Minute},
		StaffListen:           "127.0.0.1:8081",
	}
}

// duration reads "720h" or "30m" from TOML.
type duration struct{ time.Duration }

func (d *duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	d.Duration = v
	return err
}

// DeviceTokensVar names the environment variable that may add device
// tokens, "name=token,name=token": tokens never go on the command line,
// where any user of the machine can read them.
const DeviceTokensVar = "BALIE_GATEWAY_DEVICE_TOKENS"

// loadConfig reads the file named by -config (when it exists, or always
// when it was named explicitly), then the device tokens in the environment
// (getenv), then applies the flags that were set.
func loadConfig(args []string, getenv func(string) string) (config, error) {
	cfg := defaults()
	fset := flag.NewFlagSet("balie-gateway", flag.ContinueOnError)
	path := fset.String("config", "/etc/balie/gateway.toml", "configuration file (TOML)")
	listen := fset.String("listen", cfg.Listen, "address to listen on, host:port")
	cert := fset.String("tls-cert", "", "TLS certificate (PEM); without it, plain HTTP for use behind a reverse proxy")
	key := fset.String("tls-key", "", "TLS private key (PEM)")
	data := fset.String("data", cfg.Data, "directory for the data file")
	base := fset.String("public-base", "", "public base URL of the gateway, for the phone page links (default http://<listen>)")
	staffListen := fset.String("staff-listen", cfg.StaffListen, "address of the back office for city staff, host:port, or off")
	cityFile := fset.String("city", cfg.City, "the city: a built-in one ("+strings.Join(city.Builtin(), ", ")+") or the path of a city file")
	join := fset.String("join-template", "", "video link template, instead of the city's; {room}, {code} and {lang} are filled in")
	retention := fset.Duration("retention", cfg.Retention.Duration, "how long to keep appointments after they end")
	fset.Usage = func() {
		fmt.Fprintf(fset.Output(), "Usage: balie-gateway [flags]\n\nDevice tokens come from the config file's [devices] or from %s=\"name=token,...\", never from a flag.\n\n", DeviceTokensVar)
		fset.PrintDefaults()
	}
	if err := fset.Parse(args); err != nil {
		return cfg, err
	}
	set := map[string]bool{}
	fset.Visit(func(f *flag.Flag) { set[f.Name] = true })

	if _, err := toml.DecodeFile(*path, &cfg); err != nil {
		if !errors.Is(err, fs.ErrNotExist) || set["config"] {
			return cfg, fmt.Errorf("config %s: %w", *path, err)
		}
	}
	override := func(name string, dst *string, v string) {
		if set[name] {
			*dst = v
		}
	}
	override("listen", &cfg.Listen, *listen)
	override("tls-cert", &cfg.TLSCert, *cert)
	override("tls-key", &cfg.TLSKey, *key)
	override("data", &cfg.Data, *data)
	override("public-base", &cfg.PublicBase, *base)
	override("staff-listen", &cfg.StaffListen, *staffListen)
	override("join-template", &cfg.JoinTemplate, *join)
	override("city", &cfg.City, *cityFile)
	if set["retention"] {
		cfg.Retention.Duration = *retention
	}
	if cfg.Devices == nil {
		cfg.Devices = map[string]string{}
	}
	if env := getenv(DeviceTokensVar); env != "" {
		for _, pair := range strings.Split(env, ",") {
			name, token, ok := strings.Cut(strings.TrimSpace(pair), "=")
			if !ok || name == "" {
				return cfg, fmt.Errorf("%s: write name=token pairs separated by commas", DeviceTokensVar)
			}
			cfg.Devices[name] = token
		}
	}
	var err error
	if cfg.city, err = city.Load(cfg.City); err != nil {
		return cfg, err
	}
	if cfg.JoinTemplate == "" {
		cfg.JoinTemplate = cfg.city.Video.JoinTemplate
	}
	return cfg, cfg.check()
}

// check refuses a configuration the gateway cannot run with.
func (c *config) check() error {
	var problems []string
	if len(c.Devices) == 0 {
		problems = append(problems, "no device tokens: add [devices] to the config file or set "+DeviceTokensVar+"=name=token")
	}
	// Each token names one caller: two kiosks on one token would share a
	// name, a quota and figures, and a staff token that is also a kiosk's
	// would open the staff endpoints to a token that may leak.
	owner := map[string]string{}
	for name, token := range c.Devices {
		if token == "" {
			problems = append(problems, fmt.Sprintf("device %q has an empty token", name))
			continue
		}
		if other, taken := owner[token]; taken {
			a, b := min(name, other), max(name, other)
			problems = append(problems, fmt.Sprintf("devices %q and %q share a token: give each kiosk its own", a, b))
		}
		owner[token] = name
	}
	for name, token := range c.Staff {
		if other, taken := owner[token]; taken && token != "" {
			problems = append(problems, fmt.Sprintf("staff %q has the token of device %q: a kiosk's token must never open the staff endpoints", name, other))
		}
	}
	sort.Strings(problems)
	if (c.TLSCert == "") != (c.TLSKey == "") {
		problems = append(problems, "tls_cert and tls_key go together")
	}
	if !strings.Contains(c.JoinTemplate, "{room}") && !strings.Contains(c.JoinTemplate, "{code}") {
		problems = append(problems, "join_template needs {room} or {code}, or every call would share one room")
	}
	switch c.SMS.Provider {
	case "", "http", "file":
	default:
		problems = append(problems, fmt.Sprintf("sms provider %q: use http, file or leave it out", c.SMS.Provider))
	}
	if c.OutboxEvery.Duration <= 0 || c.RetryAfter.Duration <= 0 {
		problems = append(problems, "outbox_every and retry_after must be positive")
	}
	if c.DeviceBookingsPerHour < 1 {
		problems = append(problems, "device_bookings_per_hour must be at least 1")
	}
	if c.OIDC.Issuer != "" {
		if c.OIDC.ClientID == "" || c.OIDC.RedirectURL == "" || (c.OIDC.ClientSecret == "") == (c.OIDC.ClientSecretFile == "") {
			problems = append(problems, "oidc needs client_id, redirect_url and one of client_secret or client_secret_file")
		}
		if len(c.OIDC.Groups) == 0 {
			problems = append(problems, "oidc needs [oidc.groups]: which group of the city's directory gets which role")
		}
	}
	c.PublicBase = strings.TrimRight(c.PublicBase, "/")
	if c.PublicBase == "" && !loopback(c.Listen) {
		problems = append(problems, "public_base is required when listening on "+c.Listen+
			": e-mails, SMS and QR codes would otherwise link to an address phones cannot reach (set public_base = \"https://balie.<city>.be\")")
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// publicBaseFor is the configured public base, or else the address the
// gateway actually listens on (which tells the port chosen for ":0").
func (c config) publicBaseFor(addr string) string {
	if c.PublicBase != "" {
		return c.PublicBase
	}
	if c.TLSCert != "" {
		return "https://" + addr
	}
	return "http://" + addr
}

// weakTokens names the devices whose token is too short to be safe, so the
// operator is warned; a local trial may still use one.
func (c config) weakTokens() []string {
	var weak []string
	for name, token := range c.Devices {
		if len(token) < 16 {
			weak = append(weak, name)
		}
	}
	sort.Strings(weak)
	return weak
}

// dataFile is the one file the gateway keeps.
func (c config) dataFile() string { return filepath.Join(c.Data, "gateway.db") }

// loopback tells whether a listen address is reachable from this machine
// only: then the gateway's own address may serve as its public base.
func loopback(listen string) bool {
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
