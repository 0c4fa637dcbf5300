package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"golang.org/x/term"

	"github.com/digitalebalie/balie/app/backoffice"
	"github.com/digitalebalie/balie/app/city"
	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/gateway"
	"github.com/digitalebalie/balie/app/oidcsignin"
	"github.com/digitalebalie/balie/app/store"
)

// staffCommand is `balie-gateway staff add NAME --role ROLE --themes a,b`:
// it adds or replaces a local back-office account, with a password read
// from standard input (never from a flag, where ps would show it). The data
// file is locked while the gateway runs: stop it first.
func staffCommand(args []string, stdin io.Reader, stderr io.Writer) error {
	if len(args) < 2 || args[0] != "add" || strings.HasPrefix(args[1], "-") {
		return errors.New("usage: balie-gateway staff add NAME --role counter|lead|phone|privacy|admin [--themes energie,woonwijzer] [-config FILE] [-data DIR]")
	}
	name := strings.TrimSpace(args[1])
	cfg := defaults()
	fset := flag.NewFlagSet("balie-gateway staff add", flag.ContinueOnError)
	path := fset.String("config", "/etc/balie/gateway.toml", "configuration file (TOML), for the data directory")
	data := fset.String("data", "", "directory of the data file (default: the config's data)")
	roleName := fset.String("role", "", "counter, lead, phone, privacy or admin")
	themes := fset.String("themes", "", "the themes of a counter or lead, comma-separated ids")
	if err := fset.Parse(args[2:]); err != nil {
		return err
	}
	if _, err := toml.DecodeFile(*path, &cfg); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("config %s: %w", *path, err)
	}
	if *data != "" {
		cfg.Data = *data
	}
	role, err := backoffice.ParseRole(*roleName)
	if err != nil {
		return err
	}
	c, err := city.Load(cfg.City)
	if err != nil {
		return err
	}
	services := c.Services()
	var ids []string
	for _, t := range strings.Split(*themes, ",") {
		if t = strings.TrimSpace(t); t == "" {
			continue
		}
		if !slices.ContainsFunc(services, func(s domain.Service) bool { return s.ID == t && s.ByVideo }) {
			return fmt.Errorf("unknown theme %q", t)
		}
		ids = append(ids, t)
	}
	if (role == backoffice.RoleCounter || role == backoffice.RoleLead) && len(ids) == 0 {
		return fmt.Errorf("a %s needs --themes", role)
	}
	password, err := readPassword(stdin, stderr)
	if err != nil {
		return err
	}
	hash, err := backoffice.HashPassword(password)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(cfg.Data, 0o700); err != nil {
		return err
	}
	st, err := store.Open(store.Options{Path: cfg.dataFile(), Services: services})
	if err != nil {
		return fmt.Errorf("%w (is balie-gateway running? stop it first)", err)
	}
	defer st.Close()
	if err := st.PutStaff(store.StaffAccount{Name: name, Role: string(role), Themes: ids, Hash: hash, CreatedAt: time.Now()}, "staff-add"); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "staff account %q (%s %v) saved in %s\n", name, role, ids, cfg.dataFile())
	return nil
}

// readPassword reads one line: without echo from a terminal, or as it
// comes from a pipe.
func readPassword(stdin io.Reader, stderr io.Writer) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stderr, "Password (at least 12 characters): ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		return string(b), err
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", errors.New("no password on standard input")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// newBackOffice builds the back office: its pages when staff_listen is
// on, and the staff sign-in of the kiosks' staff mode in any case.
func newBackOffice(cfg config, st *store.Store, log *slog.Logger) (*backoffice.Server, error) {
	opts := backoffice.Options{Store: st, Log: log, Insecure: cfg.TLSCert == "" && loopback(cfg.StaffListen), FeedBase: cfg.PublicBase}
	if cfg.OIDC.Issuer != "" && cfg.StaffListen != "off" {
		secret := cfg.OIDC.ClientSecret
		if cfg.OIDC.ClientSecretFile != "" {
			b, err := os.ReadFile(cfg.OIDC.ClientSecretFile)
			if err != nil {
				return nil, fmt.Errorf("oidc client_secret_file: %w", err)
			}
			secret = strings.TrimSpace(string(b))
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		p, err := oidcsignin.New(ctx, oidcsignin.Config{Issuer: cfg.OIDC.Issuer, ClientID: cfg.OIDC.ClientID, ClientSecret: secret,
			RedirectURL: cfg.OIDC.RedirectURL, GroupsClaim: cfg.OIDC.GroupsClaim})
		if err != nil {
			return nil, fmt.Errorf("oidc: %w", err)
		}
		opts.OIDC = p
		if opts.GroupRoles, err = groupRoles(cfg.OIDC.Groups); err != nil {
			return nil, err
		}
	}
	return backoffice.New(opts)
}

// kioskSignIn lets staff sign in at a kiosk's staff mode with their
// back-office account, through the gateway's API.
func kioskSignIn(bo *backoffice.Server) gateway.StaffSignIn {
	return func(_ context.Context, name, password string) (gateway.StaffGrant, error) {
		staff, err := bo.CheckPassword(name, password)
		if errors.Is(err, backoffice.ErrWrongPassword) {
			return gateway.StaffGrant{}, gateway.ErrWrongCredentials
		}
		if err != nil {
			return gateway.StaffGrant{}, err
		}
		return gateway.StaffGrant{Who: staff.Who(), Name: staff.Name, Help: staff.AnswersHelp(), Figures: staff.SeesFigures()}, nil
	}
}

// staffServer is the back office on its own listener: /staff/ and a
// redirect to it from /.
func staffServer(cfg config, bo *backoffice.Server) (*http.Server, net.Listener, error) {
	ln, err := net.Listen("tcp", cfg.StaffListen)
	if err != nil {
		return nil, nil, fmt.Errorf("staff_listen: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/staff/", bo)
	mux.Handle("/{$}", http.RedirectHandler("/staff/", http.StatusSeeOther))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 16 << 10}
	return srv, ln, nil
}

// groupRoles reads [oidc.groups]: group → "role" or "role:theme,theme".
func groupRoles(groups map[string]string) (map[string]backoffice.Staff, error) {
	out := map[string]backoffice.Staff{}
	for group, spec := range groups {
		roleName, themes, _ := strings.Cut(spec, ":")
		role, err := backoffice.ParseRole(roleName)
		if err != nil {
			return nil, fmt.Errorf("oidc group %q: %w", group, err)
		}
		st := backoffice.Staff{Role: role}
		for _, t := range strings.Split(themes, ",") {
			if t = strings.TrimSpace(t); t != "" {
				st.Themes = append(st.Themes, t)
			}
		}
		out[group] = st
	}
	return out, nil
}
