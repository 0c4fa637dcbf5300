package catalog

import (
	"strings"
	"testing"

	"github.com/digitalebalie/balie/i18n"
)

func TestGhentCatalogue(t *testing.T) {
	msgs := i18n.MustLoad()
	services := Ghent(msgs, "09 210 10 10")
	if len(services) != 9 {
		t.Fatalf("%d services, want the 8 video themes and Burgerzaken", len(services))
	}
	byVideo := 0
	for _, s := range services {
		for _, l := range i18n.Offered {
			if s.Name.In(l.Tag) == "" || s.Summary.In(l.Tag) == "" {
				t.Errorf("%s has no name or summary in %s", s.ID, l.Tag)
			}
		}
		if s.ByVideo {
			byVideo++
			if s.Duration <= 0 || len(s.Prepare) == 0 {
				t.Errorf("%s: duration %v, %d things to prepare", s.ID, s.Duration, len(s.Prepare))
			}
			continue
		}
		if !strings.Contains(s.InPerson.In("nl"), "09 210 10 10") || !strings.Contains(s.InPerson.In("nl"), "loket") {
			t.Errorf("%s guidance does not say how to book the counter: %q", s.ID, s.InPerson.In("nl"))
		}
	}
	if byVideo != 8 {
		t.Errorf("%d themes by video, want 8", byVideo)
	}
	if m := msgs.Missing(); len(m) > 0 {
		t.Errorf("missing messages: %v", m)
	}
}

// Every language names a theme the way the city's signs and letters do:
// the Dutch name first, then, outside Dutch, what it is about in the
// visitor's words, in brackets. A visitor who hears "Woonwijzer" at the
// counter finds it on the screen.
func TestThemeNamesStartWithTheirDutchName(t *testing.T) {
	msgs := i18n.MustLoad()
	dutch := map[string]string{ // the name on the city's signs
		"energie": "Energiecentrale", "woonwijzer": "Woonwijzer", "verhuurderspunt": "Verhuurderspunt",
		"mobiliteit": "Mobiliteitsbedrijf", "oog": "OOG", "stedenbouw": "Stedenbouw",
		"milieu": "Milieu & Klimaat", "gas": "GAS-boete", "burgerzaken": "Burgerzaken",
	}
	for _, s := range Ghent(msgs, "09 210 10 10") {
		sign, ok := dutch[s.ID]
		if !ok {
			t.Errorf("theme %s has no Dutch name in this test", s.ID)
			continue
		}
		for _, l := range i18n.Offered {
			name := s.Name.In(l.Tag)
			if l.Tag == i18n.Reference {
				if !strings.Contains(name, sign) {
					t.Errorf("%s in Dutch is %q, without %q", s.ID, name, sign)
				}
				continue
			}
			if !strings.HasPrefix(name, sign+" (") || !strings.HasSuffix(name, ")") {
				t.Errorf("%s in %s is %q, want %q followed by what it is about in brackets", s.ID, l.Tag, name, sign)
			}
		}
	}
}
