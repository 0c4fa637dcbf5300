package speech

// macOS speaks through say (untested here: see NewSay).
func newPlatform(opts Options) (*Engine, error) { return NewSay(opts) }

// hasSoundDevice: sound devices here are not checked.
func hasSoundDevice() bool { return true }
