package gateway

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/api"
	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/stats"
)

// staffFixture is the fixture's store behind a gateway that knows a staff
// tool's token and signs staff in with a fake back office: "an" answers
// help requests, "mo" reads figures, "cas" may do neither.
func staffFixture(t *testing.T) (*fixture, *Gateway) {
	f := newFixture(t)
	gw := New(Options{Store: f.store, Devices: map[string]string{deviceToken: "stadskantoor-1", otherDeviceToken: "digipunt-muide"},
		Staff: map[string]string{staffToken: "rapport"}, StaffSignIn: fakeSignIn, Now: f.clock.Now})
	return f, gw
}

// fakeSignIn is a back office for the gateway's staff sessions: "an"
// answers help requests, "mo" reads figures, "cas" may do neither, and
// "locked" is locked; each one's password is "geheim-" and their name.
func fakeSignIn(_ context.Context, name, password string) (StaffGrant, error) {
	grants := map[string]StaffGrant{
		"an":  {Who: "support:an", Name: "an", Help: true},
		"mo":  {Who: "management:mo", Name: "mo", Figures: true},
		"cas": {Who: "counter:cas", Name: "cas"},
	}
	g, ok := grants[name]
	switch {
	case name == "locked":
		return StaffGrant{}, &domain.Error{Code: domain.ERateLimited, RetryAfter: 15 * time.Minute}
	case !ok || password != "geheim-"+name:
		return StaffGrant{}, ErrWrongCredentials
	}
	return g, nil
}

func visitJSON(id string, start time.Time, outcome string) string {
	return fmt.Sprintf(`{"id":%q,"location":"Stadskantoor","start":%q,"durationSeconds":240,"language":"ar","theme":"energie","outcome":%q,"lastScreen":"contact"}`,
		id, start.Format(time.RFC3339), outcome)
}

