package kiosksession_test

import (
	"encoding/xml"
	"errors"
	"io"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

const (
	shellLauncherNS   = "http://schemas.microsoft.com/ShellLauncher/2018/Configuration"
	shellLauncherV2NS = "http://schemas.microsoft.com/ShellLauncher/2019/Configuration"
)

// shellLauncherConfig is Shell Launcher's configuration as its XSD
// (learn.microsoft.com, "Shell Launcher XML Schema Definition") has it.
type shellLauncherConfig struct {
	XMLName  xml.Name `xml:"http://schemas.microsoft.com/ShellLauncher/2018/Configuration ShellLauncherConfiguration"`
	Profiles struct {
		Default *struct {
			Shell slShell `xml:"http://schemas.microsoft.com/ShellLauncher/2018/Configuration Shell"`
		} `xml:"http://schemas.microsoft.com/ShellLauncher/2018/Configuration DefaultProfile"`
		Profile []struct {
			ID    string  `xml:"Id,attr"`
			Name  string  `xml:"Name,attr"`
			Shell slShell `xml:"http://schemas.microsoft.com/ShellLauncher/2018/Configuration Shell"`
		} `xml:"http://schemas.microsoft.com/ShellLauncher/2018/Configuration Profile"`
	} `xml:"http://schemas.microsoft.com/ShellLauncher/2018/Configuration Profiles"`
	Configs struct {
		Config []struct {
			Account *struct {
				Name string `xml:"Name,attr"`
				Sid  string `xml:"Sid,attr"`
			} `xml:"http://schemas.microsoft.com/ShellLauncher/2018/Configuration Account"`
			AutoLogon *struct{} `xml:"http://schemas.microsoft.com/ShellLauncher/2018/Configuration AutoLogonAccount"`
			Profile   struct {
				ID string `xml:"Id,attr"`
			} `xml:"http://schemas.microsoft.com/ShellLauncher/2018/Configuration Profile"`
		} `xml:"http://schemas.microsoft.com/ShellLauncher/2018/Configuration Config"`
	} `xml:"http://schemas.microsoft.com/ShellLauncher/2018/Configuration Configs"`
}

type slShell struct {
	Shell             string `xml:"Shell,attr"`
	AppType           string `xml:"http://schemas.microsoft.com/ShellLauncher/2019/Configuration AppType,attr"`
	AllAppsFullScreen string `xml:"http://schemas.microsoft.com/ShellLauncher/2019/Configuration AllAppsFullScreen,attr"`
	ReturnCodeActions *struct {
		Action []struct {
			ReturnCode string `xml:"ReturnCode,attr"`
			Action     string `xml:"Action,attr"`
		} `xml:"http://schemas.microsoft.com/ShellLauncher/2018/Configuration ReturnCodeAction"`
	} `xml:"http://schemas.microsoft.com/ShellLauncher/2018/Configuration ReturnCodeActions"`
	DefaultAction *struct {
		Action string `xml:"Action,attr"`
	} `xml:"http://schemas.microsoft.com/ShellLauncher/2018/Configuration DefaultAction"`
}

// Shell Launcher's actions, by name in the XML and by number in the
// WESL_UserSetting WMI class.
var shellLauncherActions = map[string]int{"RestartShell": 0, "RestartDevice": 1, "ShutdownDevice": 2, "DoNothing": 3}

// wellFormed reads every token of an XML document strictly.
func wellFormed(t *testing.T, name string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(readFile(t, name)))
	d.Strict = true
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("%s is not well-formed XML: %v", name, err)
		}
	}
}

