// Package speechtest has a Speaker for the kiosk's UI tests: it records what
// would have been read aloud, and plays nothing. Tests only; it imports the
// standard library and package speech.
package speechtest

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/digitalebalie/balie/app/speech"
)

// Utterance is one Speak the Fake accepted.
type Utterance struct {
	Lang   string
	Text   string
	Volume int
}

// Fake is a speech.Speaker that remembers. An utterance "plays" from Speak
// until Stop, Reset, the next Speak, the end of its context, or Finish.
// Safe from any goroutine.
type Fake struct {
	mu       sync.Mutex
	voices   map[string]bool // nil: every language has a voice
	spoken   []Utterance
	playing  int // generation of the utterance playing, 0 for none
	gen      int
	volume   int
	stops    int
	resets   int
	noVoices []string // languages asked for without a voice
}

var _ speech.Speaker = (*Fake)(nil)

// Debian12 are the languages with an espeak-ng voice on Debian 12: every
// offered language but Pashto (ps). New(Debian12...) makes a Fake like the
// kiosk's own PC.
var Debian12 = []string{"nl", "fr", "en", "bg", "tr", "uk", "ar", "fa-AF", "ro", "pl", "sk", "es", "ru"}

// New returns a Fake with a voice for each of langs (primary subtags, as
// "nl" or "fa"), or for every language when there are none.
func New(langs ...string) *Fake {
	f := &Fake{volume: speech.DefaultVolume}
	if len(langs) > 0 {
		f.voices = map[string]bool{}
		for _, l := range langs {
			f.voices[primary(l)] = true
		}
	}
	return f
}

func primary(tag string) string {
	tag = strings.ToLower(strings.ReplaceAll(tag, "_", "-"))
	p, _, _ := strings.Cut(tag, "-")
	return p
}

func (f *Fake) Available(lang string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.availableLocked(lang)
}

func (f *Fake) availableLocked(lang string) bool {
	return f.voices == nil || f.voices[primary(lang)]
}

// Speak records the utterance, as the real engine would start it.
func (f *Fake) Speak(ctx context.Context, lang, text string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.playing = 0
	if !f.availableLocked(lang) {
		f.noVoices = append(f.noVoices, lang)
		return fmt.Errorf("%w: %q", speech.ErrNoVoice, lang)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if strings.TrimSpace(text) == "" {
		return nil
	}
	f.spoken = append(f.spoken, Utterance{Lang: lang, Text: text, Volume: f.volume})
	f.gen++
	gen := f.gen
	f.playing = gen
	context.AfterFunc(ctx, func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.playing == gen {
			f.playing = 0
		}
	})
	return nil
}

func (f *Fake) Stop() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.playing = 0
	f.stops++
}

func (f *Fake) SetVolume(step int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.volume = min(max(step, 0), speech.MaxVolume)
}

func (f *Fake) Reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.playing = 0
	f.volume = speech.DefaultVolume
	f.resets++
}

// Finish ends the utterance playing, as if it had been read to the end.
func (f *Fake) Finish() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.playing = 0
}

// Speaking reports whether an utterance is playing.
func (f *Fake) Speaking() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.playing != 0
}

// Spoken returns every utterance so far, oldest first.
func (f *Fake) Spoken() []Utterance {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Utterance(nil), f.spoken...)
}

// Last returns the latest utterance, if any.
func (f *Fake) Last() (Utterance, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.spoken) == 0 {
		return Utterance{}, false
	}
	return f.spoken[len(f.spoken)-1], true
}

// NoVoice returns the languages Speak was asked for that had no voice.
func (f *Fake) NoVoice() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.noVoices...)
}

// Volume returns the volume step of the next Speak.
func (f *Fake) Volume() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.volume
}

// Stops and Resets count the calls, for "it stops as soon as the visitor
// acts" and "the volume goes back after every session".
func (f *Fake) Stops() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.stops
}

func (f *Fake) Resets() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.resets
}
