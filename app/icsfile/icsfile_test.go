package icsfile

import (
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/digitalebalie/balie/app/city"
	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/i18n"
)

var msgs = city.MustCatalog("gent")

var energie = domain.Service{ID: "energie", Name: domain.Text{"nl": "Energiecentrale", "fr": "Centrale de l'énergie", "ar": "مركز الطاقة"}}

func appointment(lang string) domain.Appointment {
	start := time.Date(2026, 11, 30, 10, 30, 0, 0, domain.Brussels)
	return domain.Appointment{
		Code: "K7M-4PQ", Token: "fR0sNqMNjncN-LfbkFXKYv3fmyZjZNrrwrCwcN8P5ys", ServiceID: "energie", Language: lang,
		Start: start, End: start.Add(30 * time.Minute), JoinURL: "https://video.stad.gent/j/K7M4PQ?pwd=a,b;c",
		CreatedAt: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC),
	}
}

// unfold undoes RFC 5545 line folding; lines holds the unfolded lines.
func lines(raw string) []string {
	return strings.Split(strings.ReplaceAll(raw, "\r\n ", ""), "\r\n")
}

func property(raw, name string) (string, bool) {
	for _, l := range lines(raw) {
		if strings.HasPrefix(l, name+":") || strings.HasPrefix(l, name+";") {
			return l, true
		}
	}
	return "", false
}

func parse(t *testing.T, raw []byte) *ics.VEvent {
	t.Helper()
	cal, err := ics.ParseCalendar(strings.NewReader(string(raw)))
	if err != nil || len(cal.Events()) != 1 {
		t.Fatalf("%v:\n%s", err, raw)
	}
	return cal.Events()[0]
}

// A standing appointment is published; once cancelled, the same event
// (UID) comes back as a newer version (SEQUENCE) that cancels it, with no
// reminder left to ring.
func TestBuildPublishesThenCancels(t *testing.T) {
	a := appointment("fr")
	now := time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)
	texts := NewTexts(msgs, "fr", a, energie)
	tests := []struct {
		cancelled                         bool
		method, seq, status, stamp, ctype string
		alarms                            int
	}{
		{false, "PUBLISH", "0", "CONFIRMED", "20261123T090000Z", "text/calendar; method=PUBLISH; charset=utf-8", 1},
		{true, "CANCEL", "1", "CANCELLED", "20261125T140000Z", "text/calendar; method=CANCEL; charset=utf-8", 0},
	}
	for _, tt := range tests {
		a.Cancelled = tt.cancelled
		raw := Build(a, texts, now)
		for _, want := range []string{"METHOD:" + tt.method, "SEQUENCE:" + tt.seq, "STATUS:" + tt.status, "DTSTAMP:" + tt.stamp, "UID:" + EventUID(a.Token)} {
			if !strings.Contains(string(raw), "\r\n"+want+"\r\n") {
				t.Errorf("cancelled %v: no %s in\n%s", tt.cancelled, want, raw)
			}
		}
		if got := Method(a); got != tt.method {
			t.Errorf("Method %q", got)
		}
		if got := ContentType(a); got != tt.ctype {
			t.Errorf("ContentType %q", got)
		}
		e := parse(t, raw)
		if len(e.Alarms()) != tt.alarms {
			t.Errorf("cancelled %v: %d alarms", tt.cancelled, len(e.Alarms()))
		}
		if strings.Contains(string(raw), a.Token) {
			t.Error("the file holds the token")
		}
		for _, l := range strings.Split(string(raw), "\r\n") {
			if len(l) > 75 {
				t.Errorf("line of %d octets: %q", len(l), l)
			}
		}
	}
}

// The ORGANIZER is the mail From, so a calendar takes the cancellation
// from the event's own organiser; a name with characters the library would
// escape wrongly loses them, and what is no address is left out.
func TestOrganizer(t *testing.T) {
	tests := []struct{ from, want string }{
		{"Stad Gent <no-reply@stad.gent>", "ORGANIZER;CN=Stad Gent:mailto:no-reply@stad.gent"},
		{"no-reply@stad.gent", "ORGANIZER:mailto:no-reply@stad.gent"},
		{`"Stad Gent; Dienst: Wonen, Energie" <wonen@stad.gent>`, "ORGANIZER;CN=Stad Gent Dienst Wonen Energie:mailto:wonen@stad.gent"},
		{"", ""},
		{"not an address", ""},
	}
	for _, tt := range tests {
		raw := string(Build(appointment("nl"), Texts{Summary: "x", Organizer: tt.from}, time.Now()))
		got, _ := property(raw, "ORGANIZER")
		if got != tt.want {
			t.Errorf("%q: %q, want %q", tt.from, got, tt.want)
		}
		parse(t, []byte(raw))
	}
}

// The title and the description are Dutch first, then the visitor's
// language; the join link comes once, last, on a line of its own.
func TestNewTexts(t *testing.T) {
	a := appointment("fr")
	fr := NewTexts(msgs, "fr", a, energie)
	if want := "Video-afspraak: Energiecentrale / Rendez-vous vidéo\u00a0: Centrale de l'énergie"; fr.Summary != want {
		t.Errorf("Summary %q, want %q", fr.Summary, want)
	}
	wantDesc := msgs.T("nl", "PhoneCalendarDescription", map[string]any{"Code": a.Code}) + "\n\n" +
		msgs.T("fr", "PhoneCalendarDescription", map[string]any{"Code": a.Code}) + "\n\n" + a.JoinURL
	if fr.Description != wantDesc {
		t.Errorf("Description %q, want %q", fr.Description, wantDesc)
	}
	if want := msgs.N("fr", "PhoneCalendarAlarm", 15, nil); fr.Alarm != want {
		t.Errorf("Alarm %q", fr.Alarm)
	}
	nl := NewTexts(msgs, "nl", appointment("nl"), energie)
	if nl.Summary != "Video-afspraak: Energiecentrale" || strings.Count(nl.Description, "\n\n") != 1 {
		t.Errorf("Dutch: %+v", nl)
	}
	for _, l := range i18n.Offered {
		d := NewTexts(msgs, l.Tag, appointment(l.Tag), energie).Description
		parts := strings.Split(d, "\n")
		if strings.Count(d, a.JoinURL) != 1 || parts[len(parts)-1] != a.JoinURL || parts[len(parts)-2] != "" {
			t.Errorf("%s: the link is not alone on the last line:\n%q", l.Tag, d)
		}
		// The file escapes , and ; in the link; unfolded and unescaped it
		// is the link, whole.
		raw := string(Build(appointment(l.Tag), NewTexts(msgs, l.Tag, appointment(l.Tag), energie), time.Now()))
		desc, _ := property(raw, "DESCRIPTION")
		if !strings.HasSuffix(desc, `\n\nhttps://video.stad.gent/j/K7M4PQ?pwd=a\,b\;c`) {
			t.Errorf("%s: DESCRIPTION %q", l.Tag, desc)
		}
	}
}