func TestFiguresAndStaffEndpointsFollowTheDescription(t *testing.T) {
	s := loadSpec(t)
	f, gw := staffFixture(t)
	day := monday.Add(2 * time.Hour)
	batch := `{"visits":[` + visitJSON("v-1", day, "booked") + `,` + visitJSON("v-2", day.Add(time.Minute), "abandoned") + `]}`
	other := []string{"Authorization", "Bearer " + otherDeviceToken}
	tool := []string{"Authorization", "Bearer " + staffToken}
	noToken := []string{"Authorization", ""}

	for _, ex := range []exchange{
		{name: "visits", method: "POST", path: "/v1/visits", body: batch, status: 200},
		{name: "visits again", method: "POST", path: "/v1/visits", body: batch, status: 200},
		{name: "visits from another kiosk", method: "POST", path: "/v1/visits", body: batch, headers: other, status: 200},
		{name: "visit with a name in it", method: "POST", path: "/v1/visits", body: `{"visits":[{"id":"v-9","start":"2026-11-23T10:00:00+01:00","durationSeconds":1,"language":"nl","outcome":"booked","name":"Amina"}]}`,
			status: 400, code: "bad_request", request: breaksBody},
		{name: "visit unknown outcome", method: "POST", path: "/v1/visits", body: `{"visits":[` + visitJSON("v-3", day, "won") + `]}`, status: 422, code: "invalid", request: breaksBody},
		{name: "visit id not a word", method: "POST", path: "/v1/visits", body: `{"visits":[` + visitJSON("../x", day, "booked") + `]}`, status: 422, code: "invalid", request: breaksBody,
			fields: map[string]string{"id": "invalid_id"}},
		{name: "visits without token", method: "POST", path: "/v1/visits", body: batch, headers: noToken, status: 401, code: "unauthorized", request: breaks},
		{name: "visits with a staff token", method: "POST", path: "/v1/visits", body: batch, headers: tool, status: 401, code: "unauthorized"},

		{name: "help with the kiosk's id", method: "POST", path: "/v1/help-requests", body: `{"id":"h-77","language":"ar","screen":"contact","location":"Stadskantoor"}`, status: 202},
		{name: "help sent again", method: "POST", path: "/v1/help-requests", body: `{"id":"h-77","language":"ar","screen":"contact","location":"Stadskantoor"}`, status: 202},
		{name: "help status", method: "GET", path: "/v1/help-requests/h-77", status: 200},
		{name: "help status of another kiosk", method: "GET", path: "/v1/help-requests/h-77", headers: other, status: 404, code: "not_found"},
		{name: "help status unknown", method: "GET", path: "/v1/help-requests/nope", status: 404, code: "not_found"},

		{name: "stats for a tool", method: "GET", path: "/v1/stats?from=2026-11-23&to=2026-11-23", headers: tool, status: 200},
		{name: "stats by default", method: "GET", path: "/v1/stats", headers: tool, status: 200},
		{name: "stats to before from", method: "GET", path: "/v1/stats?from=2026-11-23&to=2026-11-01", headers: tool, status: 422, code: "invalid"},
		{name: "stats over 400 days", method: "GET", path: "/v1/stats?from=2024-01-01&to=2026-11-23", headers: tool, status: 422, code: "invalid"},
		{name: "stats not a date", method: "GET", path: "/v1/stats?from=gisteren", headers: tool, status: 400, code: "bad_request", request: breaks},
		{name: "stats with a device token", method: "GET", path: "/v1/stats", status: 401, code: "unauthorized"},

		{name: "staff sign-in wrong password", method: "POST", path: "/v1/staff/sessions", body: `{"name":"an","password":"nee"}`, status: 401, code: "unauthorized"},
		{name: "staff sign-in locked", method: "POST", path: "/v1/staff/sessions", body: `{"name":"locked","password":"x"}`, status: 429, code: "rate_limited"},
		{name: "staff sign-in role without rights", method: "POST", path: "/v1/staff/sessions", body: `{"name":"cas","password":"geheim-cas"}`, status: 403, code: "forbidden"},
		{name: "staff sign-in without device", method: "POST", path: "/v1/staff/sessions", body: `{"name":"an","password":"geheim-an"}`, headers: noToken, status: 401, code: "unauthorized", request: breaks},
		{name: "help queue with a device token", method: "GET", path: "/v1/staff/help-requests", status: 401, code: "unauthorized"},
		{name: "help queue for a tool", method: "GET", path: "/v1/staff/help-requests", headers: tool, status: 200},
	} {
		t.Run(ex.name, func(t *testing.T) { s.check(t, gw, ex) })
	}

	// Each visit counted once per kiosk, across resends.
	visits, _ := f.store.Visits(monday, monday.Add(24*time.Hour))
	if len(visits) != 4 {
		t.Errorf("stored %d visits, want 4 (2 per kiosk)", len(visits))
	}

	// Staff sign in at a kiosk and take the call; the kiosk sees it.
	sign := func(name string) string {
		w := call(gw, "POST", "/v1/staff/sessions", `{"name":"`+name+`","password":"geheim-`+name+`"}`, "Bearer "+deviceToken)
		var sess api.StaffSession
		if err := json.Unmarshal(w.Body.Bytes(), &sess); w.Code != http.StatusCreated || err != nil {
			t.Fatalf("sign-in %s: %d %s", name, w.Code, w.Body)
		}
		return "Bearer " + sess.Token
	}
	f.clock.Add(DefaultLimits.HelpEvery * time.Duration(DefaultLimits.HelpBurst)) // the kiosk's sign-in budget refills
	an, mo := sign("an"), sign("mo")
	s.check(t, gw, exchange{name: "help queue for support", method: "GET", path: "/v1/staff/help-requests", headers: []string{"Authorization", an}, status: 200})
	s.check(t, gw, exchange{name: "help queue for management", method: "GET", path: "/v1/staff/help-requests", headers: []string{"Authorization", mo}, status: 403, code: "forbidden"})
	s.check(t, gw, exchange{name: "stats for support", method: "GET", path: "/v1/stats", headers: []string{"Authorization", an}, status: 403, code: "forbidden"})
	s.check(t, gw, exchange{name: "stats for management", method: "GET", path: "/v1/stats?from=2026-11-23&to=2026-11-23", headers: []string{"Authorization", mo}, status: 200})

	var q api.HelpQueue
	w := call(gw, "GET", "/v1/staff/help-requests", "", an)
	json.Unmarshal(w.Body.Bytes(), &q)
	if len(q.HelpRequests) != 1 || q.HelpRequests[0].Location != "Stadskantoor" || q.HelpRequests[0].Device != "stadskantoor-1" {
		t.Fatalf("queue: %s", w.Body)
	}
	id := q.HelpRequests[0].ID
	s.check(t, gw, exchange{name: "take the call", method: "POST", path: "/v1/staff/help-requests/" + id, body: `{"state":"on-the-way"}`, headers: []string{"Authorization", an}, status: 204})
	s.check(t, gw, exchange{name: "unknown state", method: "POST", path: "/v1/staff/help-requests/" + id, body: `{"state":"lunch"}`, headers: []string{"Authorization", an}, status: 422, code: "invalid", request: breaksBody})
	var st api.HelpStatus
	w = call(gw, "GET", "/v1/help-requests/h-77", "", "Bearer "+deviceToken)
	json.Unmarshal(w.Body.Bytes(), &st)
	if st.State != "on-the-way" || strings.Contains(w.Body.String(), "an") && strings.Contains(w.Body.String(), "support") {
		t.Errorf("the kiosk sees %s", w.Body)
	}

	// The figures over both kiosks.
	var r stats.Report
	w = call(gw, "GET", "/v1/stats?from=2026-11-23&to=2026-11-23", "", "Bearer "+staffToken)
	if err := json.Unmarshal(w.Body.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	if r.Visits != 4 {
		t.Errorf("stats count %d visits, want 4: %s", r.Visits, w.Body)
	}

	// A session unused for longer than StaffIdle has ended.
	f.clock.Add(StaffIdle + time.Second)
	if w := call(gw, "GET", "/v1/staff/help-requests", "", an); w.Code != http.StatusUnauthorized {
		t.Errorf("an idle session still answers %d", w.Code)
	}
}

// call sends one request with the given Authorization header.
func call(gw *Gateway, method, path, body, auth string) *httptest.ResponseRecorder {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	req.Header.Set("Authorization", auth)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	w := httptest.NewRecorder()
	gw.ServeHTTP(w, req)
	return w
}
