package speech

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

func TestSoundCards(t *testing.T) {
	for file, want := range map[string]bool{
		"cards-one":  true,  // a PC with its sound card
		"cards-none": false, // ALSA without a card
		"absent":     false, // no ALSA at all, as in a container
	} {
		if got := soundCards(filepath.Join("testdata", "asound", file)); got != want {
			t.Errorf("%s: %v, want %v", file, got, want)
		}
	}
}

// Without a sound device every Speak says so; the voices stay known, so
// the screen can tell "no sound" from "no voice for your language".
func TestNoSoundSpeaker(t *testing.T) {
	s := noSound{Silent{}}
	if err := s.Speak(context.Background(), "nl", "Goedemorgen"); !errors.Is(err, ErrNoSound) {
		t.Fatalf("Speak: %v, want ErrNoSound", err)
	}
}
