package speech

// Decided reports whether the voice table has a line for lang: someone
// decided which voices may read it, possibly none.
func Decided(lang string) bool { return languageKey(lang) != "" }
