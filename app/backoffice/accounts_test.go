package backoffice

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// An admin keeps the local accounts from the back office: a new counter
// signs in with the themes given; a short password is refused with the
// form kept; removing an account signs it out at once; nobody removes
// their own.
func TestAdminKeepsAccounts(t *testing.T) {
	f := newFixture(t)
	admin := f.signIn(t, "admin")
	res, body := admin.post("/staff/accounts", url.Values{"name": {"nieuw"}, "role": {"counter"}, "themes": {"energie", "oog"}, "password": {"kort"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "12 tekens") || !strings.Contains(body, `value="nieuw"`) {
		t.Fatalf("a short password (%d) must be refused with the form kept", res.StatusCode)
	}
	if res, _ := admin.post("/staff/accounts", url.Values{"name": {"nieuw"}, "role": {"counter"}, "themes": {"energie", "oog"}, "password": {password}}); res.StatusCode != http.StatusOK {
		t.Fatalf("add: %d", res.StatusCode)
	}
	acc, found, _ := f.store.Staff("nieuw")
	if !found || acc.Role != "counter" || strings.Join(acc.Themes, ",") != "energie,oog" || strings.Contains(acc.Hash, password) {
		t.Fatalf("stored %+v", acc)
	}
	b := f.signIn(t, "nieuw")
	if res, _ := b.get("/staff/agenda?theme=oog"); res.StatusCode != http.StatusOK {
		t.Errorf("the new counter cannot see their theme: %d", res.StatusCode)
	}
	if res, _ := admin.post("/staff/accounts/delete", url.Values{"name": {"nieuw"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", res.StatusCode)
	}
	if res, _ := b.get("/staff/agenda?theme=oog"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("a removed account is still signed in: %d", res.StatusCode)
	}
	if res, _ := f.browser(t).post("/staff/signin", url.Values{"name": {"nieuw"}, "password": {password}}); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("a removed account signs in: %d", res.StatusCode)
	}
	if res, _ := admin.post("/staff/accounts/delete", url.Values{"name": {"admin"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("an admin removing themself: %d, want 422", res.StatusCode)
	}
}
