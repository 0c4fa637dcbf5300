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
		check   func(config) bool
		wantErr string
	}{
		{"flags only", []string{"-listen", "127.0.0.1:8123", "-data", dir, "-device-token", "TOKEN"}, func(c config) bool {
			return c.Listen == "127.0.0.1:8123" && c.Data == dir && c.Devices["flag-device-1"] == "TOKEN" &&
				c.publicBaseFor("127.0.0.1:8123") == "http://127.0.0.1:8123" && c.JoinTemplate != "" && c.Retention.Duration == 30*24*time.Hour
		}, ""},
		{"file", []string{"-config", file}, func(c config) bool {
			return c.Listen == "0.0.0.0:9443" && c.PublicBase == "https://balie.gent.be" && c.Retention.Duration == 168*time.Hour &&
				c.Devices["stadskantoor-1"] == "0123456789abcdef0123" && c.Staff["onthaal"] == "staff-0123456789abcdef" &&
				c.SMTP.Host == "smtp.gent.example" && c.SMTP.Port == 465 && c.SMTP.TLS == "tls" && c.SMTP.PasswordFile != "" &&
				c.SMS.Provider == "http" && c.SMS.Headers["Authorization"] == "Bearer abc" && strings.Contains(c.SMS.Body, "json .To") &&
				c.RetryAfter.Duration == 30*time.Second && c.OutboxEvery.Duration == 15*time.Second
		}, ""},
		{"unknown sms provider", []string{"-config", badSMS, "-device-token", "x"}, nil, "pigeon"},
		{"flags override the file", []string{"-config", file, "-listen", ":1", "-device-token", "another-token-0000"}, func(c config) bool {
			return c.Listen == ":1" && c.Data == "/var/lib/balie" && len(c.Devices) == 2
		}, ""},
		{"no devices", []string{"-listen", ":1"}, nil, "no device tokens"},
		{"cert without key", []string{"-device-token", "x", "-tls-cert", "c.pem"}, nil, "go together"},
		{"one shared room", []string{"-device-token", "x", "-join-template", "https://meet.example/room"}, nil, "{room}"},
		{"named file missing", []string{"-config", missing, "-device-token", "x"}, nil, "absent.toml"},
	} {
		cfg, err := loadConfig(tc.args)
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
