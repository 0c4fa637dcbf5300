package browser

import (
	"slices"
	"strings"
	"testing"
)

// The arguments each browser gets, whole: a flag lost or added here changes
// what the visitor sees, or what a call leaves behind.
func TestFamilyArguments(t *testing.T) {
	const profile, call = "/tmp/balie-call-1/profile", "https://video.example/room-1"
	for _, tc := range []struct {
		name   string
		family Family
		lang   string
		want   []string
	}{
		{"Chromium", Chromium, "fr", []string{"--user-data-dir=" + profile, "--no-first-run", "--no-default-browser-check",
			"--incognito", "--kiosk", "--lang=fr", "--accept-lang=fr", call}},
		{"Chromium without a language", Chromium, "", []string{"--user-data-dir=" + profile, "--no-first-run",
			"--no-default-browser-check", "--incognito", "--kiosk", call}},
		{"Edge", Edge, "fa-AF", []string{"--user-data-dir=" + profile, "--inprivate", "--no-first-run",
			"--no-default-browser-check", "--kiosk", call, "--edge-kiosk-type=fullscreen", "--lang=fa-AF", "--accept-lang=fa-AF"}},
		{"Edge without a language", Edge, "", []string{"--user-data-dir=" + profile, "--inprivate", "--no-first-run",
			"--no-default-browser-check", "--kiosk", call, "--edge-kiosk-type=fullscreen"}},
		{"Firefox", Firefox, "ar", []string{"-profile", profile, "-no-remote", "-new-instance", "-kiosk", "-private-window", call}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := expand(Program{Name: "x", Family: tc.family}.template(), profile, call, tc.lang)
			if !slices.Equal(got, tc.want) {
				t.Errorf("args\n %q\nwant\n %q", got, tc.want)
			}
		})
	}
}

func TestDefaultPrograms(t *testing.T) {
	for _, tc := range []struct {
		goos string
		want []Program
	}{
		{"windows", []Program{{Name: "msedge", Family: Edge}, {Name: "chrome", Family: Chromium}}},
		{"linux", []Program{{Name: "chromium", Family: Chromium}, {Name: "chromium-browser", Family: Chromium},
			{Name: "google-chrome", Family: Chromium}, {Name: "firefox-esr", Family: Firefox}, {Name: "firefox", Family: Firefox}}},
	} {
		got := defaultPrograms(tc.goos)
		if !slices.EqualFunc(got, tc.want, func(a, b Program) bool { return a.Name == b.Name && a.Family == b.Family && a.args == nil }) {
			t.Errorf("defaultPrograms(%s) = %v, want %v", tc.goos, got, tc.want)
		}
	}
}

