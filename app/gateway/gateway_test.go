package gateway

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/api"
	"github.com/digitalebalie/balie/app/domain"
)

func TestDeviceTokenIsRequired(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		name, auth string
		want       int
	}{
		{"no header", "", http.StatusUnauthorized},
		{"unknown token", "Bearer nope", http.StatusUnauthorized},
		{"not bearer", "Basic " + deviceToken, http.StatusUnauthorized},
		{"known token", "Bearer " + deviceToken, http.StatusOK},
		{"scheme in lower case", "bearer " + deviceToken, http.StatusOK},
	} {
		w := f.call("GET", "/v1/services", "", "Authorization", tc.auth)
		if w.Code != tc.want {
			t.Errorf("%s: status %d, want %d", tc.name, w.Code, tc.want)
		}
		if tc.want == http.StatusUnauthorized && errorCode(t, w) != api.CodeUnauthorized {
			t.Errorf("%s: body %s", tc.name, w.Body)
		}
	}
	// Health and the API description need no token: load balancers and
	// developers read them.
	for _, path := range []string{"/v1/health", "/v1/openapi.json"} {
		if w := f.call("GET", path, "", "Authorization", ""); w.Code != http.StatusOK {
			t.Errorf("%s: %d", path, w.Code)
		}
	}
}

func TestServicesInOneLanguageWithDutch(t *testing.T) {
	f := newFixture(t)
	var list api.ServiceList
	decode(t, f.call("GET", "/v1/services?lang=fr", ""), http.StatusOK, &list)
	if len(list.Services) != 9 {
		t.Fatalf("%d services, want 9", len(list.Services))
	}
	energy := list.Services[0]
	if energy.ID != "energie" || energy.Name["fr"] == "" || energy.Name["nl"] == "" || energy.Name["en"] != "" {
		t.Errorf("energie names = %v, want fr and nl only", energy.Name)
	}
	if energy.DurationMinutes != 45 || !energy.ByVideo || len(energy.Prepare) == 0 {
		t.Errorf("energie = %+v", energy)
	}
	decode(t, f.call("GET", "/v1/services", ""), http.StatusOK, &list)
	if list.Services[0].Name["en"] == "" {
		t.Errorf("without lang, every language: %v", list.Services[0].Name)
	}
}

func TestSlotsCarryTheBrusselsOffset(t *testing.T) {
	f := newFixture(t)
	w := f.call("GET", "/v1/services/energie/slots?from=2026-11-24&days=1", "")
	var raw struct {
		Slots []struct{ Start, End string }
	}
	decode(t, w, http.StatusOK, &raw)
	if len(raw.Slots) == 0 || raw.Slots[0].Start != "2026-11-24T09:00:00+01:00" {
		t.Fatalf("slots = %+v", raw.Slots)
	}
	// Summer time in spring carries +02:00.
	f.clock.Add(24 * 7 * 19 * time.Hour)
	decode(t, f.call("GET", "/v1/services/energie/slots?days=7", ""), http.StatusOK, &raw)
	if len(raw.Slots) == 0 || !strings.HasSuffix(raw.Slots[0].Start, "+02:00") {
		t.Fatalf("in April: %+v", raw.Slots[:1])
	}
}

// A listing never shows a slot that booking would refuse as too far ahead.
func TestSlotsStopAtTheBookingHorizon(t *testing.T) {
	f := newFixture(t)
	from := monday.AddDate(0, 0, 50).Format(time.DateOnly)
	var list api.SlotList
	decode(t, f.call("GET", "/v1/services/energie/slots?days=60&from="+from, ""), http.StatusOK, &list)
	if len(list.Slots) == 0 {
		t.Fatal("no slots")
	}
	last := list.Slots[len(list.Slots)-1]
	w := f.call("POST", "/v1/appointments", bookingBody(last.Start))
	if w.Code != http.StatusCreated {
		t.Fatalf("the last listed slot (%s) cannot be booked: %d %s", last.Start, w.Code, w.Body)
	}
}

