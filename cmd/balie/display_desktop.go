//go:build !linux && !freebsd && !netbsd && !openbsd

package main

// builtDrivers: Windows and macOS have their own window system, always
// there in a desktop session; missingDisplay never objects.
var builtDrivers = displayDrivers{}
