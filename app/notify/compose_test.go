package notify_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/digitalebalie/balie/app/city"
	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/icsfile"
	"github.com/digitalebalie/balie/app/mail"
	"github.com/digitalebalie/balie/app/notify"
	"github.com/digitalebalie/balie/app/sms"
	"github.com/digitalebalie/balie/i18n"
)

// publicBase is a city's real phone-page address: the SMS must fit with it.
const publicBase = "https://balie.stad.gent/a/"

// composer is a gateway's Composer on the city's catalogue.
func composer(t *testing.T, installation string) notify.Composer {
	t.Helper()
	msgs := city.MustCatalog("gent")
	return notify.Composer{
		Catalog: msgs, Services: city.MustLoad("gent").Services(),
		Installation: installation, Organizer: "Stad Gent <no-reply@stad.gent>",
	}
}

// appointment is a realistic booking at hh:mm in Brussels, in lang, with a
// real 43-character token.
func appointment(lang string, hh, mm int) domain.Appointment {
	token := domain.NewToken()
	start := time.Date(2026, 11, 30, hh, mm, 0, 0, domain.Brussels)
	return domain.Appointment{
		Code: "K7M-4PQ", Token: token, ServiceID: "energie", Language: lang,
		Start: start, End: start.Add(30 * time.Minute),
		Contact:   domain.Contact{Name: "Amina El Idrissi", Email: "amina@example.be", Phone: "+32470123456"},
		JoinURL:   "https://video.stad.gent/j/K7M4PQ?pwd=" + token[:12],
		PhoneURL:  publicBase + token,
		CreatedAt: start.AddDate(0, 0, -7),
	}
}

var reminders = []domain.NoticeKind{domain.NoticeSMSDayBefore, domain.NoticeSMSSoon}

// Two fresh gateways both number their notices from 1: their Message-IDs
// and SMS references differ all the same, and each stays the same when its
// notice is sent again. A Composer without an installation id refuses to
// compose rather than send an id another gateway may also use.
func TestMessageIDsAreUniqueAcrossInstallations(t *testing.T) {
	a := appointment("fr", 10, 30)
	now := a.CreatedAt
	refOK := regexp.MustCompile(`^[A-Za-z0-9-]+$`)
	for _, kind := range []domain.NoticeKind{domain.NoticeConfirmEmail, domain.NoticeCancelEmail, domain.NoticeSMSDayBefore, domain.NoticeSMSSoon} {
		n := domain.Notice{ID: 1, Kind: kind}
		ids := map[string]string{}
		for _, inst := range []string{"k3q9-7hx2-p0aa", "Zr8vQw2mT5bLc1nD", "a_b/c d+long-id-of-an-odd-shape-from-a-store", "k3q9-7hx2-p0ab"} {
			c := composer(t, inst)
			id := func() string {
				if kind.Email() {
					m, err := c.Email(n, a, now)
					if err != nil {
						t.Fatal(err)
					}
					return m.ID
				}
				m, err := c.SMS(n, a)
				if err != nil {
					t.Fatal(err)
				}
				return m.Ref
			}
			first := id()
			if again := id(); again != first {
				t.Errorf("%s on %s: %q then %q for the same notice", kind, inst, first, again)
			}
			if !refOK.MatchString(first) || len(first) > 80 || !strings.HasPrefix(first, "balie-") || !strings.Contains(first, "-"+string(kind)+"-1") {
				t.Errorf("%s on %s: %q is not balie-<installation>-<kind>-<n> in [A-Za-z0-9-], at most 80 long", kind, inst, first)
			}
			if len(first) > sms.MaxRefLen {
				t.Errorf("%q is longer than an SMS reference may be", first)
			}
			if other, ok := ids[first]; ok {
				t.Errorf("%s: installations %q and %q share %q", kind, other, inst, first)
			}
			ids[first] = inst
		}
	}
	c := composer(t, "k3q9-7hx2-p0aa")
	if m, _ := c.Email(domain.Notice{ID: 1, Kind: domain.NoticeConfirmEmail}, a, now); m.ID != "balie-k3q9-7hx2-p0aa-confirm-email-1" {
		t.Errorf("Message-ID left part %q", m.ID)
	}
	if m1, _ := c.SMS(domain.Notice{ID: 1, Kind: domain.NoticeSMSSoon}, a); m1.Ref != "balie-k3q9-7hx2-p0aa-sms-soon-1" {
		t.Errorf("SMS reference %q", m1.Ref)
	}
	if m2, _ := c.SMS(domain.Notice{ID: 2, Kind: domain.NoticeSMSSoon}, a); m2.Ref != "balie-k3q9-7hx2-p0aa-sms-soon-2" {
		t.Errorf("the next notice's reference %q", m2.Ref)
	}
	for _, inst := range []string{"", "  "} {
		c := composer(t, inst)
		if m, err := c.Email(domain.Notice{ID: 1, Kind: domain.NoticeConfirmEmail}, a, now); err == nil {
			t.Errorf("installation %q: composed an e-mail with ID %q", inst, m.ID)
		}
		if m, err := c.SMS(domain.Notice{ID: 1, Kind: domain.NoticeSMSSoon}, a); err == nil {
			t.Errorf("installation %q: composed an SMS with reference %q", inst, m.Ref)
		}
	}
}