func TestWindowsPlaces(t *testing.T) {
	env := map[string]string{
		"ProgramFiles":      `C:\Program Files`,
		"ProgramFiles(x86)": `C:\Program Files (x86)\`,
		"LocalAppData":      `C:\Users\balie\AppData\Local`,
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"msedge", env, []string{`C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe`,
			`C:\Program Files\Microsoft\Edge\Application\msedge.exe`}},
		{"MSEdge.exe", env, []string{`C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe`,
			`C:\Program Files\Microsoft\Edge\Application\msedge.exe`}},
		{"chrome", env, []string{`C:\Program Files\Google\Chrome\Application\chrome.exe`,
			`C:\Program Files (x86)\Google\Chrome\Application\chrome.exe`,
			`C:\Users\balie\AppData\Local\Google\Chrome\Application\chrome.exe`}},
		{"firefox", env, []string{`C:\Program Files\Mozilla Firefox\firefox.exe`,
			`C:\Program Files (x86)\Mozilla Firefox\firefox.exe`}},
		// A 32-bit Windows has no ProgramFiles(x86).
		{"msedge", map[string]string{"ProgramFiles": `C:\Program Files`},
			[]string{`C:\Program Files\Microsoft\Edge\Application\msedge.exe`}},
		{"chromium", env, nil},
		{`D:\msedge`, env, nil},
	} {
		if got := windowsPlaces(tc.name, func(k string) string { return tc.env[k] }); !slices.Equal(got, tc.want) {
			t.Errorf("windowsPlaces(%q) =\n %q\nwant\n %q", tc.name, got, tc.want)
		}
	}
}

func TestParseCommand(t *testing.T) {
	const profile, call = "/tmp/balie-call-1/profile", "https://video.example/room-1"
	for _, tc := range []struct {
		name    string
		command []string
		family  Family
		lang    string
		want    []string // the arguments at a call
	}{
		{
			name: "Edge, as a city gives it",
			command: []string{"msedge", "--inprivate", "--kiosk", "{link}", "--edge-kiosk-type=fullscreen",
				"--user-data-dir={profile}", "--lang={lang}"},
			family: Edge, lang: "fr",
			want: []string{"--inprivate", "--kiosk", call, "--edge-kiosk-type=fullscreen", "--user-data-dir=" + profile, "--lang=fr"},
		},
		{
			name:    "without a language, its argument is left out",
			command: []string{"msedge", "--kiosk", "{link}", "--user-data-dir={profile}", "--lang={lang}"},
			family:  Edge,
			want:    []string{"--kiosk", call, "--user-data-dir=" + profile},
		},
		{
			name:    "Chromium gets its profile flag added",
			command: []string{"chromium", "--no-sandbox", "--kiosk", "{link}"},
			family:  Chromium, lang: "ar",
			want: []string{"--user-data-dir=" + profile, "--no-sandbox", "--kiosk", call},
		},
		{
			name:    "Chrome by its Windows path",
			command: []string{`C:\Program Files\Google\Chrome\Application\chrome.exe`, "--kiosk", "--app={link}"},
			family:  Chromium,
			want:    []string{"--user-data-dir=" + profile, "--kiosk", "--app=" + call},
		},
		{
			name:    "Edge on Linux",
			command: []string{"/usr/bin/microsoft-edge-stable", "--kiosk", "{link}"},
			family:  Edge,
			want:    []string{"--user-data-dir=" + profile, "--kiosk", call},
		},
		{
			name:    "Firefox gets its profile flags added",
			command: []string{"firefox-esr", "-kiosk", "{link}"},
			family:  Firefox,
			want:    []string{"-profile", profile, "-no-remote", "-new-instance", "-kiosk", call},
		},
		{
			name:    "another browser places the profile itself",
			command: []string{"/opt/kiosk/browser", "--profile={profile}", "--locale", "{lang}", "{link}"},
			family:  Other, lang: "fa-AF",
			want: []string{"--profile=" + profile, "--locale", "fa-AF", call},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			command := slices.Clone(tc.command)
			p, err := ParseCommand(command)
			if err != nil {
				t.Fatal(err)
			}
			command[1] = "changed" // the Program keeps a copy of its own
			if p.Name != tc.command[0] || p.Family != tc.family {
				t.Errorf("Program %q, family %d; want %q, %d", p.Name, p.Family, tc.command[0], tc.family)
			}
			if got := expand(p.template(), profile, call, tc.lang); !slices.Equal(got, tc.want) {
				t.Errorf("args\n %q\nwant\n %q", got, tc.want)
			}
		})
	}
}

func TestParseCommandRefuses(t *testing.T) {
	for _, tc := range []struct {
		name    string
		command []string
		want    string // in the error
	}{
		{"nothing", nil, "empty command"},
		{"an empty program", []string{"", "{link}"}, "empty command"},
		{"no link", []string{"msedge", "--inprivate", "--kiosk", "--user-data-dir={profile}"}, "no {link}"},
		{"just a program", []string{"chromium"}, "no {link}"},
		// Its profile would be the one of the PC's user, kept after the call.
		{"no profile for an unknown browser", []string{"/opt/kiosk/browser", "--kiosk", "{link}"}, "no {profile}"},
		{"a misspelt placeholder", []string{"chromium", "--kiosk", "{url}"}, "unknown placeholder {url}"},
		{"placeholders are lower case", []string{"chromium", "--kiosk", "{Link}"}, "unknown placeholder {Link}"},
		{"another misspelt one", []string{"msedge", "{link}", "--lang={language}"}, "unknown placeholder {language}"},
		{"a placeholder as the program", []string{"{profile}", "{link}"}, "the program's name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ParseCommand(tc.command)
			if err == nil {
				t.Fatalf("ParseCommand(%q) = %+v, want an error", tc.command, p)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want %q in it", err, tc.want)
			}
		})
	}
}
