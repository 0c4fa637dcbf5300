package feed

import (
	"bytes"
	"encoding/base64"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/icsfile"
)

var update = flag.Bool("update", false, "rewrite testdata/feed.ics")

var (
	start = time.Date(2026, 11, 30, 10, 30, 0, 0, domain.Brussels) // 09:30 UTC
	now   = time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)
	// contact is what a visitor typed at the kiosk: none of it may reach
	// the feed.
	contact = domain.Contact{Name: "Fatima El Amrani", Email: "fatima.elamrani@example.be", Phone: "+32470123456"}
)

// appointment is a booking with contact details, as the store keeps it.
func appointment(code, token string, at time.Time) domain.Appointment {
	return domain.Appointment{
		Code: code, Token: token, ServiceID: "energie", Language: "ar",
		Start: at, End: at.Add(30 * time.Minute), Contact: contact,
		JoinURL:   "https://video.stad.gent/j/" + strings.ReplaceAll(code, "-", "") + "?pwd=a,b;c",
		CreatedAt: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC),
	}
}

func write(t *testing.T, name string, items ...Item) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, name, items, now); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// unfold undoes RFC 5545 line folding.
func unfold(raw string) []string {
	return strings.Split(strings.ReplaceAll(raw, "\r\n ", ""), "\r\n")
}

// properties returns the unfolded lines of the events' property name, in
// order, as written (still escaped).
func properties(raw, name string) []string {
	var out []string
	for _, l := range unfold(raw) {
		if strings.HasPrefix(l, name+":") || strings.HasPrefix(l, name+";") {
			out = append(out, l)
		}
	}
	return out
}

func parse(t *testing.T, raw string) *ics.Calendar {
	t.Helper()
	cal, err := ics.ParseCalendar(strings.NewReader(raw))
	if err != nil {
		t.Fatalf("%v:\n%s", err, raw)
	}
	return cal
}

func value(e *ics.VEvent, p ics.ComponentProperty) string {
	if prop := e.GetProperty(p); prop != nil {
		return prop.Value
	}
	return ""
}

