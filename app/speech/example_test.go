package speech_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/digitalebalie/balie/app/speech"
	"github.com/digitalebalie/balie/app/speech/speechtest"
)

// A screen reads its own text, and the visitor's details only when asked.
func ExampleScript() {
	var s speech.Script
	s.Add("Uw afspraak is bevestigd").
		AddPersonal("Jan Peeters").
		Add("Dinsdag 14 mei om 10 uur.")

	fmt.Println(s.Text(false))
	fmt.Println("--")
	fmt.Println(s.Text(true))
	// Output:
	// Uw afspraak is bevestigd.
	// Dinsdag 14 mei om 10 uur.
	// --
	// Uw afspraak is bevestigd.
	// Jan Peeters.
	// Dinsdag 14 mei om 10 uur.
}

// The kiosk asks before offering read-aloud, and says so plainly when a
// language has no voice.
func ExampleSpeaker() {
	var sp speech.Speaker = speechtest.New(speechtest.Debian12...) // speech.New(speech.Options{}) in the kiosk
	ctx := context.Background()
	for _, lang := range []string{"nl", "ps"} {
		err := sp.Speak(ctx, lang, "…")
		switch {
		case errors.Is(err, speech.ErrNoVoice):
			fmt.Println(lang, "no voice: show the message instead")
		case err != nil:
			fmt.Println(lang, "read-aloud failed")
		default:
			fmt.Println(lang, "speaking")
		}
	}
	sp.Reset() // end of the visitor's session: silence, default volume
	// Output:
	// nl speaking
	// ps no voice: show the message instead
}
