package backoffice

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/store"
)

// The agenda shows the day's appointments of the theme, with time, code,
// name, language, interpreter and status, but no contact details; asking
// for them shows them and writes who asked to the audit log, which the
// privacy officer reads and exports.
func TestAgendaContactOnRequestAndAudit(t *testing.T) {
	f := newFixture(t)
	a := f.book(t, "energie", "Amina")
	b := f.signIn(t, "counter-energie")
	_, body := b.get("/staff/agenda?theme=energie")
	for _, want := range []string{a.Code, "Amina", "Arabisch", "ja, Arabisch", "geboekt", "maandag 23 november 2026"} {
		if !strings.Contains(body, want) {
			t.Errorf("the agenda does not show %q", want)
		}
	}
	for _, secret := range []string{a.Contact.Email, "+32470", "0470"} {
		if strings.Contains(body, secret) {
			t.Errorf("the agenda shows contact detail %q", secret)
		}
	}
	_, body = b.get("/staff/a/" + a.Code)
	if strings.Contains(body, a.Contact.Email) {
		t.Error("the appointment page shows the e-mail before it is asked for")
	}
	if !strings.Contains(body, a.JoinURL) {
		t.Error("the appointment page has no way into the call")
	}
	_, body = b.post("/staff/a/"+a.Code+"/contact", nil)
	if !strings.Contains(body, a.Contact.Email) || !strings.Contains(body, domain.DisplayPhone(a.Contact.Phone)) {
		t.Fatal("asking for the contact details did not show them")
	}
	entries, _ := f.store.Audit(monday.AddDate(0, 0, -1))
	var viewed bool
	for _, e := range entries {
		if e.Action == store.AuditViewContact && e.Code == a.Code && e.Who == "counter:counter-energie" {
			viewed = true
		}
		if strings.Contains(e.Detail, a.Contact.Email) {
			t.Errorf("the audit log holds the e-mail: %+v", e)
		}
	}
	if !viewed {
		t.Fatalf("no audit entry for the contact view: %+v", entries)
	}
	p := f.signIn(t, "privacy")
	_, page := p.get("/staff/audit")
	if !strings.Contains(page, "contactgegevens bekeken") || !strings.Contains(page, a.Code) {
		t.Error("the audit page does not show the contact view")
	}
	res, csv := p.get("/staff/audit.csv")
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") || !strings.Contains(csv, "view-contact,"+a.Code) {
		t.Errorf("audit.csv (%s):\n%s", ct, csv)
	}
}

// A booking made at a kiosk changes the agenda's version, which the page
// polls every 5 seconds and reloads on: it shows without a manual reload.
func TestNewBookingChangesTheAgendaVersion(t *testing.T) {
	f := newFixture(t)
	b := f.signIn(t, "counter-energie")
	version := func() string {
		_, body := b.get("/staff/agenda/version?theme=energie")
		return body
	}
	_, page := b.get("/staff/agenda?theme=energie")
	if !strings.Contains(page, `data-version-url="/staff/agenda/version?theme=energie&amp;day=2026-11-23"`) || !strings.Contains(page, "/staff/static/refresh.js") {
		t.Fatal("the agenda page does not poll its version")
	}
	before := version()
	f.book(t, "energie", "Bram")
	if after := version(); after == before {
		t.Fatalf("version stayed %s after a booking", after)
	}
}

