package main

import (
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// endSignals notes a SIGTERM or an interrupt. Fyne's driver answers both by
// closing the window cleanly, so without this the kiosk would exit 0, as
// after staff's Ctrl+Alt+Q, and a supervisor that restarts it after a
// failure only would leave a public PC on an empty screen.
type endSignals chan os.Signal

func watchEndSignals() endSignals {
	ch := make(endSignals, 1)
	signal.Notify(ch, syscall.SIGTERM, os.Interrupt)
	return ch
}

// exitIfSignalled, once the window has closed, ends the process by the
// signal that closed it (status 143 or 130: not a staff quit), or with
// status 1 where a process cannot signal itself (Windows).
func (e endSignals) exitIfSignalled(log *slog.Logger) {
	select {
	case s := <-e:
		log.Info("ended by a signal, not by staff: exiting as a failure", "signal", s.String())
		signal.Reset(s)
		if p, err := os.FindProcess(os.Getpid()); err == nil && p.Signal(s) == nil {
			time.Sleep(5 * time.Second) // the signal ends the process meanwhile
		}
		os.Exit(1)
	default:
	}
}