func TestSlotQueriesAreChecked(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		query string
		want  int
		field string
	}{
		{"/v1/services/energie/slots?days=0", 422, "days"},
		{"/v1/services/energie/slots?days=61", 422, "days"},
		{"/v1/services/energie/slots?days=seven", 400, "days"}, // unreadable: 400; readable but refused: 422
		{"/v1/services/energie/slots?from=24-11-2026", 400, "from"},
		{"/v1/services/energie/slots?from=1999-01-01", 422, "from"},
		{"/v1/services/energie/slots?from=2099-01-01", 422, "from"},
		{"/v1/services/nope/slots", 404, ""},
		{"/v1/services/burgerzaken/slots", 404, ""}, // not by video
		{"/v1/services?lang=" + strings.Repeat("x", 17), 422, "lang"},
	} {
		w := f.call("GET", tc.query, "")
		if w.Code != tc.want {
			t.Errorf("%s: %d, want %d (%s)", tc.query, w.Code, tc.want, w.Body)
			continue
		}
		var body api.ErrorBody
		json.Unmarshal(w.Body.Bytes(), &body)
		if tc.field != "" && body.Error.Fields[tc.field] == "" {
			t.Errorf("%s: fields %v, want %s", tc.query, body.Error.Fields, tc.field)
		}
	}
}

func TestBookFindCancel(t *testing.T) {
	f := newFixture(t)
	slot := f.firstSlot(t)

	w := f.call("POST", "/v1/appointments", bookingBody(slot.Start), api.HeaderIdempotency, "key-1")
	var appt api.Appointment
	decode(t, w, http.StatusCreated, &appt)
	if appt.Code == "" || len(appt.Token) < 22 || !appt.Start.Equal(slot.Start) || appt.JoinURL == "" ||
		appt.PhoneURL != "https://balie.example/a/"+appt.Token {
		t.Fatalf("booked %+v", appt)
	}
	if strings.Contains(w.Body.String(), "amina") {
		t.Errorf("the answer carries contact details: %s", w.Body)
	}

	// The kiosk retries after a lost answer: the same booking comes back.
	var again api.Appointment
	decode(t, f.call("POST", "/v1/appointments", bookingBody(slot.Start), api.HeaderIdempotency, "key-1"), http.StatusCreated, &again)
	if again.Code != appt.Code {
		t.Fatalf("repeat booked again: %s then %s", appt.Code, again.Code)
	}
	if n, _ := f.store.CountAppointments(); n != 1 {
		t.Fatalf("%d appointments after a repeat, want 1", n)
	}

	var found api.Appointment
	decode(t, f.call("GET", "/v1/appointments/"+strings.ToLower(appt.Code)+"?check=AMINA@example.be", ""), http.StatusOK, &found)
	decode(t, f.call("GET", "/v1/appointments/"+appt.Code+"?check=3456", ""), http.StatusOK, &found)
	if found.Code != appt.Code || found.Cancelled {
		t.Fatalf("found %+v", found)
	}

	// A wrong check and an unknown code look exactly alike.
	wrongCheck := f.call("GET", "/v1/appointments/"+appt.Code+"?check=0000", "")
	unknown := f.call("GET", "/v1/appointments/AAA-AAA?check=3456", "")
	if wrongCheck.Code != 404 || unknown.Code != 404 || wrongCheck.Body.String() != unknown.Body.String() {
		t.Fatalf("wrong check %d %s, unknown code %d %s", wrongCheck.Code, wrongCheck.Body, unknown.Code, unknown.Body)
	}

	if w := f.call("POST", "/v1/appointments/"+appt.Code+"/cancel", `{"check":"0000"}`); w.Code != 404 {
		t.Fatalf("cancel with a wrong check: %d", w.Code)
	}
	if w := f.call("POST", "/v1/appointments/"+appt.Code+"/cancel", `{"check":"amina@example.be"}`); w.Code != http.StatusNoContent {
		t.Fatalf("cancel: %d %s", w.Code, w.Body)
	}
	var list api.SlotList
	decode(t, f.call("GET", "/v1/services/energie/slots?days=3", ""), http.StatusOK, &list)
	if !slices.ContainsFunc(list.Slots, func(s api.Slot) bool { return s.Start.Equal(slot.Start) }) {
		t.Fatal("the cancelled slot is not free again")
	}
	f.clock.Add(time.Hour) // past the code's lookup limit
	decode(t, f.call("GET", "/v1/appointments/"+appt.Code+"?check=3456", ""), http.StatusOK, &found)
	if !found.Cancelled {
		t.Fatal("not cancelled")
	}
}

