package main

import (
	"os"
	"path/filepath"
)

// displayDrivers are the display servers the window driver built into this
// binary can open: Fyne's GLFW driver on Linux has both X11 and Wayland
// unless built with -tags x11 or -tags wayland (display_*.go). On Windows
// and macOS there is always a desktop, and no check.
type displayDrivers struct{ x11, wayland bool }

// missingDisplay says in one line why the window cannot open here, or ""
// when there is a display server to try. Fyne would otherwise fail deep in
// its driver, with a panic and a goroutine trace, at the first window.
// getenv reads the environment; exists tells whether a path exists.
func missingDisplay(d displayDrivers, getenv func(string) string, exists func(string) bool) string {
	x11 := getenv("DISPLAY") != ""
	// libwayland connects to WAYLAND_SOCKET, else WAYLAND_DISPLAY, else
	// wayland-0 in XDG_RUNTIME_DIR.
	wayland := getenv("WAYLAND_DISPLAY") != "" || getenv("WAYLAND_SOCKET") != "" ||
		(getenv("XDG_RUNTIME_DIR") != "" && exists(filepath.Join(getenv("XDG_RUNTIME_DIR"), "wayland-0")))
	const how = "start it in the PC's desktop session, or for a test under a virtual display: xvfb-run -a balie"
	if d.x11 && d.wayland {
		// Fyne's FYNE_PLATFORM picks one of the two.
		switch getenv("FYNE_PLATFORM") {
		case "x11":
			if !x11 {
				return "balie needs a graphical session: FYNE_PLATFORM=x11 but DISPLAY is not set; " + how
			}
			return ""
		case "wayland":
			if !wayland {
				return "balie needs a graphical session: FYNE_PLATFORM=wayland but WAYLAND_DISPLAY is not set; " + how
			}
			return ""
		}
	}
	switch {
	case (d.x11 && x11) || (d.wayland && wayland) || (!d.x11 && !d.wayland):
		return ""
	case !d.wayland:
		return "balie needs a graphical session: DISPLAY is not set (this build opens X11 only); " + how
	case !d.x11:
		return "balie needs a graphical session: WAYLAND_DISPLAY is not set (this build opens Wayland only); " + how
	}
	return "balie needs a graphical session: neither DISPLAY (X11) nor WAYLAND_DISPLAY (Wayland) is set; " + how
}

// pathExists is missingDisplay's exists on the real file system.
func pathExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
