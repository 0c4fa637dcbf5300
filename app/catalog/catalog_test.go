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
