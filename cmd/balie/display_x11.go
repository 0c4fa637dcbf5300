//go:build (linux && x11 && !wayland) || ((freebsd || netbsd) && !wayland) || openbsd

package main

// builtDrivers: built with -tags x11 (or on a BSD without -tags wayland),
// the GLFW driver opens X11 only.
var builtDrivers = displayDrivers{x11: true}