// Marking an appointment done or no-show shows in the agenda; a cancelled
// appointment gets no outcome. The printed day list has no names.
func TestOutcomesAndPrintedList(t *testing.T) {
	f := newFixture(t)
	a := f.book(t, "energie", "Amina")
	b := f.signIn(t, "counter-energie")
	if res, _ := b.post("/staff/a/"+a.Code+"/outcome", url.Values{"outcome": {"noshow"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("outcome: %d", res.StatusCode)
	}
	if _, body := b.get("/staff/agenda?theme=energie"); !strings.Contains(body, "niet gekomen") {
		t.Error("the agenda does not show the no-show")
	}
	if res, _ := b.post("/staff/a/"+a.Code+"/outcome", url.Values{"outcome": {"lost"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("an unknown outcome: %d, want 422", res.StatusCode)
	}
	_, printed := b.get("/staff/print?theme=energie")
	if !strings.Contains(printed, a.Code) || strings.Contains(printed, "Amina") || strings.Contains(printed, a.Contact.Email) {
		t.Error("the day list must show the code and no name or contact")
	}
}

// Five wrong passwords lock the account for a quarter of an hour, even
// for the right password, and the answer never tells a wrong name from a
// wrong password. A session ends after 30 idle minutes.
func TestLockoutAndIdleSessions(t *testing.T) {
	f := newFixture(t)
	b := f.browser(t)
	var answers []string
	for range 5 {
		_, body := b.post("/staff/signin", url.Values{"name": {"admin"}, "password": {"wrong password!"}})
		answers = append(answers, errorLine(body))
	}
	_, unknown := b.post("/staff/signin", url.Values{"name": {"nobody"}, "password": {"wrong password!"}})
	if errorLine(unknown) != answers[0] {
		t.Errorf("a wrong name answers %q, a wrong password %q", errorLine(unknown), answers[0])
	}
	if res, _ := b.post("/staff/signin", url.Values{"name": {"admin"}, "password": {password}}); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("the right password during the lockout: %d, want 401", res.StatusCode)
	}
	f.clock.Add(lockFor + time.Second)
	s := f.signIn(t, "admin")
	if res, _ := s.get("/staff/agenda"); res.StatusCode != http.StatusOK {
		t.Fatalf("after the lockout: %d", res.StatusCode)
	}
	f.clock.Add(IdleTimeout - time.Minute)
	if res, _ := s.get("/staff/agenda"); res.StatusCode != http.StatusOK {
		t.Fatal("a session used 29 minutes ago ended")
	}
	f.clock.Add(IdleTimeout + time.Second)
	if res, _ := s.get("/staff/agenda"); res.StatusCode != http.StatusSeeOther {
		t.Fatal("a session idle for 30 minutes is still open")
	}
	entries, _ := f.store.Audit(monday)
	failed := 0
	for _, e := range entries {
		if e.Action == store.AuditSignInFailed {
			failed++
		}
	}
	if failed < 6 {
		t.Errorf("%d failed sign-ins in the audit log, want at least 6", failed)
	}
}

var errorRe = regexp.MustCompile(`<p class="error" role="alert">([^<]*)</p>`)

func errorLine(body string) string {
	if m := errorRe.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

// A lead's change reaches the kiosk API's slots at once, and lowering
// capacity lists the appointments that no longer fit, without cancelling.
func TestCapacityPageChangesSlots(t *testing.T) {
	f := newFixture(t)
	a := f.book(t, "energie", "Amina")
	b := f.signIn(t, "lead-energie")
	_, page := b.get("/staff/capacity?theme=energie")
	if !strings.Contains(page, `value="09:00"`) || !strings.Contains(page, `name="counters" value="1"`) {
		t.Fatal("the capacity page does not show the current hours and counters")
	}
	form := url.Values{"theme": {"energie"}, "slot": {"30"}, "counters": {"1"}, "lead": {"1"}, "horizon": {"30"},
		"d1-0-from": {"13:00"}, "d1-0-to": {"16:00"}} // only Monday afternoons
	res, body := b.post("/staff/capacity", form)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "1 afspraken passen niet meer") || !strings.Contains(body, a.Code) {
		t.Fatalf("saving (%d) does not list the morning appointment:\n%s", res.StatusCode, body)
	}
	slots, _ := f.store.Slots(context.Background(), "energie", monday, 7)
	for _, sl := range slots {
		if sl.Start.In(domain.Brussels).Weekday() != 1 || sl.Start.In(domain.Brussels).Hour() < 13 {
			t.Fatalf("slot %v is outside the new hours", sl.Start)
		}
	}
	if got, _ := f.store.Appointment(a.Code); got.Cancelled {
		t.Fatal("lowering capacity cancelled an appointment")
	}
	form.Set("slot", "abc")
	res, body = b.post("/staff/capacity", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "moet een getal zijn") || !strings.Contains(body, `value="13:00"`) {
		t.Errorf("a bad form (%d) must say what is wrong and keep what was typed", res.StatusCode)
	}
}