// Every kind of bad input gets a clear 4xx, never a 500.
func TestBadBookingRequests(t *testing.T) {
	f := newFixture(t)
	slot := f.firstSlot(t)
	good := bookingBody(slot.Start)
	with := func(old, new string) string { return strings.Replace(good, old, new, 1) }
	for _, tc := range []struct {
		name    string
		body    string
		headers []string
		status  int
		code    string
		field   string
	}{
		{"empty body", "", nil, 400, "bad_request", ""},
		{"malformed JSON", `{"serviceId":`, nil, 400, "bad_request", ""},
		{"not an object", `[1,2,3]`, nil, 400, "bad_request", ""},
		{"wrong type", with(`"interpreter":false`, `"interpreter":"yes"`), nil, 400, "bad_request", "interpreter"},
		{"number as service", with(`"serviceId":"energie"`, `"serviceId":7`), nil, 400, "bad_request", "serviceId"},
		{"unknown field", with(`{`, `{"admin":true,`), nil, 400, "bad_request", "admin"},
		{"two values", good + good, nil, 400, "bad_request", ""},
		{"time without offset", with(slot.Start.Format(time.RFC3339), "2026-11-24T09:00:00"), nil, 400, "bad_request", ""},
		{"huge body", with(`"Amina Benali"`, `"`+strings.Repeat("A", 20000)+`"`), nil, 413, "too_large", ""},
		{"not JSON content", good, []string{"Content-Type", "text/plain"}, 415, "bad_request", ""},
		{"no idempotency key", good, []string{api.HeaderIdempotency, ""}, 400, "bad_request", api.HeaderIdempotency},
		{"idempotency key too long", good, []string{api.HeaderIdempotency, strings.Repeat("k", 129)}, 400, "bad_request", api.HeaderIdempotency},
		{"invalid e-mail", with("amina@example.be", "amina@@example"), nil, 422, "invalid", "email"},
		{"invalid phone", with("0470 12 34 56", "12345"), nil, 422, "invalid", "phone"},
		{"landline", with("0470 12 34 56", "09 234 56 78"), nil, 422, "invalid", "phone"},
		{"no name", with("Amina Benali", ""), nil, 422, "invalid", "name"},
		{"unknown service", with(`"energie"`, `"ruimtevaart"`), nil, 422, "invalid", "serviceId"},
		{"not by video", with(`"energie"`, `"burgerzaken"`), nil, 422, "invalid", "serviceId"},
		{"far past", with(slot.Start.Format(time.RFC3339), "1999-01-04T10:00:00+01:00"), nil, 422, "invalid", "start"},
		{"far future", with(slot.Start.Format(time.RFC3339), "2099-01-05T10:00:00+01:00"), nil, 422, "invalid", "start"},
		{"not a slot", with(slot.Start.Format(time.RFC3339), slot.Start.Add(7*time.Minute).Format(time.RFC3339)), nil, 422, "invalid", "start"},
	} {
		w := f.call("POST", "/v1/appointments", tc.body, tc.headers...)
		if w.Code != tc.status {
			t.Errorf("%s: status %d, want %d (%s)", tc.name, w.Code, tc.status, w.Body)
			continue
		}
		if got := errorCode(t, w); got != tc.code {
			t.Errorf("%s: code %q, want %q", tc.name, got, tc.code)
		}
		var body api.ErrorBody
		json.Unmarshal(w.Body.Bytes(), &body)
		if tc.field != "" && body.Error.Fields[tc.field] == "" {
			t.Errorf("%s: fields %v, want one for %s", tc.name, body.Error.Fields, tc.field)
		}
		if strings.Contains(body.Error.Message, "amina") || strings.Contains(body.Error.Message, "AAAA") {
			t.Errorf("%s: the message echoes the input: %s", tc.name, body.Error.Message)
		}
	}
	if n, _ := f.store.CountAppointments(); n != 0 {
		t.Errorf("bad requests booked %d appointments", n)
	}
}

