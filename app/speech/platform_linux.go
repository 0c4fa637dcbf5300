package speech

// Linux speaks through espeak-ng (Debian package espeak-ng).
func newPlatform(opts Options) (*Engine, error) { return NewEspeak(opts) }

// hasSoundDevice tells whether ALSA knows a sound card: without one (a PC
// without audio, a container) espeak-ng has nowhere to speak.
func hasSoundDevice() bool { return soundCards("/proc/asound/cards") }
