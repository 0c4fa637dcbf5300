package speech

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// backend is one platform's speech program.
type backend interface {
	// name is the program, for logs and errors.
	name() string
	// voices runs the program's voice listing and picks a voice per
	// language key.
	voices(ctx context.Context) (map[string]string, error)
	// command builds the process that reads text with voice at rate (words
	// per minute) and volume (a step), into the WAV file wav, or to the
	// sound card when wav is "". The text must not go on the command line.
	command(voice string, rate, volume int, wav, text string) *exec.Cmd
}

// detectTimeout bounds the voice listing: PowerShell can take seconds on a
// cold start, and a hung program must not hold up the kiosk's start.
const detectTimeout = 15 * time.Second

// Engine speaks through one platform speech program. At most one utterance
// plays at a time. Its methods are safe from any goroutine.
type Engine struct {
	b      backend
	voices map[string]string // language key → the program's voice
	rate   int
	log    *slog.Logger
	wav    string // tests: Speak writes this file instead of playing

	mu     sync.Mutex
	volume int
	// start is the volume each visitor starts at: DefaultVolume, or what
	// staff set for this kiosk.
	start int
	cur   *job // the utterance playing, or nil

	warned atomic.Bool // a failure has been logged at Warn already
}

var _ Speaker = (*Engine)(nil)

func newEngine(b backend, opts Options) (*Engine, error) {
	ctx, cancel := context.WithTimeout(context.Background(), detectTimeout)
	defer cancel()
	voices, err := b.voices(ctx)
	if err != nil {
		return nil, err
	}
	if len(voices) == 0 {
		return nil, fmt.Errorf("speech: %s lists no voice for any offered language", b.name())
	}
	rate := opts.Rate
	if rate <= 0 {
		rate = DefaultRate
	}
	return &Engine{b: b, voices: voices, rate: rate, log: logger(opts.Log), volume: DefaultVolume, start: DefaultVolume}, nil
}

// Voice returns the speech program's voice for lang, if it has one.
func (e *Engine) Voice(lang string) (string, bool) {
	v, ok := e.voices[languageKey(lang)]
	return v, ok
}

// Available reports whether lang has a voice.
func (e *Engine) Available(lang string) bool {
	_, ok := e.Voice(lang)
	return ok
}

// Speak silences the current speech and starts reading text in lang. It
// waits only for the program to start (a few milliseconds), never for the
// speech. A program that fails later, for instance for want of a sound card,
// is logged once and otherwise ignored: read-aloud is a help, and the kiosk
// goes on without it.
func (e *Engine) Speak(ctx context.Context, lang, text string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	// The visitor acted: whatever happens next, the old speech stops.
	e.stopLocked()
	voice, ok := e.Voice(lang)
	if !ok {
		return fmt.Errorf("%w: %q", ErrNoVoice, lang)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if strings.TrimSpace(text) == "" {
		return nil
	}
	j, err := start(e.b.command(voice, e.rate, e.volume, e.wav, text))
	if err != nil {
		err = fmt.Errorf("speech: start %s: %w", e.b.name(), err)
		e.warn("speech: cannot start the speech program", "err", err)
		return err
	}
	e.cur = j
	stopOnDone := context.AfterFunc(ctx, func() { e.stopJob(j) })
	go func() {
		<-j.done
		stopOnDone()
		if !j.stopped.Load() && j.err != nil {
			e.warn("speech: the speech program failed", "program", e.b.name(), "err", j.err)
		}
	}()
	return nil
}

// Stop silences the speech at once. It does not wait for the program to be
// gone: the kill signal is enough.
func (e *Engine) Stop() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.stopLocked()
}

// SetVolume sets the volume of the next Speak, from Soft to MaxVolume;
// values outside are clamped. It does not change speech already playing: the
// kiosk repeats the text when the visitor changes the volume.
func (e *Engine) SetVolume(step int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.volume = clampVolume(step)
}

// Volume returns the volume step of the next Speak.
func (e *Engine) Volume() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.volume
}

// Reset silences the speech and brings back the volume each visitor
// starts at.
func (e *Engine) Reset() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.stopLocked()
	e.volume = e.start
}

// SetDefaultVolume sets the volume each visitor starts at, from Soft to
// MaxVolume, and the volume of the next Speak: staff set it per kiosk.
func (e *Engine) SetDefaultVolume(step int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.start = clampVolume(step)
	e.volume = e.start
}

