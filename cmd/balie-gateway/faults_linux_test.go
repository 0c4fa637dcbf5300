package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/api"
	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/store/disktest"
)

// The gateway under a full disk and over a read-only data file: writes
// answer 503 unavailable with Retry-After, one log line says what is
// wrong and what to do, reads go on, and the data file stays sound.

// waitLogged waits until the log has a line with s: the log reaches the
// test through a pipe, a moment after the answer.
func (p *gatewayProcess) waitLogged(t *testing.T, s string) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); p.logged(s) == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no line %q in the log:\n%s", s, p.log())
		}
	}
}

// booker books numbered visitors into the gateway's free woonwijzer slots.
type booker struct {
	slots []api.Slot
	n     int
}

func newBooker(t *testing.T, gw *gatewayProcess) *booker {
	t.Helper()
	status, body := gw.do(t, "GET", "/v1/services/woonwijzer/slots?days=60", "")
	var list api.SlotList
	if status != 200 || json.Unmarshal(body, &list) != nil || len(list.Slots) < 200 {
		t.Fatalf("slots: %d %s", status, body)
	}
	return &booker{slots: list.Slots[10:]} // the first may pass the lead time meanwhile
}

// phone is visitor n's number; shortCheck its last four digits.
func phone(n int) string      { return fmt.Sprintf("0470 %02d %02d %02d", n/10000%100, n/100%100, n%100) }
func shortCheck(n int) string { return fmt.Sprintf("%02d%02d", n/100%100, n%100) }

// lookupDevices are extra kiosks, so a test may look up more codes than
// one kiosk's burst of ten.
const lookupDevices = "[devices]\nl0 = \"lookup-token-0-0123456789\"\nl1 = \"lookup-token-1-0123456789\"\nl2 = \"lookup-token-2-0123456789\"\n"

// lookup finds a booking by code and check as kiosk l<i/10> would.
func lookup(t *testing.T, gw *gatewayProcess, i int, code, check string) (int, []byte) {
	t.Helper()
	return gw.do(t, "GET", "/v1/appointments/"+code+"?check="+url.QueryEscape(check), "",
		"Authorization", fmt.Sprintf("Bearer lookup-token-%d-0123456789", i/10%3))
}

