package speech

// Linux speaks through espeak-ng (Debian package espeak-ng).
func newPlatform(opts Options) (*Engine, error) { return NewEspeak(opts) }
