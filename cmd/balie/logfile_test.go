package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The log file gets what is logged, and starts over past logLimit, keeping
// the previous one.
func TestLogFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "logs", "balie.log")
	w, err := openLog(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("line one\n")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "line one\n" {
		t.Fatalf("log file holds %q", b)
	}
	if err := os.WriteFile(path, []byte(strings.Repeat("x", logLimit+1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := openLog(path); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(path + ".1"); err != nil || info.Size() != logLimit+1 {
		t.Fatalf("the full log was not kept as .1: %v", err)
	}
	if info, err := os.Stat(path); err != nil || info.Size() != 0 {
		t.Fatalf("the log did not start over: %v", err)
	}
}
