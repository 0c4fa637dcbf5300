//go:build (linux && wayland && !x11) || ((freebsd || netbsd) && wayland)

package main

// builtDrivers: built with -tags wayland, the GLFW driver opens Wayland only.
var builtDrivers = displayDrivers{wayland: true}
