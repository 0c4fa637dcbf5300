package speech_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/digitalebalie/balie/app/speech"
	"github.com/digitalebalie/balie/app/speech/speechtest"
	"github.com/digitalebalie/balie/i18n"
)

// Every language the kiosk offers has had its voices decided: a language
// added to i18n.Offered without a line in the voice table would silently
// have no read-aloud.
func TestEveryOfferedLanguageHasAVoiceDecision(t *testing.T) {
	for _, l := range i18n.Offered {
		if !speech.Decided(l.Tag) {
			t.Errorf("%s (%s): no line in the voice table", l.Tag, l.Name)
		}
	}
}

// speechtest.Debian12 says what the engine finds in Debian 12's espeak-ng
// listing, for each offered language.
func TestDebian12Preset(t *testing.T) {
	listing, err := filepath.Abs("testdata/espeak-ng-1.51-voices.txt")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "espeak-ng")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\ncat '"+listing+"'\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	e, err := speech.NewEspeak(speech.Options{Command: bin})
	if err != nil {
		t.Fatal(err)
	}
	fake := speechtest.New(speechtest.Debian12...)
	for _, l := range i18n.Offered {
		want := e.Available(l.Tag)
		if got := slices.Contains(speechtest.Debian12, l.Tag); got != want {
			t.Errorf("%s: in Debian12 %v, espeak-ng 1.51 has a voice %v", l.Tag, got, want)
		}
		if fake.Available(l.Tag) != want {
			t.Errorf("%s: the Fake says %v", l.Tag, !want)
		}
	}
}
