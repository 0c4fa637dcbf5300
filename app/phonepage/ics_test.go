package phonepage

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/digitalebalie/balie/app/city"
)

func TestCalendarFileParsesBack(t *testing.T) {
	f := newFixture(t)
	a := f.book(t, "fr")
	r := f.get(t, "/a/"+a.Token+"/calendar.ics")
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	if got := r.header.Get("Content-Type"); got != "text/calendar; charset=utf-8" {
		t.Errorf("Content-Type %q", got)
	}
	if got := r.header.Get("Content-Disposition"); got != `attachment; filename="afspraak-`+a.Code+`.ics"` {
		t.Errorf("Content-Disposition %q", got)
	}
	if strings.Contains(r.body, a.Token) || strings.Contains(r.body, "Amina") || strings.Contains(r.body, "amina@") {
		t.Error("the calendar file holds the token or personal data")
	}

	if !strings.HasPrefix(r.body, "BEGIN:VCALENDAR\r\n") || strings.Count(r.body, "\n") != strings.Count(r.body, "\r\n") {
		t.Error("lines do not end in CRLF")
	}
	cal, err := ics.ParseCalendar(strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	events := cal.Events()
	if len(events) != 1 {
		t.Fatalf("%d events", len(events))
	}
	e := events[0]
	start, err1 := e.GetStartAt()
	end, err2 := e.GetEndAt()
	if err1 != nil || err2 != nil || !start.Equal(a.Start) || !end.Equal(a.End) {
		t.Fatalf("start %v end %v (%v %v), want %v to %v", start, end, err1, err2, a.Start, a.End)
	}
	if want := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC); !start.Equal(want) {
		t.Errorf("09:00 in Brussels is %v", start.UTC())
	}
	prop := func(p ics.ComponentProperty) string {
		if v := e.GetProperty(p); v != nil {
			return v.Value
		}
		return ""
	}
	// Dutch first, then the visitor's language, as in the e-mail's file.
	if got, want := prop(ics.ComponentPropertySummary), "Video-afspraak: Energiecentrale / "+f.msgs.T("fr", "PhoneCalendarSummary", map[string]any{"Theme": city.MustLoad("gent").Services()[0].Name["fr"]}); got != want {
		t.Errorf("SUMMARY %q, want %q", got, want)
	}
	if got := prop(ics.ComponentPropertyUrl); got != a.JoinURL {
		t.Errorf("URL %q, want %q", got, a.JoinURL)
	}
	desc := prop(ics.ComponentPropertyDescription)
	if !strings.Contains(desc, a.JoinURL) || !strings.Contains(desc, a.Code) || strings.Index(desc, "Videogesprek") > strings.Index(desc, "Appel vidéo") {
		t.Errorf("DESCRIPTION %q: want the link, the code, Dutch first", desc)
	}
	if got := prop(ics.ComponentPropertyStatus); got != "CONFIRMED" {
		t.Errorf("STATUS %q", got)
	}
	if got := prop(ics.ComponentPropertySequence); got != "0" || !strings.Contains(r.body, "\r\nMETHOD:PUBLISH\r\n") {
		t.Errorf("SEQUENCE %q, want 0 in a PUBLISH", got)
	}
	alarms := e.Alarms()
	if len(alarms) != 1 {
		t.Fatalf("%d alarms", len(alarms))
	}
	if got := alarms[0].GetProperty(ics.ComponentPropertyTrigger); got == nil || got.Value != "-PT15M" {
		t.Errorf("TRIGGER %v", got)
	}
	if got := alarms[0].GetProperty(ics.ComponentPropertyAction); got == nil || got.Value != "DISPLAY" {
		t.Errorf("ACTION %v", got)
	}

	// The UID stays the same, so importing twice updates one event; a
	// cancelled appointment's file says so.
	if err := f.store.CancelByToken(context.Background(), a.Token); err != nil {
		t.Fatal(err)
	}
	again, err := ics.ParseCalendar(strings.NewReader(f.get(t, "/a/"+a.Token+"/calendar.ics").body))
	if err != nil {
		t.Fatal(err)
	}
	if again.Events()[0].Id() != e.Id() || e.Id() == "" {
		t.Errorf("UID %q then %q", e.Id(), again.Events()[0].Id())
	}
	if got := again.Events()[0].GetProperty(ics.ComponentPropertyStatus).Value; got != "CANCELLED" {
		t.Errorf("STATUS after cancel %q", got)
	}
	// The same file as the cancellation e-mail's: a newer version of the
	// event that cancels it.
	if got := again.Events()[0].GetProperty(ics.ComponentPropertySequence); got == nil || got.Value != "1" {
		t.Errorf("SEQUENCE after cancel %v, want 1", got)
	}
	if m := again.CalendarProperties; !hasMethod(m, "CANCEL") {
		t.Errorf("METHOD after cancel is not CANCEL")
	}
}

func hasMethod(props []ics.CalendarProperty, method string) bool {
	for _, p := range props {
		if p.IANAToken == string(ics.PropertyMethod) && p.Value == method {
			return true
		}
	}
	return false
}
