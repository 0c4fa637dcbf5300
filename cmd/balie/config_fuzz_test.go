package main

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzKioskConfig: any config file gives a config or an error, never a
// panic. A config that loads passes its own check again unchanged (but for
// its warnings), and what staff mode writes back (save) loads as the same
// config.
//
//	go test ./cmd/balie -run '^$' -fuzz '^FuzzKioskConfig$' -fuzztime 30s
func FuzzKioskConfig(f *testing.F) {
	for _, s := range []string{
		"gateway = \"https://balie-gateway.gent.be/\"\ndevice_token = \"file-token-0123456789\"\nidle = \"2m\"\ngateway_timeout = \"4s\"\n",
		"location = \"Stadskantoor, balie 3\"\nlanguages = [\"nl\", \"fr\", \"ar\"]\ndefault_language = \"nl\"\nthemes = [\"energie\"]\nvolume = 2\nhelp_hours = \"08:00-19:00\"\n",
		"staff_pin_hash = \"$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA\"\nstate_dir = \"/var/lib/balie\"\n",
		"gateway = \"http://10.0.0.5:8080\"\ndevice_token = \" t \"\n", "gateway = \"https://gw.example/?x=1\"\ndevice_token = \"t\"\n",
		"gateway = \"https://user:pw@gw.example\"\ndevice_token = \"t\"\n", "gateway = \"  /  \"\n", "idle = 90\n", "idle = \"-1s\"\n",
		"idle = \"9223372036854775807ns\"\n", "volume = 9\n", "volume = -1\n", "languages = \"nl\"\n", "[gateway]\n", "idle = \"1h\"\nidle = \"2h\"\n",
		"help_phone = \"\"\"\nline\n\"\"\"\n", "unknown_key = 1\n", "location = \"\\u0000\"\n", "phone_base = '''\\x'''\n", "\xff\xfe", "",
	} {
		f.Add(s)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, file string) {
		path := filepath.Join(dir, "kiosk.toml")
		if err := os.WriteFile(path, []byte(file), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := loadKiosk(path)
		if err != nil {
			return
		}
		checked := cfg
		err = checked.check()
		checked.warnings = cfg.warnings // a second check notes them again
		if err != nil || !reflect.DeepEqual(checked, cfg) {
			t.Fatalf("%q loads as %+v, which checks as %+v: %v", file, cfg, checked, err)
		}
		if err := cfg.save(path); err != nil {
			t.Fatalf("%q loads, but does not save: %v", file, err)
		}
		again, err := loadKiosk(path)
		cfg.warnings, again.warnings = nil, nil
		if err != nil || !sameConfig(cfg, again) {
			written, _ := os.ReadFile(path)
			t.Fatalf("%q loads as %+v, saved as %q loads as %+v: %v", file, cfg, written, again, err)
		}
	})
}

// loadKiosk loads path as the kiosk does with -config path and no
// environment.
func loadKiosk(path string) (config, error) {
	fset := flag.NewFlagSet("balie", flag.ContinueOnError)
	fset.SetOutput(io.Discard)
	flags := addConfigFlags(fset)
	if err := fset.Parse([]string{"-config", path}); err != nil {
		return config{}, err
	}
	return flags.load(func(string) string { return "" })
}

// sameConfig compares two configs, an empty list the same as none.
func sameConfig(a, b config) bool {
	for _, c := range []*config{&a, &b} {
		if len(c.Languages) == 0 {
			c.Languages = nil
		}
		if len(c.Themes) == 0 {
			c.Themes = nil
		}
	}
	return reflect.DeepEqual(a, b)
}
