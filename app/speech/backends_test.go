package speech

import (
	"encoding/base64"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
)

const secret = "Jan Peeters, 0470 12 34 56"

func TestEspeakCommand(t *testing.T) {
	for _, tc := range []struct {
		name        string
		rate, vol   int
		wav         string
		wantRate    string
		wantAmp     string
		wantWAVFlag bool
	}{
		{"default", DefaultRate, DefaultVolume, "", "150", "100", false},
		{"soft", DefaultRate, Soft, "", "150", "55", false},
		{"loud to a file", 175, Loud, "/tmp/x.wav", "175", "140", true},
		{"clamped", 1000, 7, "", "450", "140", false},
		{"clamped low", 10, -3, "", "80", "55", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := espeak{bin: "espeak-ng"}.command("fr-be", tc.rate, tc.vol, tc.wav, secret)
			args := cmd.Args[1:]
			if got := after(args, "-v"); got != "fr-be" {
				t.Errorf("-v %q", got)
			}
			if got := after(args, "-s"); got != tc.wantRate {
				t.Errorf("-s %q, want %q", got, tc.wantRate)
			}
			if got := after(args, "-a"); got != tc.wantAmp {
				t.Errorf("-a %q, want %q", got, tc.wantAmp)
			}
			if got := after(args, "-w"); (got != "") != tc.wantWAVFlag || (tc.wantWAVFlag && got != tc.wav) {
				t.Errorf("-w %q, want %q", got, tc.wav)
			}
			if !slices.Contains(args, "--stdin") {
				t.Error("text not read from stdin")
			}
			noSecretInArgs(t, cmd.Args)
			if cmd.Stdin == nil {
				t.Error("no stdin")
			}
		})
	}
}

func TestSAPIScript(t *testing.T) {
	cmd := sapi{bin: "powershell.exe"}.command("Microsoft Frank's Desktop", 150, Loud, `C:\tmp\a.wav`, secret)
	noSecretInArgs(t, cmd.Args)
	script := decodePS(t, after(cmd.Args, "-EncodedCommand"))
	for _, want := range []string{
		"$s.SelectVoice('Microsoft Frank''s Desktop')",
		"$s.Rate = -2",
		"$s.Volume = 100",
		`$s.SetOutputToWaveFile('C:\tmp\a.wav')`,
		"GetEnvironmentVariable('" + sapiTextVar + "')",
	} {
		if !strings.Contains(script, want) {
			t.Errorf("script lacks %q:\n%s", want, script)
		}
	}
	if strings.Contains(script, "Jan") {
		t.Error("the text is in the script")
	}
	if !slices.Contains(cmd.Env, sapiTextVar+"="+secret) {
		t.Error("the text is not in the environment")
	}
	live := decodePS(t, after(sapi{}.command("V", 150, Normal, "", "x").Args, "-EncodedCommand"))
	if !strings.Contains(live, "SetOutputToDefaultAudioDevice()") || !strings.Contains(live, "$s.Volume = 80") {
		t.Errorf("live script:\n%s", live)
	}
}

func TestSAPIRate(t *testing.T) {
	for _, tc := range []struct{ wpm, want int }{{180, 0}, {150, -2}, {540, 10}, {60, -10}, {5000, 10}, {0, -10}, {200, 1}} {
		if got := sapiRate(tc.wpm); got != tc.want {
			t.Errorf("sapiRate(%d) = %d, want %d", tc.wpm, got, tc.want)
		}
	}
}

func TestSayCommand(t *testing.T) {
	cmd := say{bin: "say"}.command("Ellen", 150, Soft, "/tmp/a.wav", secret+" [[volm 1]]")
	noSecretInArgs(t, cmd.Args)
	if after(cmd.Args, "-v") != "Ellen" || after(cmd.Args, "-r") != "150" || after(cmd.Args, "-o") != "/tmp/a.wav" {
		t.Errorf("args %q", cmd.Args)
	}
	for _, tc := range []struct {
		text string
		vol  int
		want string
	}{
		{"Hallo", Normal, "[[volm 0.8]] Hallo"},
		{"Hallo", Loud, "[[volm 1]] Hallo"},
		{"a [[volm 1]] b", Soft, "[[volm 0.5]] a [ [volm 1]] b"},
	} {
		if got := sayInput(tc.text, tc.vol); got != tc.want {
			t.Errorf("sayInput(%q, %d) = %q, want %q", tc.text, tc.vol, got, tc.want)
		}
	}
}

func after(args []string, flag string) string {
	i := slices.Index(args, flag)
	if i < 0 || i+1 >= len(args) {
		return ""
	}
	return args[i+1]
}

func noSecretInArgs(t *testing.T, args []string) {
	t.Helper()
	for _, a := range args {
		if strings.Contains(a, "Jan") || strings.Contains(a, "0470") {
			t.Errorf("the text is on the command line: %q", a)
		}
	}
}

func decodePS(t *testing.T, enc string) string {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(enc)
	if err != nil || len(b)%2 != 0 {
		t.Fatalf("bad -EncodedCommand %q: %v", enc, err)
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
	}
	return string(utf16.Decode(u))
}
