package supervise_test

import (
	"bytes"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The exit codes both supervisors go by, from the Go runtime and
// cmd/balie: a stand-in kiosk (this test binary) ends each way, and only
// the clean quit is one that balie.service and balie-loop.cmd leave down.
func TestExitCodes(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	u := loadUnit(t)
	prevented := u.Words("Service", "RestartPreventExitStatus")
	stops := wrapperStopCodes(t, readWrapper(t))
	for _, tc := range []struct {
		mode, what string
		code       int
	}{
		{"quit", "staff pressed Ctrl+Alt+Q: main returns", 0},
		{"fatal", "a start-up error: cmd/balie's fail, os.Exit(1)", 1},
		{"panic", "a Go panic", 2},
	} {
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = append(os.Environ(), helperEnv+"="+tc.mode)
		out, err := cmd.CombinedOutput()
		code := 0
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != tc.code {
			t.Errorf("%s: exit code %d, want %d\n%s", tc.what, code, tc.code, out)
		}
		if tc.mode == "panic" && !bytes.Contains(out, []byte("panic: stand-in kiosk crashes")) {
			t.Errorf("a panic's trace is not on stderr, where the journal and balie.log get it:\n%s", out)
		}
		want := code != 0
		if restarts := !slices.Contains(prevented, strconv.Itoa(code)); restarts != want {
			t.Errorf("%s (exit code %d): balie.service restarts it: %v, want %v", tc.what, code, restarts, want)
		}
		if restarts := !slices.Contains(stops, strconv.Itoa(code)); restarts != want {
			t.Errorf("%s (exit code %d): balie-loop.cmd restarts it: %v, want %v", tc.what, code, restarts, want)
		}
	}
}

// Exit code 0 tells the supervisors that staff quit. So cmd/balie never
// says os.Exit(0): it quits by returning from main (Ctrl+Alt+Q), and ends
// on an error with os.Exit(1).
func TestKioskNeverExitsZeroOnError(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join("..", "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("cmd/balie's Go files: %v %v", files, err)
	}
	exits := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "Exit" {
				return true
			}
			if pkg, ok := sel.X.(*ast.Ident); !ok || pkg.Name != "os" || len(call.Args) != 1 {
				return true
			}
			exits++
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok {
				t.Logf("%s: os.Exit with a computed code: it must not be 0 but for staff quitting", fset.Position(call.Pos()))
			} else if lit.Value == "0" {
				t.Errorf("%s: os.Exit(0) would tell balie.service and balie-loop.cmd that staff quit, and the kiosk stays down: return from main, or exit non-zero on an error", fset.Position(call.Pos()))
			}
			return true
		})
	}
	if exits == 0 {
		t.Error("no os.Exit found in cmd/balie: has fail moved? check what the kiosk exits with")
	}
}

func readWrapper(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("balie-loop.cmd")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// wrapperLines are the script's lines without the comments.
func wrapperLines(s string) []string {
	var lines []string
	for _, l := range strings.Split(s, "\r\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(strings.ToLower(l), "rem ") || strings.EqualFold(l, "rem") || strings.HasPrefix(l, "::") {
			continue
		}
		lines = append(lines, l)
	}
	return lines
}

// wrapperStopCodes returns the exit codes the wrapper stops at: those in
// `if "%CODE%"=="N" goto quit`.
func wrapperStopCodes(t *testing.T, s string) []string {
	t.Helper()
	var codes []string
	re := regexp.MustCompile(`(?i)^if "%CODE%"=="(-?\d+)" goto quit$`)
	for _, l := range wrapperLines(s) {
		if m := re.FindStringSubmatch(l); m != nil {
			codes = append(codes, m[1])
		}
	}
	return codes
}

