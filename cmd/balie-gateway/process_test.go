package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/api"
)

// These tests run the real binary: a booking the gateway acknowledged must
// survive kill -9, and SIGTERM must stop it cleanly.

const token = "process-test-token-0123456789"

// buildGateway builds the binary once for all the tests of the package: a
// build takes seconds on a busy machine, and the tests must stay quick.
func buildGateway(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "balie-gateway-test-"); built.err != nil {
			return
		}
		bin := filepath.Join(built.dir, "balie-gateway")
		if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
			built.err = fmt.Errorf("build: %v\n%s", err, out)
			return
		}
		built.bin = bin
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.bin
}

var built struct {
	once     sync.Once
	dir, bin string
	err      error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

type gatewayProcess struct {
	cmd   *exec.Cmd
	base  string
	staff string // the back office's base URL
	logs  chan string

	mu    sync.Mutex
	lines []string // the whole log, for counting lines
}

// startGateway runs the binary on a free loopback port and waits until it
// listens.
func startGateway(t *testing.T, bin, data string, config ...string) *gatewayProcess {
	t.Helper()
	return runGateway(t, gatewayCommand(t, bin, data, config...))
}

// gatewayCommand is the command startGateway runs, for a test that needs
// to change it first.
func gatewayCommand(t *testing.T, bin, data string, config ...string) *exec.Cmd {
	t.Helper()
	file := os.DevNull
	if len(config) > 0 {
		file = filepath.Join(t.TempDir(), "gateway.toml")
		if err := os.WriteFile(file, []byte(config[0]), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(bin, "-listen", "127.0.0.1:0", "-staff-listen", "127.0.0.1:0", "-data", data, "-config", file)
	cmd.Env = append(os.Environ(), DeviceTokensVar+"=test-kiosk="+token)
	return cmd
}

// runGateway starts cmd and waits until it listens.
func runGateway(t *testing.T, cmd *exec.Cmd) *gatewayProcess {
	t.Helper()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	p := &gatewayProcess{cmd: cmd, logs: make(chan string, 100)}
	addr, staffAddr := make(chan string, 1), make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		re := regexp.MustCompile(`msg=listening addr=(\S+)`)
		staffRe := regexp.MustCompile(`msg="back office listening" addr=(\S+)`)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
			if m := staffRe.FindStringSubmatch(sc.Text()); m != nil {
				staffAddr <- m[1]
			}
			p.mu.Lock()
			p.lines = append(p.lines, sc.Text())
			p.mu.Unlock()
			select {
			case p.logs <- sc.Text():
			default:
			}
		}
		close(p.logs)
	}()
	for _, want := range []struct {
		addr <-chan string
		base *string
	}{{addr, &p.base}, {staffAddr, &p.staff}} {
		select {
		case a := <-want.addr:
			*want.base = "http://" + a
		case <-time.After(20 * time.Second):
			t.Fatal("the gateway did not start listening")
		}
	}
	return p
}

// logged counts the log's lines that contain s.
func (p *gatewayProcess) logged(s string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, l := range p.lines {
		if strings.Contains(l, s) {
			n++
		}
	}
	return n
}

// log is the whole log so far, for a failure message.
func (p *gatewayProcess) log() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.lines, "\n")
}

// kill ends the process with SIGKILL, as a power cut or the OOM killer would.
func (p *gatewayProcess) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	p.cmd.Wait()
}

func (p *gatewayProcess) do(t *testing.T, method, path, body string, headers ...string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, p.base+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func TestBookingSurvivesKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildGateway(t)
	data := t.TempDir()

	gw := startGateway(t, bin, data)
	status, body := gw.do(t, "GET", "/v1/services/woonwijzer/slots?days=14", "")
	var slots api.SlotList
	if status != 200 || json.Unmarshal(body, &slots) != nil || len(slots.Slots) == 0 {
		t.Fatalf("slots: %d %s", status, body)
	}
	req, _ := json.Marshal(api.BookingRequest{ServiceID: "woonwijzer", Start: slots.Slots[0].Start, Language: "nl",
		Contact: api.Contact{Name: "Jan", Phone: "0470 11 22 33"}})
	status, body = gw.do(t, "POST", "/v1/appointments", string(req), api.HeaderIdempotency, "kill-test")
	var booked api.Appointment
	if status != 201 || json.Unmarshal(body, &booked) != nil {
		t.Fatalf("book: %d %s", status, body)
	}

	// The phone page the QR code opens is served by the same process.
	resp, err := http.Get(booked.PhoneURL)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), booked.Code) || !strings.HasPrefix(booked.PhoneURL, gw.base+"/a/") {
		t.Fatalf("phone page %s: %d\n%s", booked.PhoneURL, resp.StatusCode, page)
	}

	gw.cmd.Process.Signal(syscall.SIGKILL)
	gw.cmd.Wait()

	gw = startGateway(t, bin, data)
	var found api.Appointment
	status, body = gw.do(t, "GET", "/v1/appointments/"+booked.Code+"?check=2233", "")
	if status != 200 || json.Unmarshal(body, &found) != nil || found.Token != booked.Token || !found.Start.Equal(booked.Start) {
		t.Fatalf("after kill -9: %d %s", status, body)
	}
	// The kiosk never heard the answer and retries: still one booking.
	status, body = gw.do(t, "POST", "/v1/appointments", string(req), api.HeaderIdempotency, "kill-test")
	if status != 201 || !strings.Contains(string(body), booked.Code) {
		t.Fatalf("retry after restart: %d %s", status, body)
	}
}

