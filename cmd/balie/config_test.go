package main

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestLoadConfig(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "kiosk.toml")
	writeFile(t, file, `
gateway = "https://balie-gateway.gent.be/"
device_token = "file-token-0123456789"
city = "mechelen"
phone_base = "https://balie.example"
idle = "2m"
gateway_timeout = "4s"
`, 0o600)
	noToken := filepath.Join(dir, "no-token.toml")
	writeFile(t, noToken, `gateway = "https://balie-gateway.gent.be"`, 0o600)
	broken := filepath.Join(dir, "broken.toml")
	writeFile(t, broken, `idle = 90`, 0o600)
	missing := filepath.Join(dir, "absent.toml")
	offer := func(name, body string) string {
		path := filepath.Join(dir, name)
		writeFile(t, path, body, 0o600)
		return path
	}
	mechelenInGhent := offer("mechelen-theme.toml", "themes = [\"woonloket\"]\n")
	notOffered := offer("not-offered.toml", "languages = [\"nl\", \"tr\", \"xx\"]\n")
	defaultNotOffered := offer("default-not-offered.toml", "languages = [\"nl\", \"fr\"]\ndefault_language = \"ar\"\n")
	chosen := offer("chosen.toml", "languages = [\"nl\", \"ar\"]\ndefault_language = \"ar\"\nthemes = [\"energie\"]\n")
	moved := filepath.Join(dir, "moved.toml")
	writeFile(t, moved, "help_phone = \"09 234 56 78\"\nhelp_hours = \"09:00-17:00\"\n", 0o600)
	env := func(token string) func(string) string {
		return func(k string) string {
			if k == tokenEnv {
				return token
			}
			return ""
		}
	}

	tests := []struct {
		name    string
		unnamed string // a config path standing in for the default, not named by -config
		args    []string
		token   string // BALIE_DEVICE_TOKEN
		check   func(config) bool
		wantErr string
	}{
		{"practice mode without a file", missing, nil, "", func(c config) bool {
			return c.practice() && c.PhoneBase == "https://balie.gent.be" && c.Idle.Duration == 90*time.Second &&
				c.GatewayTimeout.Duration == 4*time.Second && c.Volume == 1 && c.city.ID == "gent" && c.PhoneBase == c.city.URLs.PhonePage &&
				c.qrBase() == "https://oefen.digitalebalie.be" // practice QR codes never open the city's page
		}, ""},
		{"practice phone base", missing, []string{"-practice-phone-base", "https://oefen.mechelen.be"}, "", func(c config) bool {
			return c.qrBase() == "https://oefen.mechelen.be"
		}, ""},
		{"file", "", []string{"-config", file}, "", func(c config) bool {
			return !c.practice() && c.Gateway == "https://balie-gateway.gent.be" && c.DeviceToken == "file-token-0123456789" &&
				c.PhoneBase == "https://balie.example" && c.qrBase() == c.PhoneBase && c.city.ID == "mechelen" &&
				c.Idle.Duration == 2*time.Minute && c.GatewayTimeout.Duration == 4*time.Second && len(c.warnings) == 0
		}, ""},
		{"flags override the file", "", []string{"-config", file, "-gateway", "http://127.0.0.1:8080", "-idle", "45s", "-city", "gent"}, "", func(c config) bool {
			return c.Gateway == "http://127.0.0.1:8080" && c.Idle.Duration == 45*time.Second && c.city.ID == "gent" &&
				c.PhoneBase == "https://balie.example" && len(c.warnings) == 0
		}, ""},
		{"environment overrides the file's token", "", []string{"-config", file}, "env-token", func(c config) bool {
			return c.DeviceToken == "env-token"
		}, ""},
		{"token from the environment only", "", []string{"-config", noToken}, "env-token", func(c config) bool {
			return c.DeviceToken == "env-token" && !c.practice()
		}, ""},
		{"plain http to another host is allowed with a warning", "", []string{"-config", file, "-gateway", "http://10.0.0.5:8080"}, "", func(c config) bool {
			return len(c.warnings) == 1 && strings.Contains(c.warnings[0], "unencrypted")
		}, ""},
		{"gateway without a token", missing, []string{"-gateway", "https://balie-gateway.gent.be"}, "", nil, "device token"},
		{"gateway from the file without a token", "", []string{"-config", noToken}, "", nil, tokenEnv},
		{"not a URL", "", []string{"-config", file, "-gateway", "balie-gateway.gent.be"}, "", nil, "not an http(s) URL"},
		{"a URL with a query", "", []string{"-config", file, "-gateway", "https://gw.example/?x=1"}, "", nil, "plain base URL"},
		{"no idle", missing, []string{"-idle", "0s"}, "", nil, "idle"},
		{"named file missing", "", []string{"-config", missing}, "", nil, "absent.toml"},
		{"broken file", "", []string{"-config", broken}, "", nil, "broken.toml"},
		{"a city that is neither built in nor a file", missing, []string{"-city", "antwerpen"}, "", nil, "no such built-in city"},
		{"a city file that is not there", missing, []string{"-city", filepath.Join(dir, "nowhere.toml")}, "", nil, "nowhere.toml"},
		{"languages, default and themes the city offers", "", []string{"-config", chosen}, "", func(c config) bool {
			return slices.Equal(c.languages(), []string{"nl", "ar"}) && c.DefaultLanguage == "ar" && slices.Equal(c.Themes, []string{"energie"})
		}, ""},
		{"a theme of another city", "", []string{"-config", mechelenInGhent}, "", nil, "themes woonloket are not in the city file gent"},
		{"languages the city does not offer", "", []string{"-config", notOffered, "-city", filepath.Join("..", "..", "app", "city", "testdata", "heusden-zolder", "city.toml")}, "", nil, "languages tr, xx are not in the city file"},
		{"a default language the kiosk does not offer", "", []string{"-config", defaultNotOffered}, "", nil, "default_language ar"},
		{"settings that moved to the city file are warned about", "", []string{"-config", moved}, "", func(c config) bool {
			return len(c.warnings) == 2 && strings.Contains(c.warnings[0], "help_phone is ignored") && strings.Contains(c.warnings[1], "help_hours is ignored")
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fset := flag.NewFlagSet("balie", flag.ContinueOnError)
			fset.SetOutput(io.Discard)
			flags := addConfigFlags(fset)
			if tt.unnamed != "" {
				*flags.path = tt.unnamed
			}
			if err := fset.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			cfg, err := flags.load(env(tt.token))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !tt.check(cfg) {
				t.Fatalf("%+v, %v", cfg, err)
			}
		})
	}
}

func TestReadableTokenFileIsWarnedAbout(t *testing.T) {
	file := filepath.Join(t.TempDir(), "kiosk.toml")
	writeFile(t, file, `device_token = "file-token-0123456789"`, 0o644)
	fset := flag.NewFlagSet("balie", flag.ContinueOnError)
	flags := addConfigFlags(fset)
	if err := fset.Parse([]string{"-config", file}); err != nil {
		t.Fatal(err)
	}
	cfg, err := flags.load(func(string) string { return "" })
	if err != nil || len(cfg.warnings) != 1 || !strings.Contains(cfg.warnings[0], "chmod") {
		t.Fatalf("%+v, %v", cfg.warnings, err)
	}
}

func writeFile(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // WriteFile's mode passes the umask
		t.Fatal(err)
	}
}
