package speech

import (
	"bufio"
	"context"
	"encoding/base64"
	"fmt"
	"math"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"unicode/utf16"
)

// NewSAPI returns an Engine that speaks through Windows' SAPI voices, by way
// of PowerShell and .NET's System.Speech. It only sees the "desktop" voices
// (those of the installed Windows display languages and speech packs); a
// language without one has no voice.
//
// CI runs on Linux, where the tests check the scripts it writes and the
// parsing of a recorded voice listing. SAPI itself is tested by
// TestSAPISpeaksOnWindows, which runs only on Windows and has not yet run:
// it needs a Windows PC (`go test ./app/speech`).
func NewSAPI(opts Options) (*Engine, error) {
	bin := opts.Command
	if bin == "" {
		bin = "powershell.exe"
	}
	return newEngine(sapi{bin: bin}, opts)
}

type sapi struct{ bin string }

// sapiVolume is SpeechSynthesizer.Volume (0-100, default 100) per step: the
// normal step leaves room for the loud one.
var sapiVolume = [MaxVolume + 1]int{Soft: 50, Normal: 80, Loud: 100}

// sapiTextVar carries the text to PowerShell. Not the command line, which
// other accounts on the PC can read; not stdin, which powershell.exe may
// read as commands itself. A process's environment is its own.
const sapiTextVar = "BALIE_SPEECH_TEXT"

func (s sapi) name() string { return s.bin }

const sapiListScript = `$ErrorActionPreference = 'Stop'
[Console]::OutputEncoding = [System.Text.Encoding]::UTF8
Add-Type -AssemblyName System.Speech
$s = New-Object System.Speech.Synthesis.SpeechSynthesizer
foreach ($v in $s.GetInstalledVoices()) {
  if ($v.Enabled) { [Console]::Out.WriteLine($v.VoiceInfo.Culture.Name + "` + "`t" + `" + $v.VoiceInfo.Name) }
}
$s.Dispose()
`

func (s sapi) voices(ctx context.Context) (map[string]string, error) {
	cmd := exec.CommandContext(ctx, s.bin, powershellArgs(sapiListScript)...)
	isolate(cmd)
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("speech: %s listing SAPI voices: %w", s.bin, err)
	}
	return pickVoices(parseSAPIVoices(string(out)), func(k string) []string { return languages[k].locale }, true), nil
}

// parseSAPIVoices reads the listing script's "culture<TAB>name" lines.
func parseSAPIVoices(out string) []installed {
	var list []installed
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		culture, name, ok := strings.Cut(strings.TrimSpace(sc.Text()), "\t")
		if !ok || culture == "" || name == "" {
			continue
		}
		list = append(list, installed{lang: normLocale(culture), name: strings.TrimSpace(name)})
	}
	return list
}

func (s sapi) command(voice string, rate, volume int, wav, text string) *exec.Cmd {
	cmd := exec.Command(s.bin, powershellArgs(sapiSpeakScript(voice, rate, volume, wav))...)
	cmd.Env = append(os.Environ(), sapiTextVar+"="+text)
	return cmd
}

func sapiSpeakScript(voice string, rate, volume int, wav string) string {
	out := "$s.SetOutputToDefaultAudioDevice()"
	if wav != "" {
		out = "$s.SetOutputToWaveFile(" + psQuote(wav) + ")"
	}
	return `$ErrorActionPreference = 'Stop'
Add-Type -AssemblyName System.Speech
$s = New-Object System.Speech.Synthesis.SpeechSynthesizer
$s.SelectVoice(` + psQuote(voice) + `)
$s.Rate = ` + strconv.Itoa(sapiRate(rate)) + `
$s.Volume = ` + strconv.Itoa(sapiVolume[clampVolume(volume)]) + `
` + out + `
$s.Speak([Environment]::GetEnvironmentVariable('` + sapiTextVar + `'))
$s.Dispose()
`
}

// sapiRate turns words per minute into SAPI's -10..10, where 0 is about 180
// words per minute and 10 is three times as fast.
func sapiRate(wpm int) int {
	r := math.Round(10 * math.Log(float64(max(wpm, 1))/180) / math.Log(3))
	return int(min(max(r, -10), 10))
}

// psQuote quotes s as a PowerShell single-quoted string.
func psQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// powershellArgs runs script without quoting trouble: -EncodedCommand takes
// it as base64 of UTF-16LE.
func powershellArgs(script string) []string {
	u := utf16.Encode([]rune(script))
	b := make([]byte, 2*len(u))
	for i, c := range u {
		b[2*i], b[2*i+1] = byte(c), byte(c>>8)
	}
	return []string{"-NoLogo", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass",
		"-EncodedCommand", base64.StdEncoding.EncodeToString(b)}
}
