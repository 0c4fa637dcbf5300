package stats

import "github.com/digitalebalie/balie/app/domain"

// Labels gives the Dutch names the charts show. A nil func shows the key.
type Labels struct {
	Outcome  func(domain.VisitOutcome) string // nil: OutcomeName
	Theme    func(id string) string           // service id to its title
	Language func(tag string) string          // language tag to its name
	Screen   func(screen string) string       // screen id to its Dutch name
}

// outcomeNames are the staff's words for how a visit ended.
var outcomeNames = map[domain.VisitOutcome]string{
	domain.VisitBooked:    "Afspraak gemaakt",
	domain.VisitJoined:    "Gesprek gestart",
	domain.VisitHelp:      "Hulp gevraagd",
	domain.VisitAbandoned: "Gestopt",
	domain.VisitTimedOut:  "Tijd verstreken",
}

// OutcomeName is the Dutch name of an outcome, or the outcome itself when
// unknown.
func OutcomeName(o domain.VisitOutcome) string {
	if s, ok := outcomeNames[o]; ok {
		return s
	}
	return string(o)
}

func (l Labels) outcome(o domain.VisitOutcome) string {
	if l.Outcome != nil {
		if s := l.Outcome(o); s != "" {
			return s
		}
	}
	return OutcomeName(o)
}

// label names key with f, falling back to the key, and to "(geen)" for the
// empty key (a visit without a theme, say) so no bar goes unnamed.
func label(f func(string) string, key string) string {
	if f != nil {
		if s := f(key); s != "" {
			return s
		}
	}
	if key == "" {
		return "(geen)"
	}
	return key
}
