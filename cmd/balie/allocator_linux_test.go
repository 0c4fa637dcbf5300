//go:build linux

package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

func TestJemallocToPreload(t *testing.T) {
	installed := func(string) bool { return true }
	missing := func(string) bool { return false }
	tests := []struct {
		name   string
		env    map[string]string
		exists func(string) bool
		want   string
	}{
		{"installed", nil, installed, jemallocPaths[0]},
		{"not installed", nil, missing, ""},
		{"staff chose the system's", map[string]string{allocatorEnv: "system"}, installed, ""},
		{"someone else's LD_PRELOAD", map[string]string{"LD_PRELOAD": "/opt/x.so"}, installed, ""},
		{"already restarted", map[string]string{preloadedEnv: jemallocPaths[0]}, installed, ""},
		{"another value is no opt-out", map[string]string{allocatorEnv: "jemalloc"}, installed, jemallocPaths[0]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := jemallocToPreload(func(k string) string { return tt.env[k] }, tt.exists); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// allocatorChildEnv makes the test binary, linked like the kiosk, run
// useJemalloc and report what it got (see TestMain).
const allocatorChildEnv = "BALIE_TEST_ALLOCATOR_CHILD"

// reportAllocator is the child's side: the library useJemalloc returned,
// the LD_PRELOAD a browser started now would inherit, and whether
// jemalloc is really in the process.
func reportAllocator() {
	lib := useJemalloc()
	maps, _ := os.ReadFile("/proc/self/maps")
	fmt.Printf("lib=%s preload=%s mapped=%v\n", lib, os.Getenv("LD_PRELOAD"), strings.Contains(string(maps), "libjemalloc"))
}

// The kiosk starts itself again with jemalloc in the process, and leaves
// no LD_PRELOAD behind for the programs it starts; BALIE_ALLOCATOR=system
// keeps glibc's.
func TestKioskStartsAgainWithJemalloc(t *testing.T) {
	if jemallocToPreload(func(string) string { return "" }, pathExists) == "" {
		if os.Getenv("BALIE_REQUIRE_JEMALLOC") == "1" {
			t.Fatal("libjemalloc2 is not installed and BALIE_REQUIRE_JEMALLOC=1")
		}
		t.Skip("libjemalloc2 is not installed")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ allocator, want string }{
		{"", fmt.Sprintf("lib=%s preload= mapped=true", jemallocToPreload(func(string) string { return "" }, pathExists))},
		{"system", "lib= preload= mapped=false"},
	}
	for _, tt := range tests {
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = []string{allocatorChildEnv + "=1", allocatorEnv + "=" + tt.allocator, "PATH=" + os.Getenv("PATH")}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("BALIE_ALLOCATOR=%q: %v\n%s", tt.allocator, err, out)
		}
		if got := strings.TrimSpace(string(out)); got != tt.want {
			t.Errorf("BALIE_ALLOCATOR=%q: %q, want %q", tt.allocator, got, tt.want)
		}
	}
}
