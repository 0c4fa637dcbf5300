package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/digitalebalie/balie/app/city"
	"github.com/digitalebalie/balie/app/gateway"
	"github.com/digitalebalie/balie/app/store"
)

// deviceToken is the one kiosk every client plays.
const deviceToken = "load-test-device-token"

// loadLimits replace gateway.DefaultLimits for the run. They bound only
// lookups and cancellations by code, which no scenario calls, so they change
// nothing measured; they are wide open all the same, so the figures can never
// be the rate limiter's.
var loadLimits = gateway.Limits{
	DeviceEvery: time.Nanosecond, DeviceBurst: 1 << 30,
	HelpEvery: time.Nanosecond, HelpBurst: 1 << 30,
	FeedbackEvery: time.Nanosecond, FeedbackBurst: 1 << 30,
	MaxBuckets: 1 << 20,
}

// target is a real gateway on a loopback port, over a fresh store.
type target struct {
	base  string // http://127.0.0.1:PORT
	store *store.Store
	srv   *http.Server
	done  chan error
}

// startTarget opens a new store file in dir and serves a gateway over it on
// 127.0.0.1 with an http.Server set up as balie-gateway's is. It logs each
// request like balie-gateway, into io.Discard: the cost of formatting is
// measured, a terminal's speed is not.
func startTarget(dir string) (*target, error) {
	path := filepath.Join(dir, "load.db")
	os.Remove(path)
	st, err := store.Open(store.Options{
		Path:      path,
		Services:  city.MustLoad("gent").Services(),
		PhoneBase: "https://balie.example",
	})
	if err != nil {
		return nil, err
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	gw := gateway.New(gateway.Options{
		Store:   st,
		Devices: map[string]string{deviceToken: "load"},
		Limits:  loadLimits,
		Log:     log,
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		st.Close()
		return nil, err
	}
	t := &target{
		base:  "http://" + ln.Addr().String(),
		store: st,
		srv:   gateway.NewServer(gw, log),
		done:  make(chan error, 1),
	}
	go func() { t.done <- t.srv.Serve(ln) }()
	return t, nil
}

// close stops the server, waiting for answers in flight, and closes the
// store.
func (t *target) close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := t.srv.Shutdown(ctx)
	if serveErr := <-t.done; !errors.Is(serveErr, http.ErrServerClosed) {
		err = errors.Join(err, serveErr)
	}
	return errors.Join(err, t.store.Close())
}
