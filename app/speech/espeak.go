package speech

import (
	"bufio"
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
)

// NewEspeak returns an Engine that speaks through espeak-ng (Linux's engine;
// espeak-ng also runs on Windows and macOS when installed there).
func NewEspeak(opts Options) (*Engine, error) {
	bin := opts.Command
	if bin == "" {
		bin = "espeak-ng"
	}
	return newEngine(espeak{bin: bin}, opts)
}

type espeak struct{ bin string }

// espeakAmplitude is espeak-ng's -a for each volume step (its default is 100
// and it reaches full scale near 150). Being an argument of the process, it
// changes nothing on the PC that could outlive the utterance.
var espeakAmplitude = [MaxVolume + 1]int{Soft: 55, Normal: 100, Loud: 140}

func (e espeak) name() string { return e.bin }

func (e espeak) voices(ctx context.Context) (map[string]string, error) {
	cmd := exec.CommandContext(ctx, e.bin, "--voices")
	isolate(cmd)
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("speech: %s --voices: %w", e.bin, err)
	}
	return pickVoices(parseEspeakVoices(string(out)), func(k string) []string { return languages[k].espeak }, false), nil
}

// otherLanguage matches "(fr 8)" in espeak-ng's "Other Languages" column.
var otherLanguage = regexp.MustCompile(`\(([A-Za-z0-9-]+) [0-9]+\)`)

// parseEspeakVoices reads `espeak-ng --voices`:
//
//	Pty Language       Age/Gender VoiceName          File                 Other Languages
//	 5  fr-be           --/M      French_(Belgium)   roa/fr-BE            (fr 8)
//
// A voice is selected by its language name (-v fr-be); a language listed
// among another voice's other languages can be selected by its own name.
func parseEspeakVoices(out string) []installed {
	var list []installed
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 5 || f[0] == "Pty" {
			continue
		}
		if _, err := strconv.Atoi(f[0]); err != nil {
			continue
		}
		list = append(list, installed{lang: strings.ToLower(f[1]), name: f[1]})
		for _, m := range otherLanguage.FindAllStringSubmatch(strings.Join(f[5:], " "), -1) {
			list = append(list, installed{lang: strings.ToLower(m[1]), name: m[1]})
		}
	}
	return list
}

func (e espeak) command(voice string, rate, volume int, wav, text string) *exec.Cmd {
	args := []string{
		"--stdin", // the whole text at once, so sentences flow across lines
		"-b", "1", // UTF-8
		"-v", voice,
		"-s", strconv.Itoa(min(max(rate, 80), 450)), // espeak-ng's range
		"-a", strconv.Itoa(espeakAmplitude[clampVolume(volume)]),
	}
	if wav != "" {
		args = append(args, "-w", wav)
	}
	cmd := exec.Command(e.bin, args...)
	cmd.Stdin = strings.NewReader(text)
	return cmd
}