// Every item is one event with the visitor's UID, its times in UTC, a
// Dutch title, and a status; a cancelled one stays, cancelled.
func TestWriteOneEventPerItem(t *testing.T) {
	plain := FromAppointment(appointment("K7M-4PQ", "tok-plain", start), "Energiecentrale", "Arabisch", "")
	tolk := appointment("W9X-3AC", "tok-tolk", start.Add(time.Hour))
	tolk.Interpreter = true
	cancelled := appointment("HJN-7RT", "tok-cancelled", start.Add(-24*time.Hour))
	cancelled.Cancelled = true
	moved := FromAppointment(appointment("QRT-4MX", "tok-moved", start.Add(48*time.Hour)), "Wonen", "Arabisch", "")
	moved.Sequence, moved.Updated = 2, now

	tests := []struct {
		name                     string
		item                     Item
		summary, status, seq     string
		dtstart, dtend, modified string
	}{
		{"standing", plain,
			"Video-afspraak Energiecentrale – K7M-4PQ", "CONFIRMED", "0",
			"20261130T093000Z", "20261130T100000Z", "20261123T090000Z"},
		{"interpreter", FromAppointment(tolk, "Energiecentrale", "Arabisch", "Arabisch"),
			"Video-afspraak Energiecentrale – W9X-3AC – tolk Arabisch", "CONFIRMED", "0",
			"20261130T103000Z", "20261130T110000Z", "20261123T090000Z"},
		{"cancelled", FromAppointment(cancelled, "Energiecentrale", "Arabisch", ""),
			"Video-afspraak Energiecentrale – HJN-7RT", "CANCELLED", "1",
			"20261129T093000Z", "20261129T100000Z", "20261123T090000Z"},
		{"moved", moved,
			"Video-afspraak Wonen – QRT-4MX", "CONFIRMED", "2",
			"20261202T093000Z", "20261202T100000Z", "20261125T140000Z"},
	}
	var items []Item
	for _, tt := range tests {
		items = append(items, tt.item)
	}
	raw := write(t, "Digitale Balie – Energiecentrale", items...)
	events := parse(t, raw).Events()
	if len(events) != len(tests) {
		t.Fatalf("%d events for %d items:\n%s", len(events), len(tests), raw)
	}
	byUID := map[string]*ics.VEvent{}
	for _, e := range events {
		byUID[e.Id()] = e
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := byUID[icsfile.EventUID(tt.item.Token)]
			if e == nil {
				t.Fatalf("no event with UID %s", icsfile.EventUID(tt.item.Token))
			}
			for p, want := range map[ics.ComponentProperty]string{
				ics.ComponentPropertySummary:      tt.summary,
				ics.ComponentPropertyStatus:       tt.status,
				ics.ComponentPropertySequence:     tt.seq,
				ics.ComponentPropertyDtStart:      tt.dtstart,
				ics.ComponentPropertyDtEnd:        tt.dtend,
				ics.ComponentPropertyDtstamp:      tt.modified,
				ics.ComponentPropertyLastModified: tt.modified,
				ics.ComponentPropertyUrl:          tt.item.JoinURL,
				ics.ComponentPropertyLocation:     tt.item.JoinURL,
			} {
				if got := value(e, p); got != want {
					t.Errorf("%s = %q, want %q", p, got, want)
				}
			}
			if got, err := e.GetStartAt(); err != nil || !got.Equal(tt.item.Start) {
				t.Errorf("start %v (%v), want %v", got, err, tt.item.Start)
			}
			if got, err := e.GetEndAt(); err != nil || !got.Equal(tt.item.End) {
				t.Errorf("end %v (%v), want %v", got, err, tt.item.End)
			}
		})
	}
	// In start order, so the file reads like a diary.
	if starts := properties(raw, "DTSTART"); !slices.IsSorted(starts) {
		t.Errorf("events not in start order: %v", starts)
	}
}

func TestCalendarProperties(t *testing.T) {
	raw := write(t, "Digitale Balie – Energiecentrale")
	for _, want := range []string{
		"BEGIN:VCALENDAR", "VERSION:2.0", "METHOD:PUBLISH",
		"X-WR-CALNAME:Digitale Balie – Energiecentrale",
		"REFRESH-INTERVAL;VALUE=DURATION:PT5M", "X-PUBLISHED-TTL:PT5M",
	} {
		if !slices.Contains(unfold(raw), want) {
			t.Errorf("no %s in\n%s", want, raw)
		}
	}
	cal := parse(t, raw)
	if len(cal.Events()) != 0 {
		t.Errorf("an empty feed has %d events", len(cal.Events()))
	}
}

// The visitor's file and the feed hold one event, not two: the same UID,
// and never the token it is made from.
func TestSameUIDAsVisitorFile(t *testing.T) {
	a := appointment("K7M-4PQ", "fR0sNqMNjncN-LfbkFXKYv3fmyZjZNrrwrCwcN8P5ys", start)
	visitor := parse(t, string(icsfile.Build(a, icsfile.Texts{Summary: "x"}, now))).Events()[0].Id()
	raw := write(t, "x", FromAppointment(a, "Energiecentrale", "Arabisch", ""))
	if got := parse(t, raw).Events()[0].Id(); got != visitor {
		t.Errorf("feed UID %q, visitor's file %q", got, visitor)
	}
	// Moved to another day, it is still that event.
	a.Start, a.End = a.Start.AddDate(0, 0, 3), a.End.AddDate(0, 0, 3)
	raw = write(t, "x", FromAppointment(a, "Energiecentrale", "Arabisch", ""))
	if got := parse(t, raw).Events()[0].Id(); got != visitor {
		t.Errorf("moved: UID %q, want %q", got, visitor)
	}
	if strings.Contains(raw, a.Token) {
		t.Error("the feed holds the token")
	}
}

