package backoffice

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/store"
)

var startRe = regexp.MustCompile(`name="start" value="([^"]+)"`)

// A Gentinfo agent books for a caller through the same checks as the
// kiosk: a refused e-mail comes back in Dutch with everything typed kept;
// the booking then holds, owes the caller a confirmation, and is in the
// audit log. The agent moves it (the caller is sent the new time) and
// cancels it.
func TestPhoneAgentBooksMovesAndCancels(t *testing.T) {
	f := newFixture(t)
	b := f.signIn(t, "phone")
	_, page := b.get("/staff/book?theme=energie")
	starts := startRe.FindAllStringSubmatch(page, -1)
	if len(starts) < 2 {
		t.Fatalf("the form offers %d free times", len(starts))
	}
	form := url.Values{"theme": {"energie"}, "start": {starts[0][1]}, "name": {"Yusuf Demir"}, "email": {"yusuf@"}, "interpreterLanguage": {"ku"},
		"phone": {""}, "language": {"tr"}, "interpreter": {"on"}}
	res, body := b.post("/staff/book", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Geen geldig e-mailadres") ||
		!strings.Contains(body, `value="Yusuf Demir"`) || !strings.Contains(body, `value="yusuf@"`) {
		t.Fatalf("a refused e-mail (%d) must say why in Dutch and keep the form", res.StatusCode)
	}
	form.Set("email", "yusuf@example.be")
	res, _ = b.post("/staff/book", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("booking: %d", res.StatusCode)
	}
	code := strings.TrimPrefix(strings.SplitN(res.Header.Get("Location"), "?", 2)[0], "/staff/a/")
	a, err := f.store.Appointment(code)
	if err != nil || a.Language != "tr" || !a.Interpreter || a.InterpreterLanguage != "ku" || a.Booker != "phone:phone" {
		t.Fatalf("booked %+v, %v", a, err)
	}
	_, page = b.get("/staff/a/" + code + "?booked=1")
	if !strings.Contains(page, "Geboekt.") || strings.Contains(page, "yusuf@example.be") {
		t.Error("the agent sees no confirmation, or sees the e-mail without asking (phone agents may not)")
	}
	pending, _ := f.store.Notices(domain.NoticePending)
	if !hasNotice(pending, code, domain.NoticeConfirmEmail) {
		t.Error("no confirmation e-mail is owed to the caller")
	}

	res, _ = b.post("/staff/a/"+code+"/move", url.Values{"start": {starts[1][1]}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("move: %d", res.StatusCode)
	}
	if moved, _ := f.store.Appointment(code); moved.Sequence != 1 || moved.Start.Equal(a.Start) {
		t.Errorf("after the move: start %v sequence %d", moved.Start, moved.Sequence)
	}
	pending, _ = f.store.Notices(domain.NoticePending)
	if !hasNotice(pending, code, domain.NoticeMovedEmail) {
		t.Error("no e-mail with the new time is owed")
	}
	res, _ = b.post("/staff/a/"+code+"/cancel", nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("cancel: %d", res.StatusCode)
	}
	if gone, _ := f.store.Appointment(code); !gone.Cancelled {
		t.Fatal("not cancelled")
	}
	entries, _ := f.store.Audit(monday.AddDate(0, 0, -1))
	did := map[string]bool{}
	for _, e := range entries {
		if e.Code == code && e.Who == "phone:phone" {
			did[e.Action] = true
		}
	}
	for _, action := range []string{store.AuditBook, store.AuditMove, store.AuditCancel} {
		if !did[action] {
			t.Errorf("no %q by the agent in the audit log", action)
		}
	}
}

func hasNotice(ns []domain.Notice, code string, kind domain.NoticeKind) bool {
	for _, n := range ns {
		if n.Code == code && n.Kind == kind {
			return true
		}
	}
	return false
}
