package speech

// Windows speaks through SAPI (untested here: see NewSAPI).
func newPlatform(opts Options) (*Engine, error) { return NewSAPI(opts) }