// The feed is a URL that travels: whatever the visitor typed stays out,
// folded or not, escaped or not, however the appointment looks.
func TestNoContactDetails(t *testing.T) {
	withTolk := appointment("W9X-3AC", "tok-2", start)
	withTolk.Interpreter = true
	cancelled := appointment("HJN-7RT", "tok-3", start)
	cancelled.Cancelled = true
	noLink := appointment("QRT-4MX", "tok-4", start)
	noLink.JoinURL = ""
	tests := []struct {
		name string
		a    domain.Appointment
	}{
		{"standing", appointment("K7M-4PQ", "tok-1", start)},
		{"interpreter", withTolk},
		{"cancelled", cancelled},
		{"no link", noLink},
	}
	secrets := []string{
		contact.Name, "Fatima", "El Amrani", contact.Email, "fatima.elamrani", "example.be",
		contact.Phone, "32470123456", "0470123456", "470123456", domain.DisplayPhone(contact.Phone), "123456",
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := write(t, "Digitale Balie – Energiecentrale", FromAppointment(tt.a, "Energiecentrale", "Arabisch", "Arabisch"))
			unfolded := strings.Join(unfold(raw), "\n")
			views := map[string]string{
				"raw":       raw,
				"unfolded":  unfolded,
				"unescaped": ics.FromText(unfolded),
				"no spaces": strings.Join(strings.Fields(ics.FromText(unfolded)), ""),
			}
			for view, text := range views {
				for _, s := range secrets {
					if strings.Contains(strings.ToLower(text), strings.ToLower(s)) {
						t.Errorf("%s output holds %q:\n%s", view, s, raw)
					}
				}
			}
			for _, e := range parse(t, raw).Events() {
				for _, p := range e.Properties {
					if p.IANAToken == string(ics.ComponentPropertyAttendee) || p.IANAToken == string(ics.ComponentPropertyOrganizer) || p.IANAToken == string(ics.ComponentPropertyContact) {
						t.Errorf("event has %s", p.IANAToken)
					}
				}
			}
		})
	}
}

// An Item has nowhere to put a contact detail. A new field is a decision
// about what a forwarded feed shows: add it here once it is made.
func TestItemHasNoContactFields(t *testing.T) {
	want := []string{"Token", "Code", "Theme", "Start", "End", "Language", "LanguageName", "Interpreter", "JoinURL", "Cancelled", "Updated", "Sequence"}
	var got []string
	for f := range reflect.TypeFor[Item]().Fields() {
		got = append(got, f.Name)
	}
	if !slices.Equal(got, want) {
		t.Errorf("Item fields %v, want %v", got, want)
	}
}

