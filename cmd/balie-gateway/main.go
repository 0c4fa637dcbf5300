// Command balie-gateway is the city-side service the kiosks talk to. It
// keeps the bookings in one embedded data file, serves the kiosk API under
// /v1 and the phone page the QR codes open under /a/. main only wires
// things together; see app/gateway for the handler.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/digitalebalie/balie/app/backoffice"
	"github.com/digitalebalie/balie/app/gateway"
	"github.com/digitalebalie/balie/app/notify"
	"github.com/digitalebalie/balie/app/store"
	"github.com/digitalebalie/balie/i18n"
)

func main() {
	log := slog.New(quietFaults{slog.NewTextHandler(os.Stderr, nil)})
	if len(os.Args) > 1 && os.Args[1] == "staff" {
		if err := staffCommand(os.Args[2:], os.Stdin, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, "balie-gateway staff:", err)
			os.Exit(2)
		}
		return
	}
	cfg, err := loadConfig(os.Args[1:], os.Getenv)
	if errors.Is(err, flag.ErrHelp) { // -h asked for the usage, which was printed
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "balie-gateway:", err)
		os.Exit(2)
	}
	if err := run(cfg, log); err != nil {
		log.Error("stopped", "err", err)
		os.Exit(1)
	}
}

func run(cfg config, log *slog.Logger) error {
	if weak := cfg.weakTokens(); len(weak) > 0 {
		log.Warn("device tokens shorter than 16 characters can be guessed; use long random ones in production", "devices", weak)
	}
	if err := os.MkdirAll(cfg.Data, 0o700); err != nil { // private to the gateway's user
		return err
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return err
	}
	defer ln.Close()
	cfg.PublicBase = cfg.publicBaseFor(ln.Addr().String())
	msgs, err := i18n.Load()
	if err != nil {
		return err
	}
	msgs.SetPlace(cfg.city.Place())
	services := cfg.city.Services()
	st, err := store.Open(store.Options{
		Path:         cfg.dataFile(),
		Services:     services,
		JoinTemplate: cfg.JoinTemplate,
		PhoneBase:    cfg.PublicBase,
		Retention:    cfg.Retention.Duration,
		// A consenting visitor's contact, for the city's evaluation.
		ResearchRetention: cfg.ResearchRetention.Duration,
		Notices:           true,
		Languages:         cfg.city.Offered(),
		// A kiosk's bookings are bounded per hour; one contact's to three.
		DeviceBookingsPerHour: cfg.DeviceBookingsPerHour,
		// A full disk or a read-only data file: one line, what to do.
		Log: log,
	})
	if err != nil {
		return err
	}
	defer st.Close()
	composer := notify.Composer{Catalog: msgs, Services: services,
		Installation: st.InstallationID(), Organizer: cfg.SMTP.From}
	worker, err := noticeWorker(cfg, st, composer, log)
	if err != nil {
		return err
	}

	phone, err := phonePage(st, msgs, cfg, log)
	if err != nil {
		return err
	}
	bo, err := newBackOffice(cfg, st, log)
	if err != nil {
		return err
	}
	gw := gateway.New(gateway.Options{
		Store:       st,
		Devices:     invert(cfg.Devices),
		Staff:       invert(cfg.Staff),
		StaffSignIn: kioskSignIn(bo),
		PhonePage:   phone,
		Feeds:       backoffice.FeedHandler(st, nil),
		Log:         log,
	})
	srv := gateway.NewServer(gw, log)
	log.Info("listening", "addr", ln.Addr().String(), "tls", cfg.TLSCert != "", "public_base", cfg.PublicBase,
		"data", cfg.dataFile(), "devices", len(cfg.Devices))

	// SIGTERM (systemd, docker) and Ctrl-C: finish the requests in flight,
	// then close the data file cleanly.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	workerDone := runWorker(ctx, worker, cfg.OutboxEvery.Duration)
	defer func() { stop(); <-workerDone }() // a send in flight ends before the data file closes
	purgeDone := keepPurging(ctx, st, time.Hour, log)
	defer func() { stop(); <-purgeDone }()
	servers := []*http.Server{srv}
	listeners := []net.Listener{ln}
	if cfg.StaffListen != "off" {
		staff, staffLn, err := staffServer(cfg, bo)
		if err != nil {
			return err
		}
		defer staffLn.Close()
		log.Info("back office listening", "addr", staffLn.Addr().String(), "oidc", cfg.OIDC.Issuer != "")
		servers, listeners = append(servers, staff), append(listeners, staffLn)
	}
	served := make(chan error, len(servers))
	for i, s := range servers {
		go func() {
			if cfg.TLSCert != "" {
				served <- s.ServeTLS(listeners[i], cfg.TLSCert, cfg.TLSKey)
			} else {
				served <- s.Serve(listeners[i])
			}
		}()
	}
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, s := range servers {
		if err := s.Shutdown(shutdownCtx); err != nil {
			return err
		}
	}
	for range servers {
		if err := <-served; !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	}
	log.Info("stopped cleanly")
	return nil
}

// keepPurging deletes appointments past the retention every interval
// (the store also purges when it opens), and says when it stopped.
func keepPurging(ctx context.Context, st *store.Store, every time.Duration, log *slog.Logger) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		st.KeepPurging(ctx, t.C, func(err error) { log.Error("purge", "err", err) })
	}()
	return done
}

// invert turns the config's name → token into the gateway's token → name.
func invert(devices map[string]string) map[string]string {
	out := make(map[string]string, len(devices))
	for name, token := range devices {
		out[token] = name
	}
	return out
}

// quietFaults leaves out the lines that would repeat, for every request,
// notice or purge it fails, a storage fault the store has reported already
// (a full disk, a read-only data file): the store writes one line per
// condition, saying what is wrong and what to do, and a flood of requests
// would bury it.
type quietFaults struct{ slog.Handler }

func (h quietFaults) Handle(ctx context.Context, r slog.Record) error {
	repeat := false
	r.Attrs(func(a slog.Attr) bool {
		err, ok := a.Value.Any().(error)
		repeat = ok && store.IsFault(err)
		return !repeat
	})
	if repeat {
		return nil
	}
	return h.Handler.Handle(ctx, r)
}

func (h quietFaults) WithAttrs(attrs []slog.Attr) slog.Handler {
	return quietFaults{h.Handler.WithAttrs(attrs)}
}

func (h quietFaults) WithGroup(name string) slog.Handler {
	return quietFaults{h.Handler.WithGroup(name)}
}
