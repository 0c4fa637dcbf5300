package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/api"
	"github.com/digitalebalie/balie/app/mail/mailtest"
)

// The real binary killed with -9 while the mail server holds the
// confirmation: after a restart the e-mail goes out once, and the SMS
// reminders wait in the outbox. The booking, the e-mail and the reminders
// were written in one transaction, so none of them is lost.
func TestNoticesSurviveKill9MidSend(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildGateway(t)
	data := t.TempDir()
	smsDir := filepath.Join(t.TempDir(), "sms")
	config := func(srv *mailtest.Server) string {
		return fmt.Sprintf(`outbox_every = "100ms"
retry_after = "1s"
[smtp]
host = %q
port = %d
tls = "none"
from = "Stad Gent <no-reply@stad.gent.example>"
[sms]
provider = "file"
dir = %q
[staff]
onthaal = "staff-token-0123456789abcdef"
`, srv.Host(), srv.Port(), smsDir)
	}

	held := mailtest.Start(t)
	held.Hold()
	gw := startGateway(t, bin, data, config(held))
	status, body := gw.do(t, "GET", "/v1/services/woonwijzer/slots?days=14", "")
	var slots api.SlotList
	if status != 200 || json.Unmarshal(body, &slots) != nil || len(slots.Slots) == 0 {
		t.Fatalf("slots: %d %s", status, body)
	}
	req, _ := json.Marshal(api.BookingRequest{ServiceID: "woonwijzer", Start: slots.Slots[len(slots.Slots)-1].Start, Language: "tr",
		Contact: api.Contact{Name: "Ayşe Yılmaz", Email: "ayse@example.be", Phone: "0470 11 22 33"}})
	status, body = gw.do(t, "POST", "/v1/appointments", string(req), api.HeaderIdempotency, "notice-kill-test")
	if status != 201 {
		t.Fatalf("book: %d %s", status, body)
	}
	held.WaitHeld(t, 1, 10*time.Second) // the gateway is in the middle of sending
	gw.cmd.Process.Signal(syscall.SIGKILL)
	gw.cmd.Wait()
	held.Close() // the connection is gone before the server took the message
	if n := len(held.Messages()); n != 0 {
		t.Fatalf("%d messages accepted before the kill", n)
	}

	srv := mailtest.Start(t)
	gw = startGateway(t, bin, data, config(srv))
	got := srv.Wait(t, 1, 15*time.Second)
	if !strings.Contains(string(got[0].Data), "Uw video-afspraak is gemaakt") || got[0].RcptTo[0] != "ayse@example.be" {
		t.Fatalf("after the restart: %s", got[0].Data)
	}
	time.Sleep(2 * time.Second) // several outbox rounds: nothing is sent twice
	if n := len(srv.Messages()); n != 1 {
		t.Fatalf("%d e-mails, want 1", n)
	}
	status, body = gw.do(t, "GET", "/v1/staff/notices?state=pending", "", "Authorization", "Bearer staff-token-0123456789abcdef")
	var pending api.Notices
	if status != 200 || json.Unmarshal(body, &pending) != nil || len(pending.Notices) != 2 {
		t.Fatalf("pending reminders: %d %s", status, body)
	}
	if files, _ := os.ReadDir(smsDir); len(files) != 0 {
		t.Fatalf("an SMS went early: %v", files)
	}
}