// shell-launcher.xml makes balie.exe the kiosk account's shell: exit code 0
// (staff's Ctrl+Alt+Q) does nothing, any other restarts it; everyone else
// keeps Explorer. It is the schema's shape, so Windows takes it. Windows
// itself is not here: applying it is not tested.
func TestShellLauncherXML(t *testing.T) {
	path := filepath.Join(windowsDir, "shell-launcher.xml")
	wellFormed(t, path)
	var c shellLauncherConfig
	if err := xml.Unmarshal([]byte(readFile(t, path)), &c); err != nil {
		t.Fatal(err)
	}
	if c.Profiles.Default == nil || !strings.HasSuffix(strings.ToLower(c.Profiles.Default.Shell.Shell), `\explorer.exe`) {
		t.Errorf("other accounts do not keep Explorer: %+v", c.Profiles.Default)
	}
	if len(c.Profiles.Profile) != 1 {
		t.Fatalf("%d profiles, want the kiosk's", len(c.Profiles.Profile))
	}
	p := c.Profiles.Profile[0]
	if !regexp.MustCompile(`^\{[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\}$`).MatchString(p.ID) {
		t.Errorf("profile Id %q is not a {GUID}", p.ID)
	}

	// The command line: balie.exe where the scheduled task has it, with the
	// configuration the Windows supervisor passes.
	exe, rest := splitCommandLine(t, p.Shell.Shell)
	if exe != `%ProgramFiles%\Digitale Balie\balie.exe` {
		t.Errorf("the shell is %q, want balie.exe in %%ProgramFiles%%\\Digitale Balie", exe)
	}
	loop := readFile(t, filepath.Join("..", "supervise", "balie-loop.cmd"))
	m := regexp.MustCompile(`set "CONFIG=([^"]+)"`).FindStringSubmatch(loop)
	if m == nil {
		t.Fatal("balie-loop.cmd sets no CONFIG")
	}
	// -log: Shell Launcher shows no output, so the log and any crash
	// trace go to a file in the kiosk account's profile.
	if want := []string{"-config", m[1], "-log", `%LOCALAPPDATA%\balie\balie.log`}; strings.Join(rest, "\x00") != strings.Join(want, "\x00") {
		t.Errorf("balie.exe's arguments %q, want %q as balie-loop.cmd passes, and a log file", rest, want)
	}
	if task := readFile(t, filepath.Join("..", "supervise", "balie-task.xml")); !strings.Contains(task, `C:\Program Files\Digitale Balie\`) {
		t.Errorf("balie-task.xml no longer has balie in C:\\Program Files\\Digitale Balie")
	}
	if !strings.Contains(readFile(t, filepath.Join("..", "config.go")), `fset.String("config"`) {
		t.Errorf("cmd/balie has no -config flag")
	}

	if p.Shell.AppType != "Desktop" {
		t.Errorf("V2:AppType=%q, want Desktop (balie.exe is a Win32 program)", p.Shell.AppType)
	}
	if v, err := strconv.ParseBool(p.Shell.AllAppsFullScreen); err != nil || !v {
		t.Errorf("V2:AllAppsFullScreen=%q, want true (the call's Edge window too)", p.Shell.AllAppsFullScreen)
	}
	actions := map[int]string{}
	if p.Shell.ReturnCodeActions != nil {
		for _, a := range p.Shell.ReturnCodeActions.Action {
			code, err := strconv.Atoi(a.ReturnCode)
			if err != nil {
				t.Errorf("ReturnCode %q is not an integer", a.ReturnCode)
			}
			if _, dup := actions[code]; dup {
				t.Errorf("ReturnCode %d twice", code)
			}
			if _, ok := shellLauncherActions[a.Action]; !ok {
				t.Errorf("ReturnCode %d: unknown Action %q", code, a.Action)
			}
			actions[code] = a.Action
		}
	}
	if actions[0] != "DoNothing" {
		t.Errorf("exit code 0 (staff quit) does %q, want DoNothing", actions[0])
	}
	if len(actions) != 1 {
		t.Errorf("return codes %v: every exit but 0 is a crash, for the default action", actions)
	}
	if p.Shell.DefaultAction == nil || p.Shell.DefaultAction.Action != "RestartShell" {
		t.Errorf("a crash does %+v, want RestartShell", p.Shell.DefaultAction)
	}

	if len(c.Configs.Config) != 1 {
		t.Fatalf("%d configs, want one", len(c.Configs.Config))
	}
	cfg := c.Configs.Config[0]
	if cfg.Profile.ID != p.ID {
		t.Errorf("the config names profile %s, the profile is %s", cfg.Profile.ID, p.ID)
	}
	if cfg.Account == nil || cfg.Account.Name != "kiosk" || cfg.AutoLogon != nil {
		t.Errorf("the config is not for the local account kiosk: %+v", cfg)
	}
	// The same account as the PowerShell script's default and the
	// scheduled task's.
	ps := readFile(t, filepath.Join(windowsDir, "Install-BalieShellLauncher.ps1"))
	if !strings.Contains(ps, "[string]$KioskUser = '"+cfg.Account.Name+"'") {
		t.Errorf("Install-BalieShellLauncher.ps1's default account is not %s", cfg.Account.Name)
	}
}

// splitCommandLine splits a Windows command line the way the C runtime
// does for these simple cases: double quotes group, spaces separate.
func splitCommandLine(t *testing.T, s string) (string, []string) {
	t.Helper()
	var args []string
	var cur strings.Builder
	quoted, any := false, false
	for _, r := range s {
		switch {
		case r == '"':
			quoted = !quoted
			any = true
		case r == ' ' && !quoted:
			if any {
				args = append(args, cur.String())
				cur.Reset()
				any = false
			}
		default:
			cur.WriteRune(r)
			any = true
		}
	}
	if quoted {
		t.Fatalf("unbalanced quotes in %q", s)
	}
	if any {
		args = append(args, cur.String())
	}
	if len(args) == 0 {
		t.Fatalf("empty command line")
	}
	return args[0], args[1:]
}

// The PowerShell script cannot run here (no Windows, no PowerShell): this
// checks what it can. It reads the shell and its actions from the XML, and
// maps the actions' names to WESL_UserSetting's numbers as Microsoft
// documents them; it turns the feature on and knows both ways to apply the
// configuration; it is plain ASCII, which Windows PowerShell 5.1 reads
// right without a byte order mark.
func TestShellLauncherScript(t *testing.T) {
	ps := readFile(t, filepath.Join(windowsDir, "Install-BalieShellLauncher.ps1"))
	for i, r := range ps {
		if r > 0x7e || (r < 0x20 && r != '\n' && r != '\r' && r != '\t') {
			t.Fatalf("byte %d is %q: not plain ASCII", i, r)
		}
	}
	m := regexp.MustCompile(`\$Actions = @\{([^}]*)\}`).FindStringSubmatch(ps)
	if m == nil {
		t.Fatal("no $Actions table")
	}
	got := map[string]int{}
	for _, kv := range strings.Split(m[1], ";") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			t.Fatalf("$Actions entry %q", kv)
		}
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			t.Fatalf("$Actions entry %q", kv)
		}
		got[strings.TrimSpace(k)] = n
	}
	if len(got) != len(shellLauncherActions) {
		t.Errorf("$Actions %v, want %v", got, shellLauncherActions)
	}
	for k, v := range shellLauncherActions {
		if got[k] != v {
			t.Errorf("$Actions.%s = %d, WESL_UserSetting's is %d", k, got[k], v)
		}
	}
	for _, want := range []string{
		"#Requires -RunAsAdministrator",
		"Enable-WindowsOptionalFeature -Online -FeatureName Client-EmbeddedShellLauncher",
		"'shell-launcher.xml'",
		"-ClassName WESL_UserSetting -MethodName SetCustomShell",
		"-ClassName WESL_UserSetting -MethodName SetEnabled",
		"CustomReturnCodes = $codes; CustomReturnCodesAction = $codeActions; DefaultAction = $defaultAction",
		"-ClassName MDM_AssignedAccess",
		"$bridge.ShellLauncher = [System.Net.WebUtility]::HtmlEncode($config.OuterXml)",
		"'http://schemas.microsoft.com/ShellLauncher/2018/Configuration'",
		"$AdministratorsSid = 'S-1-5-32-544'",
		`icacls.exe $dataDir /grant "${KioskUser}:(OI)(CI)M"`, // a rewritten kiosk.toml keeps the right
		`icacls.exe $toml /grant "${KioskUser}:M"`,
	} {
		if !strings.Contains(ps, want) {
			t.Errorf("Install-BalieShellLauncher.ps1 lacks %q", want)
		}
	}
	// A rough syntax check: brackets balance.
	for _, pair := range []string{"{}", "()", "[]"} {
		if o, c := strings.Count(ps, pair[:1]), strings.Count(ps, pair[1:]); o != c {
			t.Errorf("%d %q but %d %q", o, pair[:1], c, pair[1:])
		}
	}
}
