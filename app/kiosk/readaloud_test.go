package kiosk_test

import (
	"context"

	"strings"
	"testing"

	"github.com/digitalebalie/balie/app/kiosk"
	"github.com/digitalebalie/balie/app/speech"
	"github.com/digitalebalie/balie/app/speech/speechtest"
)

// Read aloud speaks the screen in the visitor's language, then every new
// screen and its input errors; it stops when the visitor acts, never speaks
// personal data unless asked on that screen, says plainly when there is no
// voice, and is reset for the next visitor.
func TestReadAloud(t *testing.T) {
	voice := speechtest.New("nl", "fr")
	h := newHarness(t, func(c *kiosk.Config) { c.Speech = voice })
	last := func() string {
		t.Helper()
		u, ok := voice.Last()
		if !ok {
			t.Fatal("nothing was spoken")
		}
		if u.Lang != "fr" {
			t.Fatalf("spoken in %s, want fr", u.Lang)
		}
		return u.Text
	}

	h.tap(languageName(t, "fr"))
	if len(voice.Spoken()) != 0 {
		t.Fatal("spoke before the visitor asked")
	}
	h.tap(h.T("fr", "LookRead", nil))
	if got := last(); !strings.Contains(got, h.T("fr", "HomeQuestion", nil)) || !strings.Contains(got, h.T("fr", "HomeBook", nil)) {
		t.Fatalf("home read as %q", got)
	}

	stops := voice.Stops()
	h.tap(h.T("fr", "HomeBook", nil))
	if voice.Stops() <= stops {
		t.Error("speech did not stop when the visitor acted")
	}
	h.run.Flush()
	if got := last(); !strings.Contains(got, h.T("fr", "ThemeQuestion", nil)) {
		t.Fatalf("the next screen was read as %q", got)
	}

	// Input errors are spoken; what was typed is not.
	h.tap(h.serviceName("fr", "energie"))
	h.tap(h.T("fr", "FitContinue", nil))
	h.run.Flush()
	h.tap(h.choices()[0].Title)
	h.tap(h.choices()[0].Title)
	h.fill(0, "Amina El Idrissi")
	h.fill(1, "amina@")
	h.tap(h.T("fr", "ContactContinue", nil))
	if got := last(); !strings.Contains(got, h.T("fr", "FieldInvalidEmail", nil)) || strings.Contains(got, "amina@") {
		t.Fatalf("the refused form was read as %q", got)
	}

	// On the summary, the visitor's own data only on request.
	h.fill(1, "amina@example.be")
	h.tap(h.T("fr", "ContactContinue", nil))
	if got := last(); strings.Contains(got, "Amina") || strings.Contains(got, "amina@example.be") {
		t.Fatalf("personal data read without asking: %q", got)
	}
	h.tap(h.T("fr", "LookReadPersonal", nil))
	if got := last(); !strings.Contains(got, "Amina El Idrissi") {
		t.Fatalf("asked for my details, got %q", got)
	}

	// The next visitor starts silent, at the default volume, and in Pashto
	// (no voice here) is told so instead of hearing another language.
	resets := voice.Resets()
	h.startOver("fr")
	if voice.Resets() <= resets {
		t.Error("speech not reset for the next visitor")
	}
	n := len(voice.Spoken())
	h.tap(languageName(t, "ps"))
	if len(voice.Spoken()) != n {
		t.Fatal("read aloud stayed on for the next visitor")
	}
	h.tap(h.T("ps", "LookRead", nil))
	h.mustShow(h.T("ps", "LookNoVoice", nil))
	if len(voice.Spoken()) != n {
		t.Fatal("Pashto was read in another voice")
	}
}

// The button that reads the visitor's own data, and the headset advice
// beside it, show only once the visitor uses read-aloud: everyone else keeps
// the room.
func TestReadMyDetailsOnlyForReadAloud(t *testing.T) {
	h := newHarness(t, withSpeech)
	h.toContact("nl")
	h.fill(0, "Amina El Idrissi")
	h.fill(1, "amina@example.be")
	h.tap(h.T("nl", "ContactContinue", nil))
	h.mustShow("Amina El Idrissi")
	h.mustNotShow(h.T("nl", "LookReadPersonal", nil))
	h.mustNotShow(h.T("nl", "LookHeadset", nil))
	h.tap(h.T("nl", "LookRead", nil))
	h.mustShow(h.T("nl", "LookReadPersonal", nil))
	h.mustShow(h.T("nl", "LookHeadset", nil))
}

// silentPC is a speaker on a computer without a sound device.
type silentPC struct{ *speechtest.Fake }

func (silentPC) Speak(context.Context, string, string) error { return speech.ErrNoSound }

// On a computer without sound, asking to read aloud says so on screen, in
// the visitor's language, instead of failing silently.
func TestReadAloudWithoutSound(t *testing.T) {
	h := newHarness(t, func(c *kiosk.Config) { c.Speech = silentPC{speechtest.New(speechtest.Debian12...)} })
	h.tap(languageName(t, "uk"))
	h.tap(h.T("uk", "LookRead", nil))
	h.mustShow(h.T("uk", "LookNoSound", nil))
	h.mustNotShow(h.T("uk", "LookNoVoice", nil))
}
