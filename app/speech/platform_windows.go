package speech

// Windows speaks through SAPI (see NewSAPI and TestSAPISpeaksOnWindows).
func newPlatform(opts Options) (*Engine, error) { return NewSAPI(opts) }

// hasSoundDevice: sound devices here are not checked: SAPI reports none of its own.
func hasSoundDevice() bool { return true }