func TestUnknownRoutesAndMethods(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		method, path string
		want         int
	}{
		{"GET", "/v1/nothing", 404},
		{"DELETE", "/v1/appointments/AAA-AAA", 405},
		{"PUT", "/v1/services", 405},
	} {
		w := f.call(tc.method, tc.path, "")
		if w.Code != tc.want {
			t.Errorf("%s %s: %d, want %d", tc.method, tc.path, w.Code, tc.want)
		}
	}
}

// 200 kiosks booking one slot at once over real connections: exactly one
// wins, the others hear slot_taken, and the store holds one appointment.
func TestConcurrentBookingsOfOneSlot(t *testing.T) {
	f := newFixture(t)
	srv := httptest.NewServer(f.gw)
	defer srv.Close()
	slot := f.firstSlot(t)
	body := bookingBody(slot.Start)

	const clients = 200
	statuses := make([]int, clients)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("POST", srv.URL+"/v1/appointments", strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+deviceToken)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set(api.HeaderIdempotency, fmt.Sprintf("client-%d", i))
			<-start
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		}()
	}
	close(start)
	wg.Wait()
	count := map[int]int{}
	for _, s := range statuses {
		count[s]++
	}
	if count[201] != 1 || count[409] != clients-1 {
		t.Fatalf("statuses %v, want one 201 and %d 409", count, clients-1)
	}
	if n, _ := f.store.CountAppointments(); n != 1 {
		t.Fatalf("store holds %d appointments, want 1", n)
	}
}

func TestLookupsAreRateLimited(t *testing.T) {
	f := newFixture(t)
	// The device's own budget: ten codes at once, then one per 6 s.
	for i := range DefaultLimits.DeviceBurst {
		if w := f.call("GET", fmt.Sprintf("/v1/appointments/AAA-A%02d?check=1", 30+i), ""); w.Code == http.StatusTooManyRequests {
			t.Fatalf("device try %d limited", i)
		}
	}
	w := f.call("GET", "/v1/appointments/CCC-CCC?check=1", "")
	if w.Code != http.StatusTooManyRequests || errorCode(t, w) != "rate_limited" || w.Header().Get("Retry-After") != "6" {
		t.Fatalf("device over budget: %d Retry-After=%q", w.Code, w.Header().Get("Retry-After"))
	}
	if w := f.call("POST", "/v1/appointments/CCC-CCC/cancel", `{"check":"3456"}`); w.Code != http.StatusTooManyRequests {
		t.Fatalf("cancel is not limited: %d", w.Code)
	}
	// Another kiosk has its own budget.
	if w := f.call("GET", "/v1/appointments/CCC-CCC?check=1", "", "Authorization", "Bearer "+otherDeviceToken); w.Code != http.StatusNotFound {
		t.Fatalf("the other kiosk: %d", w.Code)
	}
	f.clock.Add(DefaultLimits.DeviceEvery)
	if w := f.call("GET", "/v1/appointments/CCC-CCC?check=1", ""); w.Code != http.StatusNotFound {
		t.Fatalf("after waiting: %d", w.Code)
	}
}

