//go:build linux

package main

import (
	"os"
	"syscall"
)

// The kiosk's C side (Mesa's GL, fonts, X) runs for weeks in one process,
// and glibc's allocator fragments under it: over 1,000 simulated visitors
// the resident memory kept growing (+10% after the first 100) while the C
// code's own allocations stayed flat. jemalloc, made for long-running
// processes, holds it level. So on Linux the kiosk starts itself again
// with jemalloc preloaded when Debian's libjemalloc2 is installed.

// jemallocPaths are where Debian's libjemalloc2 puts the library.
var jemallocPaths = []string{
	"/usr/lib/x86_64-linux-gnu/libjemalloc.so.2",
	"/usr/lib/aarch64-linux-gnu/libjemalloc.so.2",
}

// allocatorEnv turns jemalloc off with "system"; preloadedEnv tells the
// restarted kiosk that it runs with jemalloc.
const (
	allocatorEnv = "BALIE_ALLOCATOR"
	preloadedEnv = "BALIE_PRELOADED_ALLOCATOR"
)

// jemallocToPreload is the library to start again with, or "" to go on:
// when staff chose the system's allocator, when LD_PRELOAD is someone
// else's choice, when this is the restarted kiosk, or without jemalloc.
func jemallocToPreload(getenv func(string) string, exists func(string) bool) string {
	if getenv(allocatorEnv) == "system" || getenv("LD_PRELOAD") != "" || getenv(preloadedEnv) != "" {
		return ""
	}
	for _, p := range jemallocPaths {
		if exists(p) {
			return p
		}
	}
	return ""
}

// useJemalloc starts the kiosk again with jemalloc preloaded, before
// anything else runs. In the restarted kiosk it takes LD_PRELOAD out of
// the environment again, so the browser of a call and espeak-ng start with
// their own allocators, and returns the library in use ("" for glibc's).
func useJemalloc() string {
	if lib := os.Getenv(preloadedEnv); lib != "" {
		os.Unsetenv("LD_PRELOAD")
		os.Unsetenv(preloadedEnv)
		return lib
	}
	lib := jemallocToPreload(os.Getenv, pathExists)
	if lib == "" {
		return ""
	}
	self, err := os.Executable()
	if err != nil {
		return ""
	}
	env := append(os.Environ(), "LD_PRELOAD="+lib, preloadedEnv+"="+lib)
	syscall.Exec(self, os.Args, env) // returns only when it failed: go on with glibc's
	return ""
}
