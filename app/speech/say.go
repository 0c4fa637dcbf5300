package speech

import (
	"bufio"
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
)

// NewSay returns an Engine that speaks through macOS's say.
//
// Untested: this package's tests run on Linux. They check the command it
// builds and the parsing of a recorded voice listing, not say itself.
func NewSay(opts Options) (*Engine, error) {
	bin := opts.Command
	if bin == "" {
		bin = "say"
	}
	return newEngine(say{bin: bin}, opts)
}

type say struct{ bin string }

// sayVolume is the [[volm]] embedded command per step (1 is full volume).
var sayVolume = [MaxVolume + 1]string{Soft: "0.5", Normal: "0.8", Loud: "1"}

func (s say) name() string { return s.bin }

func (s say) voices(ctx context.Context) (map[string]string, error) {
	cmd := exec.CommandContext(ctx, s.bin, "-v", "?")
	isolate(cmd)
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("speech: %s -v '?': %w", s.bin, err)
	}
	return pickVoices(parseSayVoices(string(out)), func(k string) []string { return languages[k].locale }, true), nil
}

// parseSayVoices reads `say -v '?'`, whose voice names may hold spaces:
//
//	Eddy (English (UK)) en_GB    # Hello! My name is Eddy.
func parseSayVoices(out string) []installed {
	var list []installed
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		left, _, _ := strings.Cut(sc.Text(), "#")
		left = strings.TrimSpace(left)
		i := strings.LastIndexAny(left, " \t")
		if i < 0 {
			continue
		}
		name, locale := strings.TrimSpace(left[:i]), left[i+1:]
		if name == "" || !strings.Contains(locale, "_") {
			continue
		}
		list = append(list, installed{lang: normLocale(locale), name: name})
	}
	return list
}

func (s say) command(voice string, rate, volume int, wav, text string) *exec.Cmd {
	args := []string{"-v", voice, "-r", strconv.Itoa(rate)}
	if wav != "" {
		args = append(args, "-o", wav, "--file-format=WAVE", "--data-format=LEI16@22050")
	}
	// With no text among the arguments, say reads standard input.
	cmd := exec.Command(s.bin, args...)
	cmd.Stdin = strings.NewReader(sayInput(text, volume))
	return cmd
}

// sayInput sets the volume with say's embedded command, and defuses any
// "[[" in the text so that it cannot carry commands of its own.
func sayInput(text string, volume int) string {
	text = strings.ReplaceAll(text, "[[", "[ [")
	return "[[volm " + sayVolume[clampVolume(volume)] + "]] " + text
}