// Someone who knows a code cannot keep its owner out. Wrong checks from
// many kiosks lock only the short check (the last four digits), for good;
// the full e-mail address or mobile number still opens and cancels it, at
// once, at any kiosk.
func TestStrangerCannotLockTheOwnerOut(t *testing.T) {
	f := newFixture(t)
	var appt api.Appointment
	decode(t, f.call("POST", "/v1/appointments", bookingBody(f.firstSlot(t).Start)), http.StatusCreated, &appt)
	for i := range 2 * domain.ShortCheckTries {
		token := []string{deviceToken, otherDeviceToken}[i%2]
		if w := f.call("GET", fmt.Sprintf("/v1/appointments/%s?check=%04d", appt.Code, 1000+i), "", "Authorization", "Bearer "+token); w.Code != http.StatusNotFound {
			t.Fatalf("wrong check %d: %d", i, w.Code)
		}
	}
	if w := f.call("GET", "/v1/appointments/"+appt.Code+"?check=3456", "", "Authorization", "Bearer "+otherDeviceToken); w.Code != http.StatusNotFound {
		t.Fatalf("the last four digits after %d wrong checks: %d, want 404", 2*domain.ShortCheckTries, w.Code)
	}
	if w := f.call("GET", "/v1/appointments/"+appt.Code+"?check="+url.QueryEscape("0470 12 34 56"), "", "Authorization", "Bearer "+otherDeviceToken); w.Code != http.StatusOK {
		t.Fatalf("the full mobile number: %d %s", w.Code, w.Body)
	}
	if w := f.call("POST", "/v1/appointments/"+appt.Code+"/cancel", `{"check":"amina@example.be"}`, "Authorization", "Bearer "+otherDeviceToken); w.Code != http.StatusNoContent {
		t.Fatalf("cancel with the full address: %d %s", w.Code, w.Body)
	}
}

// 400,000 lookups of random codes from one leaked token, nearly all over
// its budget, keep the limiter to a bucket per kiosk.
func TestRejectedLookupsKeepNoState(t *testing.T) {
	f := newFixture(t)
	for i := range 400_000 {
		f.gw.limiter.allow("lookup|stadskantoor-1", f.gw.limits.lookups())
		if i%50_000 == 0 {
			f.clock.Add(time.Second)
		}
	}
	if n := f.gw.limiter.size(); n != 1 {
		t.Fatalf("%d buckets after 400,000 lookups by one kiosk, want 1", n)
	}
}

func TestLimiterForgetsIdleBucketsAndStaysBounded(t *testing.T) {
	clk := &clock{t: monday}
	l := newLimiter(Limits{DeviceEvery: time.Second, DeviceBurst: 10, MaxBuckets: 100}, clk.Now)
	r := rule{time.Second, 10}
	for i := range 1000 {
		l.allow(fmt.Sprint("kiosk-", i), r)
		clk.Add(time.Second)
	}
	if n := l.size(); n > 100 {
		t.Fatalf("%d buckets, want at most 100", n)
	}
	clk.Add(time.Hour)
	l.allow("kiosk-last", r)
	if n := l.size(); n != 1 {
		t.Fatalf("%d buckets kept after an idle hour, want 1", n)
	}
	// A full limiter refuses new keys rather than grow.
	for i := range 200 {
		l.allow(fmt.Sprint("new-", i), r)
	}
	if ok, wait := l.allow("one-too-many", r); ok || wait <= 0 {
		t.Fatalf("a full limiter allowed a new key: %v %v", ok, wait)
	}
	// A bucket in use survives rotation with its count.
	busy := rule{time.Hour, 1}
	clk.Add(time.Hour)
	if ok, _ := l.allow("busy", busy); !ok {
		t.Fatal("first try refused")
	}
	for range 3 {
		clk.Add(l.forget / 2)
		if ok, _ := l.allow("busy", busy); ok {
			t.Fatal("a bucket in use was forgotten and refilled")
		}
	}
}

