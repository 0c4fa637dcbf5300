// Package catalog is Ghent's list of video-counter themes, with every text
// taken from the message files in every offered language. It imports the
// domain and the i18n package, never Fyne or HTTP.
package catalog

import (
	"time"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/i18n"
)

// entry describes one theme; its texts live in the message files under
// "Service<Key>Name", "...Summary", "...Prepare1..n" and "...InPerson".
type entry struct {
	id       string
	key      string
	icon     string
	minutes  int
	byVideo  bool
	prepares int
}

// ghent lists the eight video themes of the two waves and Burgerzaken, which
// must stay at the physical counter.
var ghent = []entry{
	{"energie", "Energie", "energy", 45, true, 2},
	{"woonwijzer", "Woonwijzer", "housing", 30, true, 2},
	{"verhuurderspunt", "Verhuurderspunt", "landlord", 30, true, 2},
	{"mobiliteit", "Mobiliteit", "mobility", 30, true, 2},
	{"oog", "Oog", "business", 60, true, 2},
	{"stedenbouw", "Stedenbouw", "building", 45, true, 2},
	{"milieu", "Milieu", "climate", 30, true, 2},
	{"gas", "Gas", "fine", 30, true, 1},
	{"burgerzaken", "Burgerzaken", "idcard", 0, false, 0},
}

// Ghent returns the catalogue. helpPhone is Gentinfo's number, quoted in the
// guidance for themes that need the physical counter.
func Ghent(msgs *i18n.Catalog, helpPhone string) []domain.Service {
	services := make([]domain.Service, 0, len(ghent))
	for _, e := range ghent {
		s := domain.Service{
			ID:       e.id,
			Icon:     e.icon,
			Name:     texts(msgs, "Service"+e.key+"Name", nil),
			Summary:  texts(msgs, "Service"+e.key+"Summary", nil),
			Duration: time.Duration(e.minutes) * time.Minute,
			ByVideo:  e.byVideo,
		}
		for i := 1; i <= e.prepares; i++ {
			s.Prepare = append(s.Prepare, texts(msgs, "Service"+e.key+"Prepare"+string(rune('0'+i)), nil))
		}
		if !e.byVideo {
			s.InPerson = texts(msgs, "Service"+e.key+"InPerson", map[string]any{"Phone": helpPhone})
		}
		services = append(services, s)
	}
	return services
}

// texts is a message in every offered language. In a right-to-left
// language each value (a phone number) keeps its order: without an isolate
// "09 210 10 10" would read "10 10 210 09".
func texts(msgs *i18n.Catalog, id string, data map[string]any) domain.Text {
	t := domain.Text{}
	for _, l := range i18n.Offered {
		d := data
		if l.RTL && data != nil {
			d = make(map[string]any, len(data))
			for k, v := range data {
				if s, ok := v.(string); ok {
					v = i18n.Isolate(s)
				}
				d[k] = v
			}
		}
		t[l.Tag] = msgs.T(l.Tag, id, d)
	}
	return t
}
