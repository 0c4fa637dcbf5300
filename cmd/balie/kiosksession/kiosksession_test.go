package kiosksession_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/digitalebalie/balie/cmd/internal/unitfile"
)

// helperEnv turns this test binary into a Go program that ends the way
// balie can: "panic" panics (exit code 2, with a goroutine trace), as a
// crash in the kiosk does. The stand-in balie runs it for the plan step
// "gopanic".
const helperEnv = "KIOSKSESSION_HELPER"

func TestMain(m *testing.M) {
	switch os.Getenv(helperEnv) {
	case "":
	case "panic":
		panic("stand-in kiosk crashes")
	default:
		fmt.Fprintln(os.Stderr, "unknown", helperEnv)
		os.Exit(99)
	}
	os.Exit(m.Run())
}

// The installed locations that the files name one another by.
const (
	libDir     = "/usr/local/lib/balie-kiosk"
	runDir     = "/run/balie-kiosk"
	kioskUser  = "balie"
	windowsDir = "windows"
)

// fakeBalieScript stands in for balie: it records each start, then ends as
// line N of the plan says for start N, or as the plan's last line for
// later starts:
//
//	exit N    exit with code N at once
//	gopanic   run the test binary as a Go program that panics (exit code 2)
//	wait      run until the test writes an exit code to the file quit
//	window    the same, with an X window (xlogo) open meanwhile
//
// While it waits, the file running.N exists; a SIGTERM is noted in
// signals.
const fakeBalieScript = `#!/bin/sh
dir=$FAKE_BALIE_DIR
n=$(($(cat "$dir/starts" 2>/dev/null | wc -l) + 1))
echo "start=$n pid=$$ display=${DISPLAY:-} wayland=${WAYLAND_DISPLAY:-} gotraceback=${GOTRACEBACK:-} core=$(ulimit -c) args=$*" >>"$dir/starts"
plan=$(sed -n "${n}p" "$dir/plan")
[ -n "$plan" ] || plan=$(tail -n 1 "$dir/plan")
case $plan in
"exit "*) exit "${plan#exit }" ;;
gopanic) exec env ` + helperEnv + `=panic "$FAKE_BALIE_GO" ;;
wait | window)
	win=
	if [ "$plan" = window ]; then
		xlogo -geometry 200x100 &
		win=$!
	fi
	trap 'echo "start=$n SIGTERM" >>"$dir/signals"; [ -n "$win" ] && kill "$win"; exit 143' TERM
	: >"$dir/running.$n"
	while [ ! -e "$dir/quit" ]; do sleep 0.1; done
	code=$(cat "$dir/quit")
	rm -f "$dir/quit" "$dir/running.$n"
	[ -n "$win" ] && kill "$win"
	exit "$code" ;;
esac
echo "stand-in balie: bad plan $plan" >&2
exit 99
`

type fakeBalie struct {
	t    *testing.T
	dir  string // its records, and the plan
	path string // the script, for BALIE
}

