//go:build linux && ((x11 && wayland) || (!x11 && !wayland))

package main

// builtDrivers: by default Fyne's GLFW driver on Linux opens X11 and Wayland.
var builtDrivers = displayDrivers{x11: true, wayland: true}
