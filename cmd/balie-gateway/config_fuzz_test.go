package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// FuzzGatewayConfig: any config file and device-token variable give a
// config or an error, never a panic. A config that loads passes its own
// check again unchanged, every device has a token of its own that no
// member of staff has, and a public base is set unless the gateway listens
// on loopback only.
//
//	go test ./cmd/balie-gateway -run '^$' -fuzz '^FuzzGatewayConfig$' -fuzztime 30s
func FuzzGatewayConfig(f *testing.F) {
	full := `listen = "0.0.0.0:9443"
public_base = "https://balie.gent.be/"
retention = "168h"
[devices]
stadskantoor-1 = "0123456789abcdef0123"
[staff]
onthaal = "staff-0123456789abcdef"
[smtp]
host = "smtp.gent.example"
port = 465
tls = "tls"
[sms]
provider = "http"
url = "https://sms.example.be/v1/messages"
headers = { Authorization = "Bearer abc" }
body = '{"to": {{json .To}}, "text": {{json .Text}}}'
[oidc]
issuer = "https://login.example/tenant/v2.0"
client_id = "balie"
client_secret_file = "/etc/balie/oidc-secret"
redirect_url = "https://staff.balie.gent.be/staff/oidc/callback"
[oidc.groups]
"0f6c-group" = "lead:energie,woonwijzer"
`
	for _, s := range [][2]string{
		{full, ""}, {"", "kiosk-1=TOKEN, kiosk-2=OTHER"}, {"", "TOKEN"}, {"", "=x"}, {"", "k="}, {"", ",,"},
		{"[devices]\nk = \"\"\n", ""}, {"[devices]\nk = 1\n", ""}, {"devices = \"k=t\"\n", ""},
		{"listen = \"[::]:8443\"\n", "k=x"}, {"listen = \"localhost:8080\"\n", "k=x"}, {"listen = \":0\"\n", "k=x"},
		{"public_base = \"/\"\nlisten = \"10.1.2.3:1\"\n", "k=x"}, {"tls_cert = \"c.pem\"\n", "k=x"},
		{"join_template = \"https://meet.example/room\"\n", "k=x"}, {"retry_after = \"0s\"\n", "k=x"}, {"outbox_every = \"-1s\"\n", "k=x"},
		{"device_bookings_per_hour = 0\n", "k=x"}, {"[sms]\nprovider = \"pigeon\"\n", "k=x"}, {"[oidc]\nissuer = \"x\"\n", "k=x"},
		{"retention = 30\n", "k=x"}, {"[devices]\nk = \"a\"\n[devices]\nl = \"b\"\n", ""}, {"\xff", "k=x"},
	} {
		f.Add(s[0], s[1])
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, file, tokens string) {
		path := filepath.Join(dir, "gateway.toml")
		if err := os.WriteFile(path, []byte(file), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := loadConfig([]string{"-config", path}, func(name string) string {
			if name == DeviceTokensVar {
				return tokens
			}
			return ""
		})
		if err != nil {
			return
		}
		checked := cfg
		if err := checked.check(); err != nil || !reflect.DeepEqual(checked, cfg) {
			t.Fatalf("%q with %q loads as %+v, which checks as %+v: %v", file, tokens, cfg, checked, err)
		}
		if len(cfg.Devices) == 0 || cfg.OutboxEvery.Duration <= 0 || cfg.RetryAfter.Duration <= 0 || cfg.DeviceBookingsPerHour < 1 ||
			strings.HasSuffix(cfg.PublicBase, "/") || cfg.PublicBase == "" && !loopback(cfg.Listen) {
			t.Fatalf("%q with %q loads as %+v", file, tokens, cfg)
		}
		// Each token names one caller: the gateway keys its callers by
		// token (invert), and a kiosk's token, which may leak from a
		// public place, must not open the staff endpoints.
		kiosk := map[string]string{}
		for name, token := range cfg.Devices {
			if other, shared := kiosk[token]; shared || token == "" {
				t.Fatalf("%q with %q: device %q has no token of its own (%q has it too)", file, tokens, name, other)
			}
			kiosk[token] = name
		}
		for name, token := range cfg.Staff {
			if device, shared := kiosk[token]; shared {
				t.Fatalf("%q with %q: staff %q has the token of device %q", file, tokens, name, device)
			}
		}
	})
}
