package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLoadConfig(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "gateway.toml")
	os.WriteFile(file, []byte(`
listen = "0.0.0.0:9443"
public_base = "https://balie.gent.be/"
data = "/var/lib/balie"
retention = "168h"
retry_after = "30s"
[devices]
stadskantoor-1 = "0123456789abcdef0123"
[staff]
onthaal = "staff-0123456789abcdef"
[smtp]
host = "smtp.gent.example"
port = 465
tls = "tls"
username = "balie"
password_file = "/etc/balie/smtp-password"
from = "Stad Gent <no-reply@stad.gent>"
[sms]
provider = "http"
url = "https://sms.example.be/v1/messages"
headers = { Authorization = "Bearer abc" }
body = '{"to": {{json .To}}, "text": {{json .Text}}}'
`), 0o600)
	badSMS := filepath.Join(dir, "bad-sms.toml")
	os.WriteFile(badSMS, []byte("[sms]\nprovider = \"pigeon\"\n"), 0o600)
	missing := filepath.Join(dir, "absent.toml")

	for _, tc := range []struct {
		name    string
		args    []string
		env     string // BALIE_GATEWAY_DEVICE_TOKENS
		check   func(config) bool
		wantErr string
	}{
		{"flags and environment", []string{"-listen", "127.0.0.1:8123", "-data", dir}, "kiosk-1=TOKEN, kiosk-2=OTHER", func(c config) bool {
			return c.Listen == "127.0.0.1:8123" && c.Data == dir && c.Devices["kiosk-1"] == "TOKEN" && c.Devices["kiosk-2"] == "OTHER" &&
				c.publicBaseFor("127.0.0.1:8123") == "http://127.0.0.1:8123" && c.JoinTemplate != "" && c.Retention.Duration == 30*24*time.Hour &&
				c.DeviceBookingsPerHour == 20
		}, ""},
		{"file", []string{"-config", file}, "", func(c config) bool {
			return c.Listen == "0.0.0.0:9443" && c.PublicBase == "https://balie.gent.be" && c.Retention.Duration == 168*time.Hour &&
				c.Devices["stadskantoor-1"] == "0123456789abcdef0123" && c.Staff["onthaal"] == "staff-0123456789abcdef" &&
				c.SMTP.Host == "smtp.gent.example" && c.SMTP.Port == 465 && c.SMTP.TLS == "tls" && c.SMTP.PasswordFile != "" &&
				c.SMS.Provider == "http" && c.SMS.Headers["Authorization"] == "Bearer abc" && strings.Contains(c.SMS.Body, "json .To") &&
				c.RetryAfter.Duration == 30*time.Second && c.OutboxEvery.Duration == 15*time.Second
		}, ""},
		{"unknown sms provider", []string{"-config", badSMS}, "k=x", nil, "pigeon"},
		{"flags override the file", []string{"-config", file, "-listen", "127.0.0.1:1"}, "flag-kiosk=another-token-0000", func(c config) bool {
			return c.Listen == "127.0.0.1:1" && c.Data == "/var/lib/balie" && len(c.Devices) == 2
		}, ""},
		{"no devices", []string{"-listen", ":1"}, "", nil, "no device tokens"},
		{"tokens are not flags", []string{"-device-token", "x"}, "", nil, "not defined"},
		{"a token without a name", nil, "TOKEN", nil, "name=token"},
		{"cert without key", []string{"-tls-cert", "c.pem"}, "k=x", nil, "go together"},
		{"one shared room", []string{"-join-template", "https://meet.example/room"}, "k=x", nil, "{room}"},
		{"named file missing", []string{"-config", missing}, "k=x", nil, "absent.toml"},
		// Links in e-mails must reach phones: a gateway listening beyond
		// loopback needs its public address.
		{"no public base on all interfaces", []string{"-listen", "0.0.0.0:8443"}, "k=x", nil, "public_base is required"},
		{"no public base on a LAN address", []string{"-listen", "10.1.2.3:8443"}, "k=x", nil, "public_base is required"},
		{"no public base on ::", []string{"-listen", "[::]:8443"}, "k=x", nil, "public_base is required"},
		{"public base given", []string{"-listen", "0.0.0.0:8443", "-public-base", "https://balie.gent.be"}, "k=x", func(c config) bool {
			return c.PublicBase == "https://balie.gent.be"
		}, ""},
		{"loopback by name", []string{"-listen", "localhost:8080"}, "k=x", func(c config) bool { return c.PublicBase == "" }, ""},
		{"loopback IPv6", []string{"-listen", "[::1]:8080"}, "k=x", func(c config) bool { return c.PublicBase == "" }, ""},
	} {
		getenv := func(name string) string {
			if name == DeviceTokensVar {
				return tc.env
			}
			return ""
		}
		cfg, err := loadConfig(tc.args, getenv)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%s: err %v, want %q", tc.name, err, tc.wantErr)
			}
			continue
		}
		if err != nil || !tc.check(cfg) {
			t.Errorf("%s: %+v, %v", tc.name, cfg, err)
		}
	}
}

func TestWeakTokensAreNamed(t *testing.T) {
	c := config{Devices: map[string]string{"a": "short", "b": "a-long-enough-random-token"}}
	if w := c.weakTokens(); len(w) != 1 || w[0] != "a" {
		t.Fatalf("weak = %v", w)
	}
}
