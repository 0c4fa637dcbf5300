package browser

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"slices"
	"strings"
)

// Family says how a browser takes its flags and its throw-away profile.
type Family int

const (
	// Chromium covers Chromium, Google Chrome and their relatives.
	Chromium Family = iota
	// Firefox covers Firefox and Firefox ESR.
	Firefox
	// Edge is Microsoft Edge: Chromium's flags, InPrivate and its own kiosk
	// mode.
	Edge
	// Other is a browser this package knows no flags for: it runs only on
	// a command from ParseCommand, which must place the profile itself.
	Other
)

// Program is a browser Open may start.
type Program struct {
	// Name is the command, looked up on PATH, or a path to it.
	Name   string
	Family Family

	// args is a city's command from ParseCommand, placeholders unfilled;
	// nil means the Family's flags.
	args []string
}

// Placeholders in a command's arguments, filled in at each call.
const (
	phLink    = "{link}"
	phProfile = "{profile}"
	phLang    = "{lang}"
)

// familyArgs are the flags each family gets when no command says otherwise:
// the link full screen without address bar or tabs, in a private window, on
// the call's profile, in the visitor's language.
//
// Chromium on Linux ignores --lang (it is for Windows and macOS) and takes
// its UI language from LANGUAGE, which Open sets; --accept-lang is the
// pages' language. Firefox takes neither as a flag: Open writes them into
// the profile's user.js.
var familyArgs = map[Family][]string{
	Chromium: {"--user-data-dir=" + phProfile, "--no-first-run", "--no-default-browser-check",
		"--incognito", "--kiosk", "--lang=" + phLang, "--accept-lang=" + phLang, phLink},
	// Edge's full-screen kiosk, as Microsoft documents it. It gets a
	// profile of its own on top of InPrivate, so nothing stays even if
	// InPrivate keeps something, and so it starts a browser of its own
	// instead of handing the link to an Edge already running.
	Edge: {"--user-data-dir=" + phProfile, "--inprivate", "--no-first-run", "--no-default-browser-check",
		"--kiosk", phLink, "--edge-kiosk-type=fullscreen", "--lang=" + phLang, "--accept-lang=" + phLang},
	Firefox: {"-profile", phProfile, "-no-remote", "-new-instance", "-kiosk", "-private-window", phLink},
}

// profileArgs put a family's profile in the call's directory, and keep it
// a browser of its own: ParseCommand adds them to a command without
// {profile}.
var profileArgs = map[Family][]string{
	Chromium: {"--user-data-dir=" + phProfile},
	Edge:     {"--user-data-dir=" + phProfile},
	Firefox:  {"-profile", phProfile, "-no-remote", "-new-instance"},
}

// defaultPrograms are the browsers tried, in order, when Launcher.Programs
// is nil. Windows always has Edge; Chrome is there for a PC that lost it.
func defaultPrograms(goos string) []Program {
	if goos == "windows" {
		return []Program{{Name: "msedge", Family: Edge}, {Name: "chrome", Family: Chromium}}
	}
	return []Program{
		{Name: "chromium", Family: Chromium},
		{Name: "chromium-browser", Family: Chromium},
		{Name: "google-chrome", Family: Chromium},
		{Name: "firefox-esr", Family: Firefox},
		{Name: "firefox", Family: Firefox},
	}
}