// newFakeBalie writes a stand-in balie that follows plan, in a folder that
// every user may read and write (the cage test runs it as nobody).
func newFakeBalie(t *testing.T, plan ...string) *fakeBalie {
	t.Helper()
	dir := sharedTempDir(t)
	f := &fakeBalie{t: t, dir: dir, path: filepath.Join(dir, "balie")}
	if err := os.WriteFile(f.path, []byte(fakeBalieScript), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "plan"), []byte(strings.Join(plan, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

// env is what balie-run needs to run the stand-in.
func (f *fakeBalie) env() []string {
	exe, err := os.Executable()
	if err != nil {
		f.t.Fatal(err)
	}
	return []string{"BALIE=" + f.path, "FAKE_BALIE_DIR=" + f.dir, "FAKE_BALIE_GO=" + exe}
}

// starts returns one line per start.
func (f *fakeBalie) starts() []string {
	b, _ := os.ReadFile(filepath.Join(f.dir, "starts"))
	return lines(string(b))
}

func (f *fakeBalie) running(n int) bool {
	_, err := os.Stat(filepath.Join(f.dir, "running."+strconv.Itoa(n)))
	return err == nil
}

// quit makes the waiting stand-in exit with code.
func (f *fakeBalie) quit(code int) {
	tmp := filepath.Join(f.dir, "quit.tmp")
	if err := os.WriteFile(tmp, []byte(strconv.Itoa(code)+"\n"), 0o644); err != nil {
		f.t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(f.dir, "quit")); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fakeBalie) signals() string {
	b, _ := os.ReadFile(filepath.Join(f.dir, "signals"))
	return string(b)
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

// sharedTempDir is a temporary folder that every user may use, for tests
// that run a script as nobody.
func sharedTempDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Chmod(filepath.Dir(dir), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	return dir
}

// script is the absolute path of one of the package's files.
func script(t *testing.T, name string) string {
	t.Helper()
	p, err := filepath.Abs(name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatal(err)
	}
	return p
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// baseEnv is a clean environment for a script: no display, no session
// bus, a HOME of its own.
func baseEnv(t *testing.T, home string) []string {
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"LANG=C.UTF-8",
	}
}

// started is a process a test started in a process group of its own; the
// cleanup ends the group if it is still there.
type started struct {
	cmd  *exec.Cmd
	out  output
	done chan struct{}
	err  error
}

// output is a process's stdout and stderr, in a file: with a pipe, Wait
// would also wait for every program the process left running with it.
type output string

func (o output) String() string {
	b, _ := os.ReadFile(string(o))
	return string(b)
}

func start(t *testing.T, cmd *exec.Cmd) *started {
	t.Helper()
	f, err := os.Create(filepath.Join(t.TempDir(), "output"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := &started{cmd: cmd, out: output(f.Name()), done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("%s: %v", cmd.Path, err)
	}
	go func() {
		s.err = cmd.Wait()
		close(s.done)
	}()
	t.Cleanup(func() {
		select {
		case <-s.done:
			return
		default:
		}
		pgid := cmd.Process.Pid
		syscall.Kill(-pgid, syscall.SIGTERM)
		select {
		case <-s.done:
		case <-time.After(10 * time.Second):
			syscall.Kill(-pgid, syscall.SIGKILL)
			<-s.done
		}
	})
	return s
}

// wait waits for the process to end and returns its exit code.
func (s *started) wait(t *testing.T, within time.Duration) int {
	t.Helper()
	select {
	case <-s.done:
	case <-time.After(within):
		t.Fatalf("%s still running after %v; output:\n%s", s.cmd.Path, within, s.out)
	}
	return exitCode(s.cmd)
}

func (s *started) exited() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

func exitCode(cmd *exec.Cmd) int {
	ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return cmd.ProcessState.ExitCode()
}

// waitFor polls ok until it holds or within has passed.
func waitFor(within time.Duration, ok func() bool) bool {
	for end := time.Now().Add(within); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if ok() {
			return true
		}
	}
	return ok()
}

// proc is one process from /proc.
type proc struct {
	pid, ppid int
	comm      string
}

// descendants lists the processes below pid.
func descendants(pid int) []proc {
	entries, _ := os.ReadDir("/proc")
	children := map[int][]proc{}
	for _, e := range entries {
		n, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		s := string(b)
		open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || end < open {
			continue
		}
		f := strings.Fields(s[end+1:])
		if len(f) < 2 {
			continue
		}
		ppid, _ := strconv.Atoi(f[1])
		children[ppid] = append(children[ppid], proc{pid: n, ppid: ppid, comm: s[open+1 : end]})
	}
	var out []proc
	queue := []int{pid}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, c := range children[p] {
			out = append(out, c)
			queue = append(queue, c.pid)
		}
	}
	return out
}

func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(b)
	end := strings.LastIndexByte(s, ')')
	f := strings.Fields(s[end+1:])
	return len(f) > 0 && f[0] != "Z"
}

// parseUnit reads a systemd unit file or drop-in.
func parseUnit(t *testing.T, path string) unitfile.File {
	t.Helper()
	u, err := unitfile.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// needLinux skips a test that runs the Linux scripts elsewhere.
func needLinux(t *testing.T) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("the kiosk sessions are Linux shell scripts")
	}
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
}

// withTimeout is a context for one command.
func withTimeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}