// Every line ends in CRLF and holds at most 75 octets, folded between
// characters (so each line is UTF-8 on its own), and unfolding gives the
// value back: titles of every length, with multi-octet characters and
// escapes at every place a fold can fall.
func TestLines(t *testing.T) {
	var items []Item
	for n := range 120 {
		a := appointment("K7M-4PQ", "tok-"+strings.Repeat("x", n), start.Add(time.Duration(n)*time.Hour))
		theme := strings.Repeat("é", n%7) + strings.Repeat("a", n) + "–مركز الطاقة, wonen; huren\\kopen" + strings.Repeat("–", n%5)
		items = append(items, FromAppointment(a, theme, "Arabisch", "Arabisch"))
	}
	raw := write(t, strings.Repeat("Digitale Balie – Energiecentrale ", 5), items...)
	if !strings.HasSuffix(raw, "\r\n") {
		t.Error("the last line does not end in CRLF")
	}
	body := strings.TrimSuffix(raw, "\r\n")
	for i, l := range strings.Split(body, "\r\n") {
		if len(l) > 75 {
			t.Errorf("line %d has %d octets: %q", i+1, len(l), l)
		}
		if strings.ContainsAny(l, "\r\n") {
			t.Errorf("line %d has a bare CR or LF: %q", i+1, l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("line %d is cut inside a character: %q", i+1, l)
		}
	}
	events := parse(t, raw).Events()
	if len(events) != len(items) {
		t.Fatalf("%d events for %d items", len(events), len(items))
	}
	byUID := map[string]*ics.VEvent{}
	for _, e := range events {
		byUID[e.Id()] = e
	}
	for _, it := range items {
		e := byUID[icsfile.EventUID(it.Token)]
		if got := value(e, ics.ComponentPropertySummary); got != summary(it) {
			t.Errorf("SUMMARY %q, want %q", got, summary(it))
		}
		if got := value(e, ics.ComponentPropertyUrl); got != it.JoinURL {
			t.Errorf("URL %q, want %q", got, it.JoinURL)
		}
	}
}

// TEXT values escape , ; \ and newlines; a CR or another control character,
// which the library would write as it is, becomes a space.
func TestEscaping(t *testing.T) {
	tests := []struct {
		theme, written, parsed string
	}{
		{"Energiecentrale", `Energiecentrale`, "Energiecentrale"},
		{"Wonen, bouwen; huren", `Wonen\, bouwen\; huren`, "Wonen, bouwen; huren"},
		{`Huren\kopen`, `Huren\\kopen`, `Huren\kopen`},
		{"Wonen\nen bouwen", `Wonen en bouwen`, "Wonen en bouwen"},
		{"Wonen\r\nSTATUS:CANCELLED", `Wonen  STATUS:CANCELLED`, "Wonen  STATUS:CANCELLED"},
		{"Wonen\u2028\x00\x1b", `Wonen`, "Wonen"},
		{`"Centrale" de l'énergie: ok`, `"Centrale" de l'énergie: ok`, `"Centrale" de l'énergie: ok`},
	}
	for _, tt := range tests {
		t.Run(tt.theme, func(t *testing.T) {
			a := appointment("K7M-4PQ", "tok", start)
			raw := write(t, "Digitale Balie – "+tt.theme, FromAppointment(a, tt.theme, "Arabisch", ""))
			wantLine := "SUMMARY:Video-afspraak " + tt.written + " – K7M-4PQ"
			if got := properties(raw, "SUMMARY"); len(got) != 1 || got[0] != wantLine {
				t.Errorf("SUMMARY lines %q, want %q", got, wantLine)
			}
			if got := properties(raw, "X-WR-CALNAME"); len(got) != 1 || got[0] != "X-WR-CALNAME:Digitale Balie – "+tt.written {
				t.Errorf("X-WR-CALNAME lines %q", got)
			}
			if got := properties(raw, "STATUS"); len(got) != 1 || got[0] != "STATUS:CONFIRMED" {
				t.Errorf("STATUS lines %q", got)
			}
			e := parse(t, raw).Events()[0]
			if got := value(e, ics.ComponentPropertySummary); got != "Video-afspraak "+tt.parsed+" – K7M-4PQ" {
				t.Errorf("parsed SUMMARY %q", got)
			}
		})
	}
}

// The description tells the counter what it needs in Dutch: the code, the
// language, the interpreter, the link; a link that is no link is left out
// rather than written unescaped into URL.
func TestDescription(t *testing.T) {
	tolk := appointment("W9X-3AC", "tok", start)
	tolk.Interpreter = true
	cancelled := appointment("HJN-7RT", "tok", start)
	cancelled.Cancelled = true
	injected := appointment("QRT-4MX", "tok", start)
	injected.JoinURL = "https://video.stad.gent/j/x\r\nATTENDEE:mailto:evil@example.org"
	relative := appointment("QRT-4MX", "tok", start)
	relative.JoinURL = "javascript:alert(1)"
	tests := []struct {
		name     string
		item     Item
		want     string
		location string
	}{
		{"standing", FromAppointment(appointment("K7M-4PQ", "tok", start), "Energiecentrale", "Arabisch", "Arabisch"),
			"Code: K7M-4PQ\nTaal: Arabisch (ar)\nTolk: niet gevraagd\n\nDeelnemen aan het videogesprek:\nhttps://video.stad.gent/j/K7M4PQ?pwd=a,b;c",
			"https://video.stad.gent/j/K7M4PQ?pwd=a,b;c"},
		{"interpreter", FromAppointment(tolk, "Energiecentrale", "Arabisch", ""),
			"Code: W9X-3AC\nTaal: Arabisch (ar)\nTolk gevraagd: Arabisch\n\nDeelnemen aan het videogesprek:\nhttps://video.stad.gent/j/W9X3AC?pwd=a,b;c",
			"https://video.stad.gent/j/W9X3AC?pwd=a,b;c"},
		{"cancelled", FromAppointment(cancelled, "Energiecentrale", "", ""),
			"GEANNULEERD: deze afspraak gaat niet door.\n\nCode: HJN-7RT\nTaal: ar\nTolk: niet gevraagd\n\nDeelnemen aan het videogesprek:\nhttps://video.stad.gent/j/HJN7RT?pwd=a,b;c",
			"https://video.stad.gent/j/HJN7RT?pwd=a,b;c"},
		{"line break in link", FromAppointment(injected, "Energiecentrale", "Arabisch", ""),
			"Code: QRT-4MX\nTaal: Arabisch (ar)\nTolk: niet gevraagd", ""},
		{"not a web link", FromAppointment(relative, "Energiecentrale", "Arabisch", ""),
			"Code: QRT-4MX\nTaal: Arabisch (ar)\nTolk: niet gevraagd", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := write(t, "x", tt.item)
			e := parse(t, raw).Events()[0]
			if got := value(e, ics.ComponentPropertyDescription); got != tt.want {
				t.Errorf("DESCRIPTION\n%q, want\n%q", got, tt.want)
			}
			if got := value(e, ics.ComponentPropertyLocation); got != tt.location {
				t.Errorf("LOCATION %q, want %q", got, tt.location)
			}
			if got := value(e, ics.ComponentPropertyUrl); got != tt.location {
				t.Errorf("URL %q, want %q", got, tt.location)
			}
			if strings.Contains(raw, "ATTENDEE") || strings.Contains(raw, "javascript") {
				t.Errorf("a bad link got in:\n%s", raw)
			}
		})
	}
}

