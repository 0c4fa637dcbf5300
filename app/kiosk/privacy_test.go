package kiosk_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/city"
	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/gateway"
	"github.com/digitalebalie/balie/app/gatewayclient"
	"github.com/digitalebalie/balie/app/kiosk"
	"github.com/digitalebalie/balie/app/outbox"
	"github.com/digitalebalie/balie/app/scrub"
	"github.com/digitalebalie/balie/app/store"
)

// Visitors book with their e-mail address and mobile number, type both
// and their booking code into the suggestion, and call for help. Then
// every stored visit record, help request and suggestion, at the gateway
// and on the kiosk's disk, is scanned for anything that looks like an
// e-mail address, a phone number or a booking code: there must be none.
func TestNothingPersonalInFiguresHelpOrSuggestions(t *testing.T) {
	const token = "privacy-scan-device-token-0000"
	var gw http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { gw.ServeHTTP(w, r) }))
	defer srv.Close()
	client := gatewayclient.New(gatewayclient.Options{BaseURL: srv.URL, DeviceToken: token})
	box, err := outbox.Open(filepath.Join(t.TempDir(), "outbox"), outbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, func(c *kiosk.Config) {
		c.Backend, c.Practice, c.Feedback, c.Location = client, false, true, "Stadskantoor"
		c.RecordVisit = func(v domain.Visit) {
			data, _ := json.Marshal(v)
			if err := box.Add("visit", v.ID, data); err != nil {
				t.Error(err)
			}
		}
	})
	st, err := store.Open(store.Options{Path: filepath.Join(t.TempDir(), "gw.db"), Services: city.MustLoad("gent").Services(), Now: h.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	gw = gateway.New(gateway.Options{Store: st, Devices: map[string]string{token: "zuil-1"}, Now: h.clock.Now})

	for _, v := range []struct{ lang, name, email, phone string }{
		{"nl", "Joris Peeters", "joris.peeters@example.be", "0470 12 34 56"},
		{"ar", "أمينة بنعلي", "amina@example.be", "+32 486 11 22 33"},
	} {
		h.toContact(v.lang)
		h.fill(0, v.name)
		h.fill(1, v.email)
		h.fill(2, v.phone)
		h.tap(h.T(v.lang, "ContactContinue", nil))
		h.tap(h.T(v.lang, "ConfirmBook", nil))
		h.run.Flush()
		code := h.k.Session().Booked.Code
		h.tap(h.T(v.lang, "DoneFinish", nil))
		h.tap(h.T(v.lang, "FeedbackFace2", nil))
		h.fill(0, "Te veel stappen. Bel me: "+v.phone+", mail "+v.email+" of "+strings.ReplaceAll(v.email, "@", " at ")+", code "+strings.ToLower(code))
		h.tap(h.T(v.lang, "FeedbackSend", nil))
		h.run.Flush()
		h.clock.Advance(time.Minute)
	}
	h.tap(languageName(t, "tr"))
	h.tap(h.T("tr", "HomeHelp", nil))
	h.tap(h.T("tr", "HelpCallStaff", nil))
	h.run.Flush()
	h.k.StartOver()

	// The kiosk's disk, then the gateway's store.
	var stored []string
	files, _ := filepath.Glob(filepath.Join(box.Dir(), "*", "*"))
	for _, f := range files {
		data, _ := os.ReadFile(f)
		stored = append(stored, withoutIDs(t, data))
	}
	if len(files) != 3 {
		t.Errorf("%d visit records on the kiosk's disk, want 3", len(files))
	}
	if _, err := box.Flush(context.Background(), "visit", 50, func(ctx context.Context, items []outbox.Item) error {
		var vs []domain.Visit
		for _, it := range items {
			var v domain.Visit
			json.Unmarshal(it.Payload, &v)
			vs = append(vs, v)
		}
		return client.RecordVisits(ctx, vs)
	}); err != nil {
		t.Fatal(err)
	}
	visits, _ := st.Visits(time.Unix(0, 0), h.clock.Now().Add(time.Hour))
	helps, _ := st.HelpRequests(context.Background())
	feedback, _ := st.FeedbackList(context.Background())
	if len(visits) != 3 || len(helps) != 1 || len(feedback) != 2 {
		t.Fatalf("stored %d visits, %d help requests, %d suggestions", len(visits), len(helps), len(feedback))
	}
	for _, v := range visits {
		stored = append(stored, jsonWithoutIDs(t, v))
	}
	for _, r := range helps {
		stored = append(stored, jsonWithoutIDs(t, r))
	}
	for _, f := range feedback {
		if f.Suggestion == "" {
			t.Errorf("a suggestion was lost whole: %+v", f)
		}
		stored = append(stored, jsonWithoutIDs(t, f))
	}
	for _, s := range stored {
		if found := scrub.Findings(s); len(found) > 0 {
			t.Errorf("stored record holds %v:\n%s", found, s)
		}
	}
}

func jsonWithoutIDs(t *testing.T, v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return withoutIDs(t, data)
}

// withoutIDs drops the random ids a kiosk or the store made (hex or
// base64, never typed by anyone), which would read as long numbers.
func withoutIDs(t *testing.T, data []byte) string {
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if p, ok := m["payload"].(string); ok { // the outbox's own file around the record
		var raw []byte
		json.Unmarshal([]byte(`"`+p+`"`), &raw)
		return withoutIDs(t, raw)
	}
	for _, k := range []string{"ID", "Ref", "id"} {
		delete(m, k)
	}
	for k, v := range m {
		if v == "0001-01-01T00:00:00Z" { // a time not set, which would read as a number
			delete(m, k)
		}
	}
	out, _ := json.Marshal(m)
	return string(out)
}
