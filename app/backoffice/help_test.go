package backoffice

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/digitalebalie/balie/app/domain"
)

var helpID = regexp.MustCompile(`name="id" value="([^"]+)"`)

// A visitor's call for help reaches the support staff's page, oldest
// first, with the kiosk and the language; "Ik kom eraan" marks who is on
// the way, "Afgehandeld" takes it off the list, and both are in the audit
// log. Only support staff and admins see the page.
func TestSupportAnswersCallsForHelp(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	support := f.signIn(t, "support")
	_, before := support.get("/staff/help/version")
	for _, req := range []domain.HelpRequest{
		{Device: "stadskantoor-1", Language: "ar", Screen: "contact"},
		{Device: "digipunt-muide", Language: "tr", Screen: "theme"},
	} {
		if err := f.store.RequestHelp(ctx, req); err != nil {
			t.Fatal(err)
		}
		f.clock.Add(60e9) // a minute apart
	}
	if _, after := support.get("/staff/help/version"); after == before {
		t.Error("the page's version did not change with a new call")
	}
	_, page := support.get("/staff/help")
	first, second := strings.Index(page, "stadskantoor-1"), strings.Index(page, "digipunt-muide")
	if first < 0 || second < 0 || first > second || !strings.Contains(page, "Arabisch") || !strings.Contains(page, "2 min") {
		t.Fatalf("the calls are not listed oldest first with kiosk, language and wait:\n%s", page)
	}
	id := helpID.FindStringSubmatch(page)[1]
	if res, _ := support.post("/staff/help", url.Values{"id": {id}, "state": {"on-the-way"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("on the way: %d", res.StatusCode)
	}
	queue, _ := f.store.HelpQueue()
	if queue[0].State != domain.HelpOnTheWay || queue[0].TakenBy != "support:support" {
		t.Fatalf("after 'Ik kom eraan': %+v", queue[0])
	}
	if res, _ := support.post("/staff/help", url.Values{"id": {id}, "state": {"handled"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("handled: %d", res.StatusCode)
	}
	if queue, _ := f.store.HelpQueue(); len(queue) != 1 || queue[0].Device != "digipunt-muide" {
		t.Fatalf("after 'Afgehandeld' the queue is %+v", queue)
	}
	entries, _ := f.store.Audit(monday)
	var logged []string
	for _, e := range entries {
		if strings.HasPrefix(e.Action, "help-") {
			logged = append(logged, e.Action+" by "+e.Who)
		}
	}
	if strings.Join(logged, ", ") != "help-on-the-way by support:support, help-handled by support:support" {
		t.Errorf("audit log: %v", logged)
	}
	if res, _ := support.post("/staff/help", url.Values{"id": {"nope"}, "state": {"handled"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("an unknown call: %d, want 422", res.StatusCode)
	}
	for name, want := range map[string]int{"counter-energie": http.StatusForbidden, "phone": http.StatusForbidden, "privacy": http.StatusForbidden, "admin": http.StatusOK} {
		if res, _ := f.signIn(t, name).get("/staff/help"); res.StatusCode != want {
			t.Errorf("%s on the help page: %d, want %d", name, res.StatusCode, want)
		}
	}
	if res, _ := f.browser(t).get("/staff/help"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("nobody signed in: %d, want a redirect to sign in", res.StatusCode)
	}
}
