package speech

import (
	"context"
	"testing"
	"time"
)

// SAPI itself, on a real Windows PC: the voices it lists and a sentence
// spoken to a WAV file in each language that has one, loud enough and of a
// plausible length; then a sentence cut off by Stop. It runs only where
// Windows runs (`go test ./app/speech` on the PC); CI is Linux, where
// TestSAPIScript checks the script instead.
func TestSAPISpeaksOnWindows(t *testing.T) {
	e, err := NewSAPI(Options{})
	if err != nil {
		t.Fatal(err)
	}
	voices := e.Voices()
	t.Logf("SAPI voices: %v", voices)
	if !e.Available("en") && !e.Available("nl") {
		t.Fatal("neither an English nor a Dutch SAPI voice: every Windows 10/11 has an English one")
	}
	speakEachSample(t, e, func(t *testing.T, lang, _, _ string, st wavStats) {
		t.Logf("%-5s %5.2f s  RMS %.3f  peak %.3f", lang, st.Duration.Seconds(), st.RMS, st.Peak)
		if st.Duration < 2*time.Second || st.Duration > 10*time.Second {
			t.Errorf("duration %v, want 2-10 s", st.Duration)
		}
		if st.RMS < 0.02 {
			t.Errorf("RMS %.4f: silent", st.RMS)
		}
	})
	// Speaking aloud returns once Stop cuts it off, well before its end.
	lang := "en"
	if !e.Available(lang) {
		lang = "nl"
	}
	var text string
	for _, s := range samples {
		if s.lang == lang {
			text = s.text + " " + s.text
		}
	}
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- e.Speak(context.Background(), lang, text) }()
	time.Sleep(time.Second)
	e.Stop()
	select {
	case <-done:
		t.Logf("stopped after %v", time.Since(start))
	case <-time.After(5 * time.Second):
		t.Fatal("Stop did not end the speech within 5 s")
	}
}