// bidiMarks are the invisible direction marks i18n puts around left-to-right
// values in right-to-left messages; a phone's link detector takes them into
// the link.
const bidiMarks = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

// linkAlone fails unless link appears in text exactly once, as a line of
// its own, with no direction mark next to it.
func linkAlone(t *testing.T, what, text, link string) {
	t.Helper()
	if n := strings.Count(text, link); n != 1 {
		t.Errorf("%s: the link is there %d times, want once:\n%q", what, n, text)
		return
	}
	i := strings.Index(text, link)
	before, after := text[:i], text[i+len(link):]
	if strings.ContainsAny(lastRune(before)+firstRune(after), bidiMarks) {
		t.Errorf("%s: a direction mark touches the link:\n%q", what, text)
	}
	alone := false
	for _, line := range strings.Split(text, "\n") {
		alone = alone || line == link
	}
	if !alone {
		t.Errorf("%s: the link is not on a line of its own:\n%q", what, text)
	}
}

func lastRune(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return ""
	}
	return string(r[len(r)-1])
}

func firstRune(s string) string {
	for _, r := range s {
		return string(r)
	}
	return ""
}

// unfold undoes RFC 5545 line folding (CRLF and one space).
func unfold(raw string) string { return strings.ReplaceAll(raw, "\r\n ", "") }

