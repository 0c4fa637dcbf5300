package gateway

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/api"
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
		{"/v1/services/energie/slots?days=seven", 422, "days"},
		{"/v1/services/energie/slots?from=24-11-2026", 422, "from"},
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
		{"landline", with("0470 12 34 56", "09 210 10 10"), nil, 422, "invalid", "phone"},
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
	slot := f.firstSlot(t)
	var appt api.Appointment
	decode(t, f.call("POST", "/v1/appointments", bookingBody(slot.Start)), http.StatusCreated, &appt)

	// Five wrong checks on one code, then the code is locked for a while,
	// even with the right check.
	for i := range DefaultLimits.CodeBurst {
		if w := f.call("GET", "/v1/appointments/"+appt.Code+"?check=000"+fmt.Sprint(i), ""); w.Code != 404 {
			t.Fatalf("try %d: %d", i, w.Code)
		}
	}
	w := f.call("GET", "/v1/appointments/"+appt.Code+"?check=3456", "")
	if w.Code != http.StatusTooManyRequests || errorCode(t, w) != "rate_limited" || w.Header().Get("Retry-After") != "180" {
		t.Fatalf("sixth try: %d %s Retry-After=%q", w.Code, w.Body, w.Header().Get("Retry-After"))
	}
	if w := f.call("POST", "/v1/appointments/"+appt.Code+"/cancel", `{"check":"3456"}`); w.Code != http.StatusTooManyRequests {
		t.Fatalf("cancel is not limited: %d", w.Code)
	}
	f.clock.Add(DefaultLimits.CodeEvery)
	if w := f.call("GET", "/v1/appointments/"+appt.Code+"?check=3456", ""); w.Code != http.StatusOK {
		t.Fatalf("after waiting: %d", w.Code)
	}

	// The device's own budget: ten codes at once, then one per 6 s.
	f.clock.Add(time.Hour)
	for i := range DefaultLimits.DeviceBurst {
		if w := f.call("GET", fmt.Sprintf("/v1/appointments/AAA-A%02d?check=1", 30+i), ""); w.Code == http.StatusTooManyRequests {
			t.Fatalf("device try %d limited", i)
		}
	}
	if w := f.call("GET", "/v1/appointments/CCC-CCC?check=1", ""); w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "6" {
		t.Fatalf("device over budget: %d Retry-After=%q", w.Code, w.Header().Get("Retry-After"))
	}
}

func TestLimiterForgetsIdleBuckets(t *testing.T) {
	clk := &clock{t: monday}
	l := newLookupLimiter(DefaultLimits, clk.Now)
	for i := range 1000 {
		l.allow("kiosk", fmt.Sprint("code-", i))
		clk.Add(10 * time.Second)
	}
	clk.Add(time.Hour)
	l.allow("kiosk", "last")
	if n := l.size(); n != 2 {
		t.Fatalf("%d buckets kept after an idle hour, want 2", n)
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