// book sends the next booking; it returns the answer's status and the
// response.
func (b *booker) book(t *testing.T, gw *gatewayProcess) (int, http.Header, []byte) {
	t.Helper()
	b.n++
	body, _ := json.Marshal(api.BookingRequest{ServiceID: "woonwijzer", Start: b.slots[b.n%len(b.slots)].Start, Language: "nl",
		Contact: api.Contact{Name: "Jan", Phone: phone(b.n)}})
	req, _ := http.NewRequest("POST", gw.base+"/v1/appointments", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set(api.HeaderIdempotency, fmt.Sprintf("fault-%d", b.n))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out bytes.Buffer
	out.ReadFrom(resp.Body)
	return resp.StatusCode, resp.Header, out.Bytes()
}

// unavailable checks a refused write's answer: 503, code unavailable, and
// when to come back.
func unavailable(t *testing.T, what string, status int, h http.Header, body []byte) {
	t.Helper()
	var e api.ErrorBody
	if status != http.StatusServiceUnavailable || json.Unmarshal(body, &e) != nil || e.Error.Code != string(domain.EUnavailable) ||
		h.Get("Retry-After") != "30" {
		t.Fatalf("%s: %d Retry-After=%q %s", what, status, h.Get("Retry-After"), body)
	}
}

func TestGatewayDiskFull(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	data := disktest.SmallDisk(t, "2m")
	bin := buildGateway(t)
	gw := startGateway(t, bin, data, lookupDevices)
	b := newBooker(t, gw)
	acked := map[string]int{} // code → visitor
	for range 3 {
		status, _, body := b.book(t, gw)
		var a api.Appointment
		if status != 201 || json.Unmarshal(body, &a) != nil {
			t.Fatalf("book: %d %s", status, body)
		}
		acked[a.Code] = b.n
	}

	filler := disktest.FillDisk(t, data)
	refused := 0
	for tries := 0; refused < 30; tries++ {
		if tries == 200 {
			t.Fatalf("only %d of 200 bookings refused on a full disk", refused)
		}
		status, h, body := b.book(t, gw)
		if status == 201 { // it fitted in pages bbolt had freed
			var a api.Appointment
			json.Unmarshal(body, &a)
			acked[a.Code] = b.n
			continue
		}
		unavailable(t, "booking on a full disk", status, h, body)
		refused++
	}
	// Reads go on.
	if status, body := gw.do(t, "GET", "/v1/services/woonwijzer/slots?days=3", ""); status != 200 {
		t.Fatalf("slots on a full disk: %d %s", status, body)
	}
	for code, n := range acked {
		if status, body := lookup(t, gw, 0, code, phone(n)); status != 200 {
			t.Fatalf("find by full number on a full disk: %d %s", status, body)
		}
		break
	}
	gw.waitLogged(t, "is full: writes refused")
	if n := gw.logged("is full: writes refused"); n != 1 || gw.logged("request failed") != 0 {
		t.Fatalf("%d refused bookings, %d lines about the full disk; want 1 and no line per request:\n%s", refused, n, gw.log())
	}

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	status, _, body := b.book(t, gw)
	var a api.Appointment
	if status != 201 || json.Unmarshal(body, &a) != nil {
		t.Fatalf("book once the disk has room: %d %s", status, body)
	}
	acked[a.Code] = b.n
	gw.waitLogged(t, "takes writes again")

	gw.kill()
	disktest.CheckFile(t, filepath.Join(data, "gateway.db"))
	gw = startGateway(t, bin, data, lookupDevices)
	if len(acked) > 30 {
		t.Fatalf("%d bookings to look up, more than the lookup kiosks may", len(acked))
	}
	i := 0
	for code, n := range acked {
		if status, body := lookup(t, gw, i, code, shortCheck(n)); status != 200 {
			t.Fatalf("acknowledged booking %s after the full disk and a kill: %d %s", code, status, body)
		}
		i++
	}
	t.Logf("%d bookings acknowledged, %d refused with 503 while the disk was full", len(acked), refused)
	gw.kill() // before the disk is unmounted
}

// A data file the gateway's user may not write (mode 0400) opens
// read-only. As root, which mode 0400 does not stop, the gateway runs as
// nobody.
func TestGatewayReadOnlyDataFile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	// A directory anyone may enter, for the binary and the data.
	dir, err := os.MkdirTemp("", "balie-readonly-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o755)
	built, err := os.ReadFile(buildGateway(t))
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "balie-gateway")
	if err := os.WriteFile(bin, built, 0o755); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	file := filepath.Join(data, "gateway.db")

	gw := startGateway(t, bin, data)
	b := newBooker(t, gw)
	status, _, body := b.book(t, gw)
	var booked api.Appointment
	if status != 201 || json.Unmarshal(body, &booked) != nil {
		t.Fatalf("book: %d %s", status, body)
	}
	number := phone(b.n)
	gw.kill()
	if err := os.Chmod(file, 0o400); err != nil {
		t.Fatal(err)
	}
	cmd := gatewayCommand(t, bin, data)
	if os.Geteuid() == 0 {
		const nobody = 65534
		err := filepath.WalkDir(data, func(p string, _ fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			return os.Chown(p, nobody, nobody) // the gateway's user owns its data
		})
		if err != nil {
			t.Fatal(err)
		}
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	}
	before, _ := os.ReadFile(file)

	gw = runGateway(t, cmd)
	gw.waitLogged(t, "is read-only: writes refused")
	for _, path := range []string{"/v1/services", "/v1/services/woonwijzer/slots?days=3",
		"/v1/appointments/" + booked.Code + "?check=" + url.QueryEscape(number)} {
		if status, body := gw.do(t, "GET", path, ""); status != 200 {
			t.Fatalf("GET %s on a read-only data file: %d %s", path, status, body)
		}
	}
	for range 10 {
		status, h, body := b.book(t, gw)
		unavailable(t, "booking on a read-only data file", status, h, body)
	}
	req, _ := http.NewRequest("POST", gw.base+"/v1/appointments/"+booked.Code+"/cancel", bytes.NewReader([]byte(`{"check":"`+number+`"}`)))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	out.ReadFrom(resp.Body)
	resp.Body.Close()
	unavailable(t, "cancel on a read-only data file", resp.StatusCode, resp.Header, out.Bytes())
	if n := gw.logged("is read-only: writes refused"); n != 1 || gw.logged("request failed") != 0 {
		t.Fatalf("%d lines about the read-only file; want 1 and no line per request:\n%s", n, gw.log())
	}
	gw.kill()
	if after, _ := os.ReadFile(file); !bytes.Equal(before, after) {
		t.Fatal("the read-only data file changed")
	}
}
