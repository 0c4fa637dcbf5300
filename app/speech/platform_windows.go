package speech

// Windows speaks through SAPI (untested here: see NewSAPI).
func newPlatform(opts Options) (*Engine, error) { return NewSAPI(opts) }

// hasSoundDevice: sound devices here are not checked: SAPI reports none of its own.
func hasSoundDevice() bool { return true }
