// Package speech reads the kiosk's screens aloud (EN 301 549 5.1.3: a closed
// kiosk must speak what it shows). It drives the platform's own speech
// program as a child process: espeak-ng on Linux, SAPI through PowerShell on
// Windows, say on macOS. It may import only the standard library, never Fyne:
// the kiosk wires it into its screens.
//
// What the kiosk can rely on:
//   - Speak returns at once and speaks in the background; a new Speak, Stop,
//     Reset or the end of Speak's context silences the previous speech at
//     once (the whole process group is killed). Safe from any goroutine.
//   - A language without a voice is never read in another language's voice:
//     Available says so up front and Speak returns ErrNoVoice.
//   - Volume is the speech program's own amplitude, never the system mixer,
//     so nothing outlives the process; Reset brings back the default.
//   - The text goes to the speech program on its standard input (or, for
//     PowerShell, its environment), never on its command line where other
//     users of the PC could read it, and it is never logged.
//   - Personal data: Script keeps the visitor's own data out of what is read
//     unless the visitor asked for it on that screen.
package speech

import (
	"context"
	"errors"
	"log/slog"
)

// Speaker is what the kiosk's screens use to read aloud.
type Speaker interface {
	// Available reports whether lang (a BCP 47 tag such as "nl" or "fa-AF")
	// has a voice, so the screen can offer read-aloud or say it cannot.
	Available(lang string) bool
	// Speak silences whatever is being spoken, then starts reading text in
	// lang and returns without waiting for it. The speech stops by itself
	// when ctx is done. It returns ErrNoVoice when lang has no voice.
	Speak(ctx context.Context, lang, text string) error
	// Stop silences the speech at once.
	Stop()
	// SetVolume picks a step from 0 (Soft) to MaxVolume for the next Speak.
	SetVolume(step int)
	// Reset silences the speech and brings back DefaultVolume: call it at
	// the end of every visitor's session.
	Reset()
}

// ErrNoVoice is returned by Speak for a language the platform has no voice
// for. The kiosk says so plainly rather than read it in the wrong voice.
var ErrNoVoice = errors.New("no voice for this language")

// ErrNoSound is Speak's answer on a computer without a sound device: the
// screen says so rather than read to nobody.
var ErrNoSound = errors.New("this computer has no sound device")

// Volume steps. Three are enough to find with shaky hands and are far enough
// apart to hear the difference.
const (
	Soft          = 0
	Normal        = 1
	Loud          = 2
	MaxVolume     = Loud
	DefaultVolume = Normal
)

// DefaultRate is the speaking rate in words per minute: a little slower than
// espeak-ng's 175, for visitors who are reading in a second language.
const DefaultRate = 150

// Options configure an Engine.
type Options struct {
	// Rate in words per minute; 0 means DefaultRate.
	Rate int
	// Log receives failures of the speech program (never the text); nil
	// discards them.
	Log *slog.Logger
	// Command overrides the speech program (espeak-ng, powershell.exe or
	// say): a full path, or a stand-in in tests.
	Command string
}

// New returns the platform's speech engine, or Silent when it has none (the
// program is missing or lists no voices), after logging why. It runs the
// speech program once to list its voices: a few milliseconds for espeak-ng,
// up to a second or two for PowerShell, so call it at start-up rather than
// on the UI thread.
func New(opts Options) Speaker {
	log := logger(opts.Log)
	e, err := newPlatform(opts)
	if err != nil {
		log.Warn("speech: read-aloud is off", "err", err)
		return Silent{}
	}
	var have, lack []string
	for _, k := range languageKeys() {
		if v, ok := e.voices[k]; ok {
			have = append(have, k+"="+v)
		} else {
			lack = append(lack, k)
		}
	}
	log.Info("speech: voices", "program", e.b.name(), "voices", have, "none", lack)
	if !hasSoundDevice() {
		log.Warn("speech: no sound device: read-aloud will say so")
		return noSound{e}
	}
	return e
}

// noSound is a Speaker on a computer without a sound device: it knows the
// voices, but every Speak answers ErrNoSound.
type noSound struct{ Speaker }

// Voices and SetDefaultVolume reach the engine under noSound: staff see
// the voices, and the volume holds once a sound device is there.
func (n noSound) Voices() []string {
	if e, ok := n.Speaker.(*Engine); ok {
		return e.Voices()
	}
	return nil
}

func (n noSound) SetDefaultVolume(step int) {
	if e, ok := n.Speaker.(*Engine); ok {
		e.SetDefaultVolume(step)
	}
}

func (noSound) Speak(context.Context, string, string) error { return ErrNoSound }

func logger(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return l
}

// Silent is the Speaker of a PC without speech: it has no voice at all.
type Silent struct{}

var _ Speaker = Silent{}

func (Silent) Available(string) bool { return false }

func (Silent) Speak(context.Context, string, string) error { return ErrNoVoice }

func (Silent) Stop() {}

func (Silent) SetVolume(int) {}

func (Silent) Reset() {}