func TestHelpAndFeedbackAreLimitedPerKiosk(t *testing.T) {
	f := newFixture(t)
	for i := range DefaultLimits.HelpBurst {
		if w := f.call("POST", "/v1/help-requests", `{"language":"ar","screen":"contact"}`); w.Code != http.StatusAccepted {
			t.Fatalf("help %d: %d", i, w.Code)
		}
	}
	w := f.call("POST", "/v1/help-requests", `{"language":"ar","screen":"contact"}`)
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "120" {
		t.Fatalf("help over budget: %d Retry-After=%q", w.Code, w.Header().Get("Retry-After"))
	}
	for i := range DefaultLimits.FeedbackBurst {
		if w := f.call("POST", "/v1/feedback", `{"language":"tr","rating":4}`); w.Code != http.StatusAccepted {
			t.Fatalf("feedback %d: %d", i, w.Code)
		}
	}
	if w := f.call("POST", "/v1/feedback", `{"language":"tr","rating":4}`); w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "30" {
		t.Fatalf("feedback over budget: %d Retry-After=%q", w.Code, w.Header().Get("Retry-After"))
	}
	help, _ := f.store.HelpRequests(t.Context())
	fb, _ := f.store.FeedbackList(t.Context())
	if len(help) != DefaultLimits.HelpBurst || len(fb) != DefaultLimits.FeedbackBurst {
		t.Fatalf("kept %d help requests and %d ratings", len(help), len(fb))
	}
}

// Every request line names the kiosk or staff member that made it, so abuse
// of a leaked token can be traced.
func TestRequestLogNamesTheDevice(t *testing.T) {
	f := newFixture(t)
	f.call("GET", "/v1/services", "")
	f.call("GET", "/v1/services", "", "Authorization", "Bearer wrong")
	lines := strings.Split(strings.TrimSpace(f.logs.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "device=stadskantoor-1") || !strings.Contains(lines[1], `device=""`) {
		t.Fatalf("request log:\n%s", f.logs)
	}
}

func TestHelpAndFeedback(t *testing.T) {
	f := newFixture(t)
	var acc api.Accepted
	decode(t, f.call("POST", "/v1/help-requests", `{"language":"ar","screen":"contact"}`), http.StatusAccepted, &acc)
	if acc.ID == "" || !strings.Contains(f.logs.String(), "help requested") || !strings.Contains(f.logs.String(), "stadskantoor-1") {
		t.Fatalf("help: %+v; log %s", acc, f.logs)
	}
	decode(t, f.call("POST", "/v1/feedback", `{"language":"tr","rating":4,"serviceId":"energie"}`), http.StatusAccepted, &acc)
	for _, tc := range []struct{ path, body string }{
		{"/v1/feedback", `{"language":"tr","rating":9}`},
		{"/v1/feedback", `{"rating":3}`},
		{"/v1/help-requests", `{"language":"nl","screen":"` + strings.Repeat("s", 40) + `"}`},
	} {
		if w := f.call("POST", tc.path, tc.body); w.Code != 422 {
			t.Errorf("%s %s: %d", tc.path, tc.body, w.Code)
		}
	}
	help, _ := f.store.HelpRequests(t.Context())
	fb, _ := f.store.FeedbackList(t.Context())
	if len(help) != 1 || help[0].Device != "stadskantoor-1" || len(fb) != 1 || fb[0].Rating != 4 {
		t.Fatalf("kept help %+v feedback %+v", help, fb)
	}
}

// The operator's log shows routes, statuses and devices, never who booked,
// nor the code, the token or the check.
func TestLogsCarryNoPersonalData(t *testing.T) {
	f := newFixture(t)
	slot := f.firstSlot(t)
	var appt api.Appointment
	decode(t, f.call("POST", "/v1/appointments", bookingBody(slot.Start)), http.StatusCreated, &appt)
	f.call("GET", "/v1/appointments/"+appt.Code+"?check=amina@example.be", "")
	f.call("POST", "/v1/appointments/"+appt.Code+"/cancel", `{"check":"3456"}`)
	f.call("POST", "/v1/appointments", strings.Replace(bookingBody(slot.Start), "amina@example.be", "amina@@x", 1))
	logs := f.logs.String()
	if !strings.Contains(logs, "POST /v1/appointments") {
		t.Fatalf("no request lines: %s", logs)
	}
	for _, secret := range []string{"Amina", "amina", "3456", "+32470", appt.Code, appt.Token, deviceToken} {
		if strings.Contains(logs, secret) {
			t.Errorf("log contains %q:\n%s", secret, logs)
		}
	}
}
