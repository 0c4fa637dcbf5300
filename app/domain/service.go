package domain

import "time"

// Text is one piece of visitor-facing text in every language it exists in,
// keyed by BCP 47 tag ("nl", "fr", "en").
type Text map[string]string

// In returns the text in lang, falling back to Dutch, the city's reference
// language.
func (t Text) In(lang string) string {
	if s, ok := t[lang]; ok && s != "" {
		return s
	}
	return t[ReferenceLanguage]
}

// ReferenceLanguage is the city's official language (Flemish language law).
const ReferenceLanguage = "nl"

// Service is one theme a visitor can book with a city counter.
type Service struct {
	ID       string
	Icon     string // name of an icon in assets/icons, without extension
	Name     Text
	Summary  Text // one plain sentence: what this counter helps with
	Duration time.Duration

	// ByVideo tells whether this question can be handled in a video call.
	ByVideo bool
	// Prepare lists what to have ready, one plain sentence per item.
	Prepare []Text
	// InPerson explains, for services that are not available by video, why the
	// visitor must come to a physical counter and how to book that.
	InPerson Text
}

// FindService returns the service with id from list.
func FindService(list []Service, id string) (Service, bool) {
	for _, s := range list {
		if s.ID == id {
			return s, true
		}
	}
	return Service{}, false
}
