package notify_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/sms"
	"github.com/digitalebalie/balie/i18n"
)

// Every reminder fits in two SMS in every language, counted as a phone
// does (sms.CountSegments), with the city's real address and a real token:
// the Dutch line first, a short line in the visitor's language (none for a
// Dutch visitor), and the link once, on its own line. Run with -v for the
// table.
func TestSMSFitsTwoParts(t *testing.T) {
	c := composer(t, "k3q9-7hx2-p0aa")
	messageOf := map[domain.NoticeKind]string{domain.NoticeSMSDayBefore: "SmsReminderDay", domain.NoticeSMSSoon: "SmsReminderSoon"}
	var table strings.Builder
	fmt.Fprintf(&table, "\n%-6s %-22s %s\n", "lang", "day before", "soon")
	for _, l := range i18n.Offered {
		var cells []string
		// 10:30 for the table; 16:45 too, which reads "pm" or "م" in
		// some languages.
		for _, at := range [][2]int{{10, 30}, {16, 45}} {
			a := appointment(l.Tag, at[0], at[1])
			for _, kind := range reminders {
				m, err := c.SMS(domain.Notice{ID: 123456, Kind: kind}, a)
				if err != nil {
					t.Fatal(err)
				}
				s := sms.CountSegments(m.Text)
				if s.Parts > 2 {
					t.Errorf("%s %s at %02d:%02d: %d SMS (%s, %d units), want at most 2:\n%s", l.Tag, kind, at[0], at[1], s.Parts, s.Encoding, s.Units, m.Text)
				}
				want := []string{c.Catalog.T(i18n.Reference, messageOf[kind], map[string]any{"Time": c.Catalog.Time(i18n.Reference, a.Start, domain.Brussels)})}
				if l.Tag != i18n.Reference {
					want = append(want, c.Catalog.T(l.Tag, messageOf[kind], map[string]any{"Time": c.Catalog.Time(l.Tag, a.Start, domain.Brussels)}))
				}
				want = append(want, a.PhoneURL)
				if m.Text != strings.Join(want, "\n") {
					t.Errorf("%s %s: want the Dutch line, the visitor's, then the link:\n%s", l.Tag, kind, m.Text)
				}
				if at[0] == 10 {
					cells = append(cells, fmt.Sprintf("%d (%s, %d)", s.Parts, s.Encoding, s.Units))
				}
			}
		}
		fmt.Fprintf(&table, "%-6s %-22s %s\n", l.Tag, cells[0], cells[1])
	}
	t.Logf("SMS parts (encoding, units) with %s + a 43-character token, at 10:30:%s", publicBase, table.String())
}
