package speechtest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/speech"
)

func TestFake(t *testing.T) {
	f := New(Debian12...)
	ctx := context.Background()
	for _, tc := range []struct {
		lang string
		want bool
	}{{"nl", true}, {"fa-AF", true}, {"fa", true}, {"FR_be", true}, {"ps", false}, {"de", false}} {
		if got := f.Available(tc.lang); got != tc.want {
			t.Errorf("Available(%q) = %v", tc.lang, got)
		}
	}

	if err := f.Speak(ctx, "nl", "Welkom"); err != nil {
		t.Fatal(err)
	}
	if !f.Speaking() {
		t.Error("not speaking after Speak")
	}
	f.SetVolume(speech.Loud)
	if err := f.Speak(ctx, "fr", "Bienvenue"); err != nil {
		t.Fatal(err)
	}
	if err := f.Speak(ctx, "ps", "سلام"); !errors.Is(err, speech.ErrNoVoice) {
		t.Errorf("Speak(ps) = %v", err)
	}
	if f.Speaking() {
		t.Error("a Speak without a voice left the previous one playing")
	}
	want := []Utterance{{"nl", "Welkom", speech.Normal}, {"fr", "Bienvenue", speech.Loud}}
	if got := f.Spoken(); !slices.Equal(got, want) {
		t.Errorf("Spoken = %v, want %v", got, want)
	}
	if last, ok := f.Last(); !ok || last != want[1] {
		t.Errorf("Last = %v, %v", last, ok)
	}
	if got := f.NoVoice(); !slices.Equal(got, []string{"ps"}) {
		t.Errorf("NoVoice = %v", got)
	}

	_ = f.Speak(ctx, "nl", "Nog eens")
	f.Stop()
	if f.Speaking() || f.Stops() != 1 {
		t.Errorf("after Stop: speaking %v, stops %d", f.Speaking(), f.Stops())
	}
	_ = f.Speak(ctx, "nl", "Nog eens")
	f.Finish()
	if f.Speaking() {
		t.Error("speaking after Finish")
	}

	cctx, cancel := context.WithCancel(ctx)
	_ = f.Speak(cctx, "nl", "Tot straks")
	cancel()
	for f.Speaking() { // AfterFunc runs in its own goroutine
		time.Sleep(time.Millisecond)
	}
	if err := f.Speak(cctx, "nl", "Te laat"); !errors.Is(err, context.Canceled) {
		t.Errorf("Speak with an ended context = %v", err)
	}

	f.Reset()
	if f.Volume() != speech.DefaultVolume || f.Resets() != 1 || f.Speaking() {
		t.Errorf("after Reset: volume %d, resets %d, speaking %v", f.Volume(), f.Resets(), f.Speaking())
	}
	if n := len(f.Spoken()); n != 5 {
		t.Errorf("%d utterances, want 5", n)
	}
}

func TestFakeEveryVoice(t *testing.T) {
	f := New()
	if !f.Available("ps") || !f.Available("de") {
		t.Error("New() lacks a voice")
	}
	if _, ok := f.Last(); ok {
		t.Error("Last on a new Fake")
	}
}