func TestFromAppointment(t *testing.T) {
	a := appointment("K7M-4PQ", "tok", start)
	tests := []struct {
		name        string
		interpreter bool
		cancelled   bool
		arg         string
		want        string
		seq         int
	}{
		{"no interpreter asked, none passed", false, false, "", "", 0},
		{"no interpreter asked, one passed", false, false, "Arabisch", "", 0},
		{"interpreter asked", true, false, "Tamazight", "Tamazight", 0},
		{"interpreter asked, language left to the visitor's", true, false, "", "Arabisch", 0},
		{"cancelled", false, true, "", "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a.Interpreter, a.Cancelled = tt.interpreter, tt.cancelled
			got := FromAppointment(a, "Energiecentrale", "Arabisch", tt.arg)
			want := Item{
				Token: a.Token, Code: a.Code, Theme: "Energiecentrale", Start: a.Start, End: a.End,
				Language: "ar", LanguageName: "Arabisch", Interpreter: tt.want, JoinURL: a.JoinURL,
				Cancelled: tt.cancelled, Updated: a.CreatedAt, Sequence: tt.seq,
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
		})
	}
}

// What cannot be one well-formed event is refused, and nothing written.
func TestWriteRefuses(t *testing.T) {
	ok := FromAppointment(appointment("K7M-4PQ", "tok", start), "Energiecentrale", "Arabisch", "")
	tests := []struct {
		name   string
		mutate func(*Item)
		items  func(Item) []Item
	}{
		{"no token", func(it *Item) { it.Token = "" }, nil},
		{"no start", func(it *Item) { it.Start = time.Time{} }, nil},
		{"no end", func(it *Item) { it.End = time.Time{} }, nil},
		{"ends before it starts", func(it *Item) { it.End = it.Start.Add(-time.Minute) }, nil},
		{"twice", nil, func(it Item) []Item { other := it; other.Code = "W9X-3AC"; return []Item{it, other} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := ok
			if tt.mutate != nil {
				tt.mutate(&it)
			}
			items := []Item{it}
			if tt.items != nil {
				items = tt.items(it)
			}
			var buf bytes.Buffer
			if err := Write(&buf, "x", items, now); err == nil {
				t.Error("no error")
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %d bytes", buf.Len())
			}
		})
	}
}

