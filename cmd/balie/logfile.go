package main

import (
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
)

// logLimit is the size at which the log file starts over, keeping the one
// before as <file>.1: a kiosk runs for weeks.
const logLimit = 1 << 20

// openLog opens the log file the kiosk writes to besides stderr, where
// nobody reads stderr (Windows' Shell Launcher), and sends a crash's trace
// there too. The log holds no personal data (the kiosk never logs any).
// An empty path logs to stderr only.
func openLog(path string) (io.Writer, error) {
	if path == "" {
		return os.Stderr, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return os.Stderr, err
	}
	if info, err := os.Stat(path); err == nil && info.Size() > logLimit {
		_ = os.Rename(path, path+".1")
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return os.Stderr, err
	}
	if err := debug.SetCrashOutput(f, debug.CrashOptions{}); err != nil {
		return io.MultiWriter(os.Stderr, f), err
	}
	return io.MultiWriter(os.Stderr, f), nil
}
