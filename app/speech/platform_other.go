//go:build !linux && !windows && !darwin

package speech

// Other systems (the BSDs) get espeak-ng when it is installed.
func newPlatform(opts Options) (*Engine, error) { return NewEspeak(opts) }

// hasSoundDevice: sound devices here are not checked.
func hasSoundDevice() bool { return true }
