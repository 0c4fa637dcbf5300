package backoffice

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/digitalebalie/balie/app/calendar"
)

// Every staff route answers only the roles it is for, and for a theme only
// its own staff: a table of route × who, where only the right cells
// answer. Nobody signed in is sent to the sign-in page (GET) or refused
// (POST).
func TestAccessControl(t *testing.T) {
	f := newFixture(t)
	energie := f.book(t, "energie", "Amina")
	capacityForm := func() url.Values {
		v := url.Values{"theme": {"energie"}, "slot": {"30"}, "counters": {"2"}, "lead": {"1"}, "horizon": {"30"}}
		for d, ps := range calendar.CityHours {
			for i, p := range ps {
				v.Set(fmt.Sprintf("d%d-%d-from", d, i), hhmm(p.From))
				v.Set(fmt.Sprintf("d%d-%d-to", d, i), hhmm(p.To))
			}
		}
		return v
	}
	const (
		ok     = http.StatusOK
		moved  = http.StatusSeeOther
		denied = http.StatusForbidden
		out    = http.StatusUnauthorized
	)
	who := []string{"", "counter-energie", "counter-woon", "lead-energie", "lead-woon", "phone", "privacy", "admin", "support", "management", "research"}
	routes := []struct {
		method, path string
		form         func() url.Values
		want         []int // per who, in order
	}{
		{"GET", "/staff/agenda?theme=energie", nil, []int{moved, ok, denied, ok, denied, ok, denied, ok, denied, denied, denied}},
		{"GET", "/staff/agenda/version?theme=energie", nil, []int{moved, ok, denied, ok, denied, ok, denied, ok, denied, denied, denied}},
		{"GET", "/staff/print?theme=energie", nil, []int{moved, ok, denied, ok, denied, ok, denied, ok, denied, denied, denied}},
		{"GET", "/staff/a/" + energie.Code, nil, []int{moved, ok, denied, ok, denied, ok, denied, ok, denied, denied, denied}},
		{"POST", "/staff/a/" + energie.Code + "/contact", nil, []int{out, ok, denied, ok, denied, denied, denied, ok, denied, denied, denied}},
		{"POST", "/staff/a/" + energie.Code + "/outcome", func() url.Values { return url.Values{"outcome": {"done"}} }, []int{out, moved, denied, moved, denied, denied, denied, moved, denied, denied, denied}},
		{"GET", "/staff/capacity?theme=energie", nil, []int{moved, denied, denied, ok, denied, denied, denied, ok, denied, denied, denied}},
		{"POST", "/staff/capacity", capacityForm, []int{out, denied, denied, ok, denied, denied, denied, ok, denied, denied, denied}},
		{"GET", "/staff/book?theme=energie", nil, []int{moved, ok, denied, ok, denied, ok, denied, ok, denied, denied, denied}},
		{"GET", "/staff/a/" + energie.Code + "/move", nil, []int{moved, ok, denied, ok, denied, ok, denied, ok, denied, denied, denied}},
		{"GET", "/staff/a/" + energie.Code + "/cancel", nil, []int{moved, ok, denied, ok, denied, ok, denied, ok, denied, denied, denied}},
		{"GET", "/staff/accounts", nil, []int{moved, denied, denied, denied, denied, denied, denied, ok, denied, denied, denied}},
		{"POST", "/staff/accounts/delete", func() url.Values { return url.Values{"name": {"nobody"}} }, []int{out, denied, denied, denied, denied, denied, denied, moved, denied, denied, denied}},
		{"GET", "/staff/audit", nil, []int{moved, denied, denied, denied, denied, denied, ok, ok, denied, denied, denied}},
		{"GET", "/staff/audit.csv", nil, []int{moved, denied, denied, denied, denied, denied, ok, ok, denied, denied, denied}},
		{"GET", "/staff/help", nil, []int{moved, denied, denied, denied, denied, denied, denied, ok, ok, denied, denied}},
		{"GET", "/staff/figures", nil, []int{moved, denied, denied, denied, denied, denied, denied, ok, denied, ok, denied}},
		{"GET", "/staff/figures/chart/days", nil, []int{moved, denied, denied, denied, denied, denied, denied, ok, denied, ok, denied}},
		{"GET", "/staff/figures/visits.csv", nil, []int{moved, denied, denied, denied, denied, denied, denied, ok, denied, ok, denied}},
		{"GET", "/staff/figures/days.csv", nil, []int{moved, denied, denied, denied, denied, denied, denied, ok, denied, ok, denied}},
		// Research contacts: the research role only, not even an admin.
		{"GET", "/staff/research", nil, []int{moved, denied, denied, denied, denied, denied, denied, denied, denied, denied, ok}},
		{"GET", "/staff/research.csv", nil, []int{moved, denied, denied, denied, denied, denied, denied, denied, denied, denied, ok}},
	}
	browsers := map[string]*browser{"": f.browser(t)}
	for _, name := range who[1:] {
		browsers[name] = f.signIn(t, name)
	}
	for _, rt := range routes {
		for i, name := range who {
			t.Run(fmt.Sprintf("%s %s as %q", rt.method, rt.path, name), func(t *testing.T) {
				b := browsers[name]
				b.t = t
				var res *http.Response
				if rt.method == "GET" {
					res, _ = b.get(rt.path)
				} else {
					var form url.Values
					if rt.form != nil {
						form = rt.form()
					}
					res, _ = b.post(rt.path, form)
				}
				if res.StatusCode != rt.want[i] {
					t.Errorf("got %d, want %d", res.StatusCode, rt.want[i])
				}
			})
		}
	}
}

// A POST without the session's form token is refused, and so is one the
// browser says comes from another site.
func TestFormsNeedTheirToken(t *testing.T) {
	f := newFixture(t)
	a := f.book(t, "energie", "Amina")
	b := f.signIn(t, "counter-energie")
	if res, _ := b.post("/staff/a/"+a.Code+"/contact", url.Values{"csrf": {"forged"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("a forged token: %d, want 403", res.StatusCode)
	}
	req, _ := http.NewRequest("POST", f.srv.URL+"/staff/a/"+a.Code+"/contact", strings.NewReader("csrf="+b.csrf))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, err := b.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("a cross-site post: %d, want 403", res.StatusCode)
	}
}
