package speech

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// needEspeak returns an Engine over the real espeak-ng. Without espeak-ng
// the test is skipped, unless BALIE_REQUIRE_SPEECH=1 (CI) makes it fail.
func needEspeak(t testing.TB, opts Options) *Engine {
	t.Helper()
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		if os.Getenv("BALIE_REQUIRE_SPEECH") == "1" {
			t.Fatal("espeak-ng is not installed (apt-get install espeak-ng) and BALIE_REQUIRE_SPEECH=1")
		}
		t.Skip("espeak-ng is not installed")
	}
	e, err := NewEspeak(opts)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// samples is each offered language's welcome, as the kiosk would read it.
var samples = []struct{ lang, text string }{
	{"nl", "Welkom bij de digitale balie van de stad Gent. Wat wilt u doen?"},
	{"fr", "Bienvenue au guichet numérique de la ville de Gand. Que voulez-vous faire ?"},
	{"en", "Welcome to the digital counter of the city of Ghent. What would you like to do?"},
	{"bg", "Добре дошли на дигиталното гише на град Гент. Какво искате да направите?"},
	{"tr", "Gent şehrinin dijital gişesine hoş geldiniz. Ne yapmak istersiniz?"},
	{"uk", "Ласкаво просимо до цифрового віконця міста Гент. Що ви бажаєте зробити?"},
	{"ar", "مرحبا بكم في الشباك الرقمي لمدينة غنت. ماذا تريد أن تفعل؟"},
	{"fa-AF", "به باجه دیجیتال شهر گنت خوش آمدید. چه کاری می\u200cخواهید انجام دهید؟"},
	{"ps", "د ګنټ ښار ډیجیټل کړکۍ ته ښه راغلاست. څه کول غواړئ؟"},
	{"ro", "Bine ați venit la ghișeul digital al orașului Gent. Ce doriți să faceți?"},
	{"pl", "Witamy w cyfrowym okienku miasta Gandawa. Co chcesz zrobić?"},
	{"sk", "Vitajte pri digitálnej prepážke mesta Gent. Čo chcete urobiť?"},
	{"es", "Bienvenido a la ventanilla digital de la ciudad de Gante. ¿Qué desea hacer?"},
	{"ru", "Добро пожаловать в цифровое окно города Гент. Что вы хотите сделать?"},
}