// icsText undoes RFC 5545 TEXT escaping.
var icsText = strings.NewReplacer(`\n`, "\n", `\N`, "\n", `\,`, ",", `\;`, ";", `\\`, `\`)

// property returns the unescaped value of the first line NAME:… or
// NAME;…:… of an unfolded calendar.
func property(unfolded, name string) string {
	for _, line := range strings.Split(unfolded, "\r\n") {
		if strings.HasPrefix(line, name+":") || strings.HasPrefix(line, name+";") {
			return icsText.Replace(line[strings.Index(line, ":")+1:])
		}
	}
	return ""
}

// In every language the SMS and the calendar file carry their link on a
// line of its own, with no direction mark around it: in Arabic, Dari and
// Pashto a link inside a message was wrapped in U+2066…U+2069, and a
// tapped link ended in %E2%81%A9.
func TestLinksStandAloneWithoutDirectionMarks(t *testing.T) {
	c := composer(t, "k3q9-7hx2-p0aa")
	for _, l := range i18n.Offered {
		a := appointment(l.Tag, 10, 30)
		for _, kind := range reminders {
			m, err := c.SMS(domain.Notice{ID: 7, Kind: kind}, a)
			if err != nil {
				t.Fatal(err)
			}
			linkAlone(t, l.Tag+" "+string(kind), m.Text, a.PhoneURL)
		}
		m, err := c.Email(domain.Notice{ID: 8, Kind: domain.NoticeConfirmEmail}, a, a.CreatedAt)
		if err != nil {
			t.Fatal(err)
		}
		raw := unfold(string(m.Attachments[0].Data))
		linkAlone(t, l.Tag+" .ics DESCRIPTION", property(raw, "DESCRIPTION"), a.JoinURL)
		for _, mark := range bidiMarks {
			for _, around := range []string{string(mark) + a.JoinURL, a.JoinURL + string(mark)} {
				if strings.Contains(raw, around) {
					t.Errorf("%s .ics: a direction mark touches the link", l.Tag)
				}
			}
		}
	}
}

// The cancellation e-mail carries a calendar file that takes the event out
// of the visitor's calendar: METHOD:CANCEL, the confirmation's UID, a
// higher SEQUENCE, STATUS:CANCELLED and the same ORGANIZER (RFC 5546).
func TestCancellationEmailCancelsTheEvent(t *testing.T) {
	c := composer(t, "k3q9-7hx2-p0aa")
	a := appointment("ar", 10, 30)
	confirm, err := c.Email(domain.Notice{ID: 1, Kind: domain.NoticeConfirmEmail}, a, a.CreatedAt)
	if err != nil {
		t.Fatal(err)
	}
	a.Cancelled = true
	cancel, err := c.Email(domain.Notice{ID: 2, Kind: domain.NoticeCancelEmail}, a, a.CreatedAt.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		msg    mail.Message
		ctype  string
		method string
		seq    string
		status string
		alarms int
	}{
		{"confirmation", confirm, "text/calendar; method=PUBLISH; charset=utf-8", "PUBLISH", "0", "CONFIRMED", 1},
		{"cancellation", cancel, "text/calendar; method=CANCEL; charset=utf-8", "CANCEL", "1", "CANCELLED", 0},
	}
	var uids []string
	for _, tt := range tests {
		if len(tt.msg.Attachments) != 1 {
			t.Fatalf("%s: %d attachments", tt.name, len(tt.msg.Attachments))
		}
		att := tt.msg.Attachments[0]
		if att.ContentType != tt.ctype || att.Name != "afspraak-K7M-4PQ.ics" {
			t.Errorf("%s: attachment %q, %q", tt.name, att.Name, att.ContentType)
		}
		cal, err := ics.ParseCalendar(strings.NewReader(string(att.Data)))
		if err != nil || len(cal.Events()) != 1 {
			t.Fatalf("%s: %v", tt.name, err)
		}
		raw := unfold(string(att.Data))
		e := cal.Events()[0]
		get := func(p ics.ComponentProperty) string {
			if v := e.GetProperty(p); v != nil {
				return v.Value
			}
			return ""
		}
		if got := property(raw, "METHOD"); got != tt.method {
			t.Errorf("%s: METHOD %q", tt.name, got)
		}
		if got := get(ics.ComponentPropertySequence); got != tt.seq {
			t.Errorf("%s: SEQUENCE %q, want %s", tt.name, got, tt.seq)
		}
		if got := get(ics.ComponentPropertyStatus); got != tt.status {
			t.Errorf("%s: STATUS %q", tt.name, got)
		}
		if !strings.Contains(raw, "\r\nORGANIZER;CN=Stad Gent:mailto:no-reply@stad.gent\r\n") {
			t.Errorf("%s: no ORGANIZER from the mail From:\n%s", tt.name, raw)
		}
		if n := len(e.Alarms()); n != tt.alarms {
			t.Errorf("%s: %d alarms, want %d", tt.name, n, tt.alarms)
		}
		uids = append(uids, e.Id())
	}
	if uids[0] != icsfile.EventUID(a.Token) || uids[1] != uids[0] {
		t.Errorf("UIDs %q, want both %q", uids, icsfile.EventUID(a.Token))
	}
}

// The event's title is Dutch first, then the visitor's language; Dutch
// alone for a Dutch visitor.
func TestCalendarTitleIsDutchFirst(t *testing.T) {
	c := composer(t, "k3q9-7hx2-p0aa")
	for lang, want := range map[string]string{
		"fr": "Video-afspraak: Energiecentrale / Rendez-vous vidéo\u00a0: " + city.MustLoad("gent").Services()[0].Name["fr"],
		"nl": "Video-afspraak: Energiecentrale",
	} {
		a := appointment(lang, 10, 30)
		m, err := c.Email(domain.Notice{ID: 1, Kind: domain.NoticeConfirmEmail}, a, a.CreatedAt)
		if err != nil {
			t.Fatal(err)
		}
		if got := property(unfold(string(m.Attachments[0].Data)), "SUMMARY"); got != want {
			t.Errorf("%s: SUMMARY %q, want %q", lang, got, want)
		}
	}
}

// A moved appointment's e-mail gives the new time in its subject and a
// calendar file with the same UID and a higher SEQUENCE, so the visitor's
// calendar moves the event instead of adding a second one.
func TestMovedEmailMovesTheEvent(t *testing.T) {
	c := composer(t, "k3q9-7hx2-p0aa")
	a := appointment("tr", 10, 30)
	a.Start, a.End = a.Start.Add(24*time.Hour), a.End.Add(24*time.Hour)
	a.Sequence, a.Changed = 1, a.CreatedAt.Add(time.Hour)
	msg, err := c.Email(domain.Notice{ID: 3, Kind: domain.NoticeMovedEmail}, a, a.Changed)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msg.Subject, "verplaatst") || !strings.Contains(msg.Subject, "1 december 2026") {
		t.Errorf("subject %q", msg.Subject)
	}
	if !strings.Contains(msg.Text, "Uw video-afspraak is verplaatst.") || !strings.Contains(msg.Text, "Görüntülü randevunuzun saati değişti.") {
		t.Errorf("the text does not say it moved, in Dutch and Turkish:\n%s", msg.Text)
	}
	cal, err := ics.ParseCalendar(strings.NewReader(string(msg.Attachments[0].Data)))
	if err != nil {
		t.Fatal(err)
	}
	e := cal.Events()[0]
	if e.Id() != icsfile.EventUID(a.Token) || e.GetProperty(ics.ComponentPropertySequence).Value != "1" {
		t.Errorf("UID %s SEQUENCE %s: want the booking's UID and 1", e.Id(), e.GetProperty(ics.ComponentPropertySequence).Value)
	}
	if start, _ := e.GetStartAt(); !start.Equal(a.Start) {
		t.Errorf("the event starts at %v, want the new %v", start, a.Start)
	}
}