func TestSIGTERMStopsCleanly(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	gw := startGateway(t, buildGateway(t), t.TempDir())
	if status, _ := gw.do(t, "GET", "/v1/health", ""); status != 200 {
		t.Fatalf("health: %d", status)
	}
	gw.cmd.Process.Signal(syscall.SIGTERM)
	// Read the log to its end before Wait: Wait closes the pipe, and lines
	// not yet read would be lost.
	var lines []string
	done := make(chan error, 1)
	go func() {
		for l := range gw.logs {
			lines = append(lines, l)
		}
		done <- gw.cmd.Wait()
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("did not stop within 15 s of SIGTERM")
	}
	if !strings.Contains(strings.Join(lines, "\n"), "stopped cleanly") {
		t.Fatalf("log:\n%s", strings.Join(lines, "\n"))
	}
}

// -h prints the usage and exits 0, like balie -h; a bad flag exits 2; a
// gateway that would mail links phones cannot open refuses to start and
// says why, in one line.
func TestCommandLineAnswers(t *testing.T) {
	bin := buildGateway(t)
	for _, tc := range []struct {
		name string
		args []string
		code int
		says string
	}{
		{"help", []string{"-h"}, 0, "BALIE_GATEWAY_DEVICE_TOKENS"},
		{"unknown flag", []string{"-device-token", "x"}, 2, "flag provided but not defined"},
		{"no public base", []string{"-config", os.DevNull, "-listen", "0.0.0.0:0", "-data", t.TempDir()}, 2, "public_base is required"},
	} {
		cmd := exec.Command(bin, tc.args...)
		cmd.Env = append(os.Environ(), DeviceTokensVar+"=k="+token)
		out, err := cmd.CombinedOutput()
		code := 0
		if exit, ok := err.(*exec.ExitError); ok {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != tc.code || !strings.Contains(string(out), tc.says) {
			t.Errorf("%s: exit %d, want %d; output %s", tc.name, code, tc.code, out)
		}
	}
}

// A city's first account comes from the command line, with the password on
// standard input; it then signs in to the back office on its own listener.
func TestStaffAddThenSignIn(t *testing.T) {
	bin := buildGateway(t)
	data := t.TempDir()
	add := exec.Command(bin, "staff", "add", "an", "--role", "lead", "--themes", "energie,woonwijzer", "-data", data, "-config", os.DevNull)
	add.Stdin = strings.NewReader("a long enough password\n")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("staff add: %v\n%s", err, out)
	}
	bad := exec.Command(bin, "staff", "add", "bo", "--role", "lead", "-data", data, "-config", os.DevNull)
	bad.Stdin = strings.NewReader("a long enough password\n")
	if out, err := bad.CombinedOutput(); err == nil || !strings.Contains(string(out), "needs --themes") {
		t.Fatalf("a lead without themes: %v %s", err, out)
	}
	p := startGateway(t, bin, data)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.PostForm(p.staff+"/staff/signin", url.Values{"name": {"an"}, "password": {"a long enough password"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || len(res.Cookies()) == 0 {
		t.Fatalf("sign in: %d %v", res.StatusCode, res.Cookies())
	}
	c := res.Cookies()[0]
	if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
		t.Errorf("session cookie %+v: want HttpOnly and SameSite=Strict", c)
	}
	// The kiosk API's listener serves no back office.
	if code, _ := p.do(t, "GET", "/staff/signin", ""); code != http.StatusNotFound {
		t.Errorf("the kiosk listener answers /staff/ with %d, want 404", code)
	}
}