// ParseCommand turns a city's browser command, the program and then its
// arguments, into a Program for Launcher.Programs. The arguments take
// {link}, {profile} and {lang} (see the package documentation).
//
// It refuses a command without {link}; and one without {profile} unless it
// names Chromium, Chrome, Edge or Firefox, to which it adds the flag itself:
// every call must run on its own profile, deleted when the call ends.
func ParseCommand(command []string) (Program, error) {
	if len(command) == 0 || strings.TrimSpace(command[0]) == "" {
		return Program{}, errors.New("browser: empty command")
	}
	name, args := command[0], slices.Clone(command[1:])
	if placeholder.MatchString(name) {
		return Program{}, fmt.Errorf("browser: command %q: a placeholder in the program's name", name)
	}
	for _, a := range args {
		for _, ph := range placeholder.FindAllString(a, -1) {
			if ph != phLink && ph != phProfile && ph != phLang {
				return Program{}, fmt.Errorf("browser: command %q: unknown placeholder %s (use %s, %s or %s)",
					name, ph, phLink, phProfile, phLang)
			}
		}
	}
	if !slices.ContainsFunc(args, func(a string) bool { return strings.Contains(a, phLink) }) {
		return Program{}, fmt.Errorf("browser: command %q has no %s for the call's link", name, phLink)
	}
	family := familyOf(name)
	if !slices.ContainsFunc(args, func(a string) bool { return strings.Contains(a, phProfile) }) {
		if profileArgs[family] == nil {
			return Program{}, fmt.Errorf("browser: command %q has no %s: the call needs a profile of its own, "+
				"deleted when it ends, and this package knows no flag for it in %s", name, phProfile, name)
		}
		args = append(slices.Clone(profileArgs[family]), args...)
	}
	return Program{Name: name, Family: family, args: args}, nil
}

// placeholder matches anything that looks like one, to catch a misspelt
// "{url}" or "{Link}".
var placeholder = regexp.MustCompile(`\{\w*\}`)

// familyOf recognises a browser by the program's file name, on any OS.
func familyOf(name string) Family {
	base := strings.ToLower(name[strings.LastIndexAny(name, `/\`)+1:])
	base = strings.TrimSuffix(base, ".exe")
	switch {
	case strings.HasPrefix(base, "firefox"):
		return Firefox
	case base == "msedge" || strings.HasPrefix(base, "microsoft-edge"):
		return Edge
	case strings.HasPrefix(base, "chromium") || base == "chrome" || strings.HasPrefix(base, "google-chrome"):
		return Chromium
	}
	return Other
}

// template is the program's arguments with placeholders; nil when it has
// none (an Other not made by ParseCommand).
func (p Program) template() []string {
	if p.args != nil {
		return p.args
	}
	return familyArgs[p.Family]
}

// expand fills in a template's placeholders. Without a language, an argument
// asking for it is left out: "--lang=" would be worse than none.
func expand(template []string, profile, link, lang string) []string {
	// One pass: a link holding "{profile}" stays as it is.
	r := strings.NewReplacer(phLink, link, phProfile, profile, phLang, lang)
	args := make([]string, 0, len(template))
	for _, a := range template {
		if lang == "" && strings.Contains(a, phLang) {
			continue
		}
		args = append(args, r.Replace(a))
	}
	return args
}

// lookPath finds a program on PATH and, on Windows, where the installers of
// Edge, Chrome and Firefox put them: none of them is on PATH there.
func lookPath(name string) (string, error) {
	path, err := exec.LookPath(name)
	if err == nil || runtime.GOOS != "windows" {
		return path, err
	}
	for _, p := range windowsPlaces(name, os.Getenv) {
		if info, statErr := os.Stat(p); statErr == nil && !info.IsDir() {
			return p, nil
		}
	}
	return "", err
}

// windowsPlaces are where Windows installers put a browser named by its bare
// program name, machine-wide first; getenv reads the environment.
func windowsPlaces(name string, getenv func(string) string) []string {
	var roots []string
	var rel string
	switch strings.TrimSuffix(strings.ToLower(name), ".exe") {
	case "msedge":
		roots, rel = []string{"ProgramFiles(x86)", "ProgramFiles"}, `Microsoft\Edge\Application\msedge.exe`
	case "chrome":
		roots, rel = []string{"ProgramFiles", "ProgramFiles(x86)", "LocalAppData"}, `Google\Chrome\Application\chrome.exe`
	case "firefox":
		roots, rel = []string{"ProgramFiles", "ProgramFiles(x86)"}, `Mozilla Firefox\firefox.exe`
	}
	var places []string
	for _, root := range roots {
		if dir := getenv(root); dir != "" {
			places = append(places, strings.TrimRight(dir, `\`)+`\`+rel)
		}
	}
	return places
}