// Voices lists the languages with a voice and the voice each reads in,
// "nl=nl", for staff.
func (e *Engine) Voices() []string {
	var out []string
	for _, k := range languageKeys() {
		if v, ok := e.voices[k]; ok {
			out = append(out, k+" = "+v)
		}
	}
	return out
}

// SpeakToWAV reads text in lang into a WAV file at path and waits until it
// is written, at the current volume and rate. It is for checks and tests
// (there is no sound card to listen to), and leaves live speech alone.
// Mind that the file holds whatever text says.
func (e *Engine) SpeakToWAV(ctx context.Context, lang, text, path string) error {
	voice, ok := e.Voice(lang)
	if !ok {
		return fmt.Errorf("%w: %q", ErrNoVoice, lang)
	}
	e.mu.Lock()
	vol := e.volume
	e.mu.Unlock()
	j, err := start(e.b.command(voice, e.rate, vol, path, text))
	if err != nil {
		return fmt.Errorf("speech: start %s: %w", e.b.name(), err)
	}
	defer context.AfterFunc(ctx, j.stop)()
	<-j.done
	if err := ctx.Err(); err != nil {
		return err
	}
	if j.err != nil {
		return fmt.Errorf("speech: %s: %w", e.b.name(), j.err)
	}
	return nil
}

func (e *Engine) stopLocked() {
	if e.cur != nil {
		e.cur.stop()
		e.cur = nil
	}
}

// stopJob stops j, which may no longer be the current utterance.
func (e *Engine) stopJob(j *job) {
	e.mu.Lock()
	if e.cur == j {
		e.cur = nil
	}
	e.mu.Unlock()
	j.stop()
}

// warn logs the first failure at Warn and later ones at Debug: a kiosk
// without a sound card would otherwise log on every screen.
func (e *Engine) warn(msg string, args ...any) {
	if e.warned.CompareAndSwap(false, true) {
		e.log.Warn(msg, args...)
		return
	}
	e.log.Debug(msg, args...)
}

func clampVolume(step int) int {
	return min(max(step, Soft), MaxVolume)
}

// job is one run of the speech program.
type job struct {
	proc    *os.Process
	done    chan struct{} // closed when the program has exited and been reaped
	stopped atomic.Bool   // we killed it: its exit is no failure
	err     error         // why it failed, set before done is closed
}

// start runs cmd in a process group of its own, so that stop takes along
// anything the program started.
func start(cmd *exec.Cmd) (*job, error) {
	isolate(cmd)
	var stderr limitedBuffer
	cmd.Stdout = nil
	cmd.Stderr = &stderr
	// If something escaped the kill and holds stderr open, don't wait on it.
	cmd.WaitDelay = time.Second
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	j := &job{proc: cmd.Process, done: make(chan struct{})}
	go func() {
		err := cmd.Wait()
		j.err = failure(err, stderr.String())
		close(j.done)
	}()
	return j, nil
}

// stop kills the program and everything it started, at once.
func (j *job) stop() {
	j.stopped.Store(true)
	select {
	case <-j.done:
		// Reaped: its process id may belong to someone else by now.
		return
	default:
	}
	killGroup(j.proc)
}

// failure says why the program failed, or nil. espeak-ng exits 0 when it
// finds no sound card and only complains on stderr, so a complaint counts
// too. The complaint is summarised, never quoted: it is the program's own
// text, but it could echo a piece of what it was reading.
func failure(waitErr error, stderr string) error {
	if waitErr == nil && strings.TrimSpace(stderr) == "" {
		return nil
	}
	s := strings.ToLower(stderr)
	reason := "the speech program reported an error"
	for _, w := range []string{"alsa", "pcm", "pulse", "audio", "sound", "device"} {
		if strings.Contains(s, w) {
			reason = "no working sound output"
			break
		}
	}
	var exit *exec.ExitError
	switch {
	case errors.As(waitErr, &exit):
		return fmt.Errorf("%s (%v)", reason, exit.ProcessState)
	case waitErr != nil:
		return fmt.Errorf("%s: %w", reason, waitErr)
	default:
		return errors.New(reason)
	}
}

// limitedBuffer keeps the first few KiB of a program's stderr.
type limitedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

const stderrLimit = 4 << 10

func (b *limitedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if room := stderrLimit - b.buf.Len(); room > 0 {
		b.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (b *limitedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
