package supervise_test

import (
	"fmt"
	"log"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/digitalebalie/balie/cmd/internal/unitfile"
)

// helperEnv turns this test binary into a stand-in kiosk: the supervisors'
// tests run it instead of balie, which needs a display. Its value is
// MODE or MODE:FILE; each start appends a line to FILE.
const helperEnv = "BALIE_SUPERVISE_HELPER"

func TestMain(m *testing.M) {
	if spec, ok := os.LookupEnv(helperEnv); ok {
		runHelper(spec)
	}
	os.Exit(m.Run())
}

// runHelper ends the process the way the kiosk can end:
//
//	quit   main returns (staff pressed Ctrl+Alt+Q): exit code 0
//	fatal  a start-up error, as cmd/balie's fail does: exit code 1
//	panic  a Go panic: exit code 2
//	crash  panics at every start (a crash loop)
//	flaky  panics at the first two starts, then runs for two minutes and
//	       quits cleanly, so that nothing is left behind
func runHelper(spec string) {
	mode, file, _ := strings.Cut(spec, ":")
	starts := 0
	if file != "" {
		f, err := os.OpenFile(file, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Fprintln(f, time.Now().Format(time.RFC3339Nano))
		f.Close()
		starts = countLines(file)
	}
	switch mode {
	case "quit":
		os.Exit(0)
	case "fatal":
		log.Fatal("stand-in kiosk: configuration: no such file")
	case "panic", "crash":
		panic("stand-in kiosk crashes")
	case "flaky":
		if starts <= 2 {
			panic(fmt.Sprintf("stand-in kiosk crashes at start %d", starts))
		}
		time.Sleep(2 * time.Minute)
		os.Exit(0)
	}
	log.Fatalf("unknown %s mode %q", helperEnv, mode)
}

func countLines(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	return strings.Count(string(b), "\n")
}

func loadUnit(t *testing.T) unitfile.File {
	t.Helper()
	u, err := unitfile.Read("balie.service")
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// limits are the restart settings the unit asks for, which the Windows
// wrapper copies.
type limits struct {
	delay    time.Duration // RestartSec
	burst    int           // StartLimitBurst
	interval time.Duration // StartLimitIntervalSec
}

func unitLimits(t *testing.T, u unitfile.File) limits {
	t.Helper()
	var l limits
	var err error
	for _, s := range []struct {
		section, key string
		set          func(string) error
	}{
		{"Service", "RestartSec", func(v string) (err error) { l.delay, err = unitfile.Timespan(v); return }},
		{"Unit", "StartLimitBurst", func(v string) (err error) { l.burst, err = strconv.Atoi(v); return }},
		{"Unit", "StartLimitIntervalSec", func(v string) (err error) { l.interval, err = unitfile.Timespan(v); return }},
	} {
		v, ok := u.Get(s.section, s.key)
		if !ok {
			t.Fatalf("balie.service: no %s= in [%s]", s.key, s.section)
		}
		if err = s.set(v); err != nil {
			t.Fatalf("balie.service: %s=%s: %v", s.key, v, err)
		}
	}
	return l
}