type failingWriter struct{}

var errDisk = errors.New("disk full")

func (failingWriter) Write([]byte) (int, error) { return 0, errDisk }

func TestWriteReportsWriterError(t *testing.T) {
	if err := Write(failingWriter{}, "x", nil, now); !errors.Is(err, errDisk) {
		t.Errorf("err %v", err)
	}
}

// An item without Updated is stamped now; Write leaves its items alone.
func TestStampsNowWithoutUpdated(t *testing.T) {
	it := FromAppointment(appointment("K7M-4PQ", "tok", start), "Energiecentrale", "Arabisch", "")
	it.Updated = time.Time{}
	items := []Item{it}
	raw := write(t, "x", items...)
	e := parse(t, raw).Events()[0]
	if got := value(e, ics.ComponentPropertyDtstamp); got != "20261125T140000Z" {
		t.Errorf("DTSTAMP %q", got)
	}
	if !items[0].Updated.IsZero() {
		t.Error("Write changed its input")
	}
}

// testdata/feed.ics is the whole output for a small feed, to read in a
// review and to import into Outlook by hand. go test -update rewrites it.
func TestGolden(t *testing.T) {
	tolk := appointment("W9X-3AC", "tok-tolk", start.Add(time.Hour))
	tolk.Interpreter = true
	cancelled := appointment("HJN-7RT", "tok-cancelled", start.Add(-24*time.Hour))
	cancelled.Cancelled = true
	raw := write(t, "Digitale Balie – Energiecentrale",
		FromAppointment(appointment("K7M-4PQ", "tok-plain", start), "Energiecentrale", "Arabisch", ""),
		FromAppointment(tolk, "Energiecentrale", "Arabisch", "Arabisch"),
		FromAppointment(cancelled, "Energiecentrale", "Arabisch", ""),
	)
	path := filepath.Join("testdata", "feed.ics")
	if *update {
		if err := os.WriteFile(path, []byte(raw), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if raw != string(want) {
		t.Errorf("output differs from %s (go test -update rewrites it):\n%s", path, raw)
	}
}

func TestToken(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		tok := Token()
		raw, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil || len(raw)*8 < 128 {
			t.Fatalf("token %q: %d bits, %v", tok, len(raw)*8, err)
		}
		if strings.Trim(tok, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
			t.Fatalf("token %q is not URL-safe", tok)
		}
		if seen[tok] {
			t.Fatalf("token %q twice", tok)
		}
		seen[tok] = true
	}
}

func TestSameToken(t *testing.T) {
	tok := Token()
	tests := []struct {
		a, b string
		want bool
	}{
		{tok, tok, true},
		{tok, strings.Clone(tok), true},
		{tok, Token(), false},
		{tok, tok[:len(tok)-1], false},
		{tok, tok + "x", false},
		{tok, strings.ToUpper(tok), tok == strings.ToUpper(tok)},
		{tok, "", false},
		{"", tok, false},
		{"", "", false},
	}
	for i, tt := range tests {
		if got := SameToken(tt.a, tt.b); got != tt.want {
			t.Errorf("%d: SameToken(%q, %q) = %v, want %v", i, tt.a, tt.b, got, tt.want)
		}
	}
}