// Each language with a voice is spoken into a WAV file that holds speech:
// loud enough and about as long as the sentence. One without a voice says so.
// speakEachSample speaks every sample to a WAV file with e and hands its
// measurements to check; a language without a voice must say ErrNoVoice.
func speakEachSample(t *testing.T, e *Engine, check func(t *testing.T, lang, text, path string, st wavStats)) {
	dir := t.TempDir()
	for _, s := range samples {
		t.Run(s.lang, func(t *testing.T) {
			path := filepath.Join(dir, s.lang+".wav")
			err := e.SpeakToWAV(context.Background(), s.lang, s.text, path)
			if !e.Available(s.lang) {
				if !errors.Is(err, ErrNoVoice) {
					t.Fatalf("no voice, but SpeakToWAV returned %v", err)
				}
				t.Logf("%-5s no voice: ErrNoVoice", s.lang)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			st, err := readWAV(path)
			if err != nil {
				t.Fatal(err)
			}
			check(t, s.lang, s.text, path, st)
		})
	}
}

func TestEspeakSpeaksEachLanguage(t *testing.T) {
	e := needEspeak(t, Options{})
	speakEachSample(t, e, func(t *testing.T, lang, text, path string, st wavStats) {
		voice, _ := e.Voice(lang)
		t.Logf("%-5s voice %-5s %5.2f s  RMS %.3f  peak %.3f", lang, voice, st.Duration.Seconds(), st.RMS, st.Peak)
		// About ten words at 150 a minute, with pauses: 2.5 to 8 s.
		if st.Duration < 2500*time.Millisecond || st.Duration > 8*time.Second {
			t.Errorf("duration %v, want 2.5-8 s for %d characters", st.Duration, len([]rune(text)))
		}
		if st.RMS < 0.03 {
			t.Errorf("RMS %.4f: silent", st.RMS)
		}
		if st.Peak > 0.999 {
			t.Errorf("peak %.4f: clipped at the default volume", st.Peak)
		}
		if rms, secs, ok := soxStats(t, path); ok {
			if d := rms - st.RMS; d > 0.001 || d < -0.001 {
				t.Errorf("sox says RMS %.4f, readWAV %.4f", rms, st.RMS)
			}
			if d := secs - st.Duration.Seconds(); d > 0.01 || d < -0.01 {
				t.Errorf("sox says %.3f s, readWAV %.3f s", secs, st.Duration.Seconds())
			}
		}
	})
}

// On Debian 12 every offered language has a voice but Pashto.
func TestEspeakVoicesFound(t *testing.T) {
	e := needEspeak(t, Options{})
	for _, s := range samples {
		want := s.lang != "ps"
		if got := e.Available(s.lang); got != want {
			v, _ := e.Voice(s.lang)
			t.Errorf("Available(%q) = %v (voice %q), want %v", s.lang, got, v, want)
		}
	}
	if err := e.Speak(context.Background(), "ps", "سلام"); !errors.Is(err, ErrNoVoice) {
		t.Errorf("Speak(ps) = %v, want ErrNoVoice", err)
	}
	if err := e.Speak(context.Background(), "de", "Hallo"); !errors.Is(err, ErrNoVoice) {
		t.Errorf("Speak(de), a language the kiosk does not offer, = %v, want ErrNoVoice", err)
	}
}

// The voice picked for a language reads its script itself. espeak-ng marks
// a switch to another language's voice as "(en)" in its phonemes: that is
// what reading Cyrillic with a Dutch voice, or Pashto with the Persian one,
// looks like.
func TestEspeakVoiceReadsItsOwnScript(t *testing.T) {
	e := needEspeak(t, Options{})
	switched := regexp.MustCompile(`\([a-z]{2,3}(-[a-z0-9]+)?\)`)
	phonemes := func(voice, text string) string {
		cmd := exec.Command("espeak-ng", "-q", "-x", "--stdin", "-b", "1", "-v", voice)
		cmd.Stdin = strings.NewReader(text)
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	for _, s := range samples {
		voice, ok := e.Voice(s.lang)
		if !ok {
			continue
		}
		if m := switched.FindString(phonemes(voice, s.text)); m != "" {
			t.Errorf("%s: voice %s switches to %s", s.lang, voice, m)
		}
	}
	// The check itself: a Dutch voice on Russian text does switch.
	if !switched.MatchString(phonemes("nl", samples[len(samples)-1].text)) {
		t.Error("no language switch seen for Russian read in Dutch: the check is blind")
	}
}

func TestEspeakVolumeAndRate(t *testing.T) {
	e := needEspeak(t, Options{})
	dir := t.TempDir()
	text := samples[0].text
	var rms [MaxVolume + 1]float64
	for step := Soft; step <= MaxVolume; step++ {
		e.SetVolume(step)
		path := filepath.Join(dir, "vol.wav")
		if err := e.SpeakToWAV(context.Background(), "nl", text, path); err != nil {
			t.Fatal(err)
		}
		st, err := readWAV(path)
		if err != nil {
			t.Fatal(err)
		}
		rms[step] = st.RMS
		t.Logf("volume step %d: RMS %.3f peak %.3f", step, st.RMS, st.Peak)
	}
	if !(rms[Soft] < rms[Normal] && rms[Normal] < rms[Loud]) {
		t.Errorf("RMS by step %v: not rising", rms)
	}
	e.Reset()
	if e.Volume() != DefaultVolume {
		t.Errorf("volume after Reset = %d", e.Volume())
	}

	durations := map[int]time.Duration{}
	for _, rate := range []int{100, 150, 220} {
		f := needEspeak(t, Options{Rate: rate})
		path := filepath.Join(dir, "rate.wav")
		if err := f.SpeakToWAV(context.Background(), "nl", text, path); err != nil {
			t.Fatal(err)
		}
		st, _ := readWAV(path)
		durations[rate] = st.Duration
		t.Logf("rate %d wpm: %.2f s", rate, st.Duration.Seconds())
	}
	if !(durations[100] > durations[150] && durations[150] > durations[220]) {
		t.Errorf("durations by rate %v: a faster rate is not shorter", durations)
	}
}

// longText takes espeak-ng several seconds to write to a file.
var longText = strings.Repeat(samples[0].text+" ", 800)

// Stop, a new Speak, and the end of Speak's context each kill a long
// utterance. The whole text would take an hour to speak, so an utterance
// that was not killed cannot pass: it is not gone within stopHard, or its
// file keeps growing. How fast it is gone is a figure, not a behaviour:
// BenchmarkEspeakStop measures it.
func TestEspeakStop(t *testing.T) {
	e := needEspeak(t, Options{})
	for _, way := range stopWays {
		t.Run(way.name, func(t *testing.T) {
			d := stopRound(t, e, way.stop)
			t.Logf("gone %v after %s", d.Round(10*time.Microsecond), way.name)
		})
	}
	e.Stop() // with nothing playing: no harm
}

// stopWays are the ways the kiosk ends an utterance.
var stopWays = []struct {
	name string
	stop func(e *Engine, cancel context.CancelFunc) error
}{
	{"Stop", func(e *Engine, _ context.CancelFunc) error { e.Stop(); return nil }},
	{"a second Speak", func(e *Engine, _ context.CancelFunc) error {
		e.wav = e.wav + ".second.wav"
		return e.Speak(context.Background(), "fr", longText)
	}},
	{"Reset", func(e *Engine, _ context.CancelFunc) error { e.Reset(); return nil }},
	{"the end of its context", func(_ *Engine, cancel context.CancelFunc) error { cancel(); return nil }},
}

// BenchmarkEspeakStop measures how long espeak-ng takes to be gone after
// each way of stopping it, as stop-ms/op; ns/op is a whole round (start,
// speak 64 KiB of WAV, stop, gone).
//
//	go test ./app/speech -run '^$' -bench EspeakStop -benchtime 20x
func BenchmarkEspeakStop(b *testing.B) {
	e := needEspeak(b, Options{})
	for _, way := range stopWays {
		b.Run(way.name, func(b *testing.B) {
			var total time.Duration
			for range b.N {
				total += stopRound(b, e, way.stop)
			}
			b.ReportMetric(ms(total)/float64(b.N), "stop-ms/op")
		})
	}
}

// stopRound starts the long text into a WAV file, waits until speech is
// coming out, stops it one way, and returns how long the program took to be
// gone. It checks the file then stops growing, far short of the whole text.
func stopRound(t testing.TB, e *Engine, stop func(*Engine, context.CancelFunc) error) time.Duration {
	t.Helper()
	dir := memTempDir(t)
	e.wav = filepath.Join(dir, "first.wav")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := e.Speak(ctx, "nl", longText); err != nil {
		t.Fatal(err)
	}
	j := current(e)
	waitFor(t, func() bool { return fileSize(e.wav) > 64<<10 })
	if finished(j) {
		t.Fatal("the long text finished early")
	}
	t0 := time.Now()
	if err := stop(e, cancel); err != nil {
		t.Fatal(err)
	}
	select {
	case <-j.done:
	case <-time.After(stopHard):
		t.Fatalf("still running after %v", stopHard)
	}
	took := time.Since(t0)
	if next := current(e); next == j {
		t.Error("the stopped utterance is still current")
	} else if next != nil {
		// A second Speak: that one is playing now.
		if finished(next) {
			t.Error("the second utterance is not playing")
		}
		e.Stop()
		<-next.done
	}
	path := filepath.Join(dir, "first.wav")
	size := fileSize(path)
	time.Sleep(50 * time.Millisecond)
	full := int64(800 * 4.7 * 22050 * 2) // 800 sentences of 4.7 s, 16-bit 22050 Hz
	if now := fileSize(path); now != size || size > full/4 {
		t.Errorf("%d bytes, then %d, of a whole %d: not stopped", size, now, full)
	}
	return took
}

// Speak with an ended context speaks nothing, and still stops what played.
func TestEspeakEndedContext(t *testing.T) {
	e := needEspeak(t, Options{})
	e.wav = filepath.Join(memTempDir(t), "a.wav")
	if err := e.Speak(context.Background(), "nl", longText); err != nil {
		t.Fatal(err)
	}
	j := current(e)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := e.Speak(ctx, "nl", "Hallo"); !errors.Is(err, context.Canceled) {
		t.Errorf("Speak with an ended context = %v", err)
	}
	if current(e) != nil {
		t.Error("something is playing")
	}
	select {
	case <-j.done:
	case <-time.After(stopHard):
		t.Fatal("the earlier utterance was not stopped")
	}
}

// Here, with no sound card, the live path fails quietly: Speak returns nil
// (it only starts the program and does not wait for it), the program gives
// up, and the failure is logged once at Warn, and never with the text. How
// long Speak takes to return is a figure: BenchmarkEspeakSpeak measures it.
func TestEspeakLiveWithoutSoundCard(t *testing.T) {
	if haveSoundCard() {
		t.Skip("this PC has a sound card: the test would speak aloud")
	}
	var logs logBuffer
	e := needEspeak(t, Options{Log: logs.logger()})
	for range 3 {
		if err := e.Speak(context.Background(), "nl", secret); err != nil {
			t.Fatal(err)
		}
		j := current(e)
		select {
		case <-j.done:
		case <-time.After(stopHard):
			t.Fatal("espeak-ng without a sound card did not give up")
		}
		waitFor(t, func() bool { return logs.count() > 0 })
	}
	time.Sleep(50 * time.Millisecond) // let the last exit be logged
	logs.check(t, 1, "no working sound output")
}

// BenchmarkEspeakSpeak measures how long Speak takes to return, as
// speak-ms/op: the time the kiosk's UI thread waits for read-aloud to
// start. It speaks into a WAV file, so a PC with a sound card stays quiet;
// starting the program costs the same either way. ns/op is a whole round
// (Speak, Stop, the program gone).
//
//	go test ./app/speech -run '^$' -bench EspeakSpeak -benchtime 20x
func BenchmarkEspeakSpeak(b *testing.B) {
	e := needEspeak(b, Options{})
	e.wav = filepath.Join(memTempDir(b), "speak.wav")
	var total time.Duration
	for range b.N {
		t0 := time.Now()
		if err := e.Speak(context.Background(), "nl", longText); err != nil {
			b.Fatal(err)
		}
		total += time.Since(t0)
		j := current(e)
		e.Stop()
		select {
		case <-j.done:
		case <-time.After(stopHard):
			b.Fatalf("still running after %v", stopHard)
		}
	}
	b.ReportMetric(ms(total)/float64(b.N), "speak-ms/op")
}

// ms is d in milliseconds.
func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func haveSoundCard() bool {
	b, err := os.ReadFile("/proc/asound/cards")
	return err == nil && !strings.Contains(string(b), "no soundcards")
}

func current(e *Engine) *job {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.cur
}

func finished(j *job) bool {
	select {
	case <-j.done:
		return true
	default:
		return false
	}
}

// stopHard is how long a stopped (or failing) espeak-ng may take to be gone
// before a test calls it a hang. It is a deadline for liveness, not a
// speed bound: a killed program is gone in milliseconds, and the wait ends
// as soon as it is; only a program that was never stopped runs this long.
const stopHard = 10 * time.Second

func waitFor(t testing.TB, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
	}
}

// memTempDir is a temporary folder in memory where there is one. A process
// killed while writing a big file to disk can take tens of milliseconds more
// to die as the file system flushes it: that is the file's cost, not the
// speech's, and would blur what the stop tests measure.
func memTempDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("/dev/shm", "speech-test-")
	if err != nil {
		return t.TempDir()
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// fileSize is the size of path, 0 while it does not exist.
func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}
