package backoffice

import (
	"context"
	"net/http"
	"testing"

	"github.com/digitalebalie/balie/app/oidcsignin"
	"github.com/digitalebalie/balie/app/oidcsignin/oidctest"
)

// Staff sign in with the city's identity provider: the browser goes to
// the provider and back, and a group mapped to a role opens the back office
// with that role and its themes. An identity without a mapped group, or a
// token that fails its checks, is refused.
func TestSignInWithTheCitysAccounts(t *testing.T) {
	f := newFixture(t)
	idp := oidctest.New(t)
	p, err := oidcsignin.New(context.Background(), oidcsignin.Config{
		Issuer: idp.URL, ClientID: "balie-backoffice", ClientSecret: "secret",
		RedirectURL: f.srv.URL + "/staff/oidc/callback",
	})
	if err != nil {
		t.Fatal(err)
	}
	f.bo.opts.OIDC = p
	f.bo.opts.GroupRoles = map[string]Staff{"grp-energie-leads": {Role: RoleLead, Themes: []string{"energie"}}}

	signIn := func() (*browser, *http.Response) {
		b := f.browser(t)
		res, _ := b.get("/staff/oidc/start")
		if res.StatusCode != http.StatusFound {
			t.Fatalf("start: %d", res.StatusCode)
		}
		// The provider signs the user in and sends the browser back.
		back, err := b.client.Get(res.Header.Get("Location"))
		if err != nil {
			t.Fatal(err)
		}
		back.Body.Close()
		cb, err := b.client.Get(back.Header.Get("Location"))
		if err != nil {
			t.Fatal(err)
		}
		cb.Body.Close()
		return b, cb
	}

	idp.SignInAs("an-1", "An Peeters", "an.peeters@stad.gent", "grp-other", "grp-energie-leads")
	b, res := signIn()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("callback: %d", res.StatusCode)
	}
	if res, _ := b.get("/staff/capacity?theme=energie"); res.StatusCode != http.StatusOK {
		t.Errorf("a lead of the energie group cannot set its capacity: %d", res.StatusCode)
	}
	if res, _ := b.get("/staff/capacity?theme=woonwijzer"); res.StatusCode != http.StatusForbidden {
		t.Errorf("nor another theme's: %d", res.StatusCode)
	}
	entries, _ := f.store.Audit(monday)
	if len(entries) == 0 || entries[len(entries)-1].Who != "lead:an.peeters@stad.gent" || entries[len(entries)-1].Detail != "OIDC" {
		t.Errorf("the sign-in is not in the audit log: %+v", entries)
	}

	idp.SignInAs("bo-2", "Bo", "bo@stad.gent", "grp-other")
	if _, res := signIn(); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("an identity without a mapped group: %d, want 401", res.StatusCode)
	}
	idp.SignInAs("an-1", "An Peeters", "an.peeters@stad.gent", "grp-energie-leads")
	idp.ExpireNextToken()
	if _, res := signIn(); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("an expired ID token: %d, want 401", res.StatusCode)
	}
}
