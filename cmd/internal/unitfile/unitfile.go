// Package unitfile reads the systemd unit files this repository ships
// (the kiosk's and the gateway's units, the kiosk session's drop-ins), for
// their tests, with go-systemd's parser of systemd.syntax(7).
package unitfile

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/coreos/go-systemd/v22/unit"
)

// File is a unit file: section, then key, then every value the key was
// given, in order.
type File map[string]map[string][]string

// Read parses the unit file at path.
func Read(path string) (File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	opts, err := unit.DeserializeOptions(f)
	if err != nil {
		return nil, err
	}
	u := File{}
	for _, o := range opts {
		if u[o.Section] == nil {
			u[o.Section] = map[string][]string{}
		}
		u[o.Section][o.Name] = append(u[o.Section][o.Name], o.Value)
	}
	return u, nil
}

// Get returns the key's last value, as systemd reads a repeated key that
// takes one value, and whether the key is there.
func (u File) Get(section, key string) (string, bool) {
	vs := u[section][key]
	if len(vs) == 0 {
		return "", false
	}
	return vs[len(vs)-1], true
}

// Value is Get's value alone: empty when the key is not there.
func (u File) Value(section, key string) string {
	v, _ := u.Get(section, key)
	return v
}

// Words returns every value of a key that takes a list, split at spaces.
func (u File) Words(section, key string) []string {
	var ws []string
	for _, v := range u[section][key] {
		ws = append(ws, strings.Fields(v)...)
	}
	return ws
}

// Timespan reads a systemd time span as the shipped units write them:
// "300" (plain seconds), "2s", "5min", "1min 30s".
func Timespan(s string) (time.Duration, error) {
	if n, err := strconv.Atoi(s); err == nil {
		return time.Duration(n) * time.Second, nil
	}
	d, err := time.ParseDuration(strings.NewReplacer("min", "m", "sec", "s", " ", "").Replace(s))
	if err != nil {
		return 0, fmt.Errorf("time span %q: %w", s, err)
	}
	return d, nil
}