// What can be checked of balie-loop.cmd without Windows: it is a batch
// file cmd.exe reads right, it stops at exit code 0 only, and it waits
// and gives up as balie.service does.
func TestWrapper(t *testing.T) {
	s := readWrapper(t)
	if strings.Count(s, "\n") != strings.Count(s, "\r\n") || !strings.HasSuffix(s, "\r\n") {
		t.Error("balie-loop.cmd must have CRLF line ends throughout: cmd.exe misreads labels in a file with bare LF (see .gitattributes)")
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			t.Fatalf("byte %d is not ASCII: cmd.exe reads a batch file in the console's code page", i)
		}
	}
	lines := wrapperLines(s)
	if len(lines) == 0 || !strings.EqualFold(lines[0], "@echo off") {
		t.Error("balie-loop.cmd does not start with @echo off")
	}

	// Stops at 0 and at nothing else; never with "if errorlevel N", which
	// is true for N and up and so takes a negative NTSTATUS (a crash in C
	// code, 0xC0000005 = -1073741819) for a clean exit.
	if stops := wrapperStopCodes(t, s); !slices.Equal(stops, []string{"0"}) {
		t.Errorf(`balie-loop.cmd stops at exit codes %q, want 0 alone (if "%%CODE%%"=="0" goto quit)`, stops)
	}
	code := strings.Join(lines, "\n")
	if m := regexp.MustCompile(`(?i)\bif\s+(not\s+)?errorlevel\b`).FindString(code); m != "" {
		t.Errorf("balie-loop.cmd uses %q: compare %%ERRORLEVEL%% as text", m)
	}
	// The code is taken right after balie.exe ran, before any other
	// command can change ERRORLEVEL.
	run := -1
	for i, l := range lines {
		if strings.Contains(l, `"%BALIE%"`) {
			run = i
		}
	}
	if run < 0 || run+2 >= len(lines) || lines[run+1] != ")" || lines[run+2] != `set "CODE=%ERRORLEVEL%"` {
		t.Errorf(`balie-loop.cmd must take set "CODE=%%ERRORLEVEL%%" on the line after the block that runs "%%BALIE%%"`)
	}
	if !slices.Contains(lines, `set "BALIE=%~dp0balie.exe"`) {
		t.Error("balie-loop.cmd does not run the balie.exe next to it")
	}
	// The quit label ends the script; every jump has its label.
	labels := map[string]int{}
	for i, l := range lines {
		if strings.HasPrefix(l, ":") {
			labels[strings.ToLower(l[1:])] = i
		}
	}
	for _, m := range regexp.MustCompile(`(?i)\b(?:goto|call) :?(\w+)`).FindAllStringSubmatch(code, -1) {
		if _, ok := labels[strings.ToLower(m[1])]; !ok {
			t.Errorf("%s has no label :%s", m[0], m[1])
		}
	}
	for _, label := range []string{"quit", "crashloop"} {
		i, ok := labels[label]
		if !ok {
			continue
		}
		var exit string
		for _, l := range lines[i+1:] {
			if strings.HasPrefix(strings.ToLower(l), "exit /b") || strings.HasPrefix(strings.ToLower(l), "goto") {
				exit = strings.ToLower(l)
				break
			}
		}
		if want := map[string]string{"quit": "exit /b 0", "crashloop": "exit /b 1"}[label]; exit != want {
			t.Errorf(":%s ends with %q, want %q", label, exit, want)
		}
	}
	// Brackets outside quotes and echoes pair up: one stray ) ends a block
	// early.
	depth := 0
	for _, l := range lines {
		if strings.Contains(strings.ToLower(l), " echo ") {
			continue
		}
		inQuote := false
		for _, r := range l {
			switch {
			case r == '"':
				inQuote = !inQuote
			case r == '(' && !inQuote:
				depth++
			case r == ')' && !inQuote:
				depth--
			}
		}
		if depth < 0 {
			t.Fatalf("a ) closes no block: %s", l)
		}
	}
	if depth != 0 {
		t.Errorf("%d blocks are not closed", depth)
	}

	// The same limits as the unit, so that a kiosk behaves alike on both.
	l := unitLimits(t, loadUnit(t))
	vars := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^set "(\w+)=(\d+)"\r?$`).FindAllStringSubmatch(s, -1) {
		vars[m[1]] = m[2]
	}
	for name, want := range map[string]int{
		"DELAY":    int(l.delay / time.Second),
		"BURST":    l.burst,
		"INTERVAL": int(l.interval / time.Second),
	} {
		if vars[name] != strconv.Itoa(want) {
			t.Errorf(`balie-loop.cmd: set "%s=%s", want %d as in balie.service`, name, vars[name], want)
		}
	}
	// ping -n N waits N-1 seconds and, unlike timeout, needs no keyboard.
	if !slices.Contains(lines, `set /a "PINGS=DELAY+1"`) || !slices.Contains(lines, `ping -n %PINGS% 127.0.0.1 >nul`) {
		t.Error("balie-loop.cmd does not wait DELAY seconds with ping before starting again")
	}
	if regexp.MustCompile(`(?im)^timeout\b`).MatchString(code) {
		t.Error("timeout fails at once without a console keyboard: use ping")
	}
}
