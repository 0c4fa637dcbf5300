package gatewayclient_test

// These tests run the client against the real balie-gateway handler over a
// real loopback listener, on a real embedded store in a temporary folder:
// the kiosk and the gateway must agree on more than the fixtures.

import (
	"context"
	"maps"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/city"
	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/gateway"
	"github.com/digitalebalie/balie/app/gatewayclient"
	"github.com/digitalebalie/balie/app/store"
)

const loopbackToken = "loopback-device-token-0123456789"

// monday 08:00 in Ghent, before the office opens.
var monday = time.Date(2026, 11, 23, 8, 0, 0, 0, domain.Brussels)

type loopback struct {
	store  *store.Store
	client *gatewayclient.Client
	url    string
}

func newLoopback(t *testing.T, limits gateway.Limits) *loopback {
	t.Helper()
	now := func() time.Time { return monday }
	st, err := store.Open(store.Options{
		Path:      filepath.Join(t.TempDir(), "gateway.db"),
		Services:  city.MustLoad("gent").Services(),
		Now:       now,
		PhoneBase: "https://balie.example",
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	gw := gateway.New(gateway.Options{
		Store:   st,
		Devices: map[string]string{loopbackToken: "stadskantoor-1"},
		Limits:  limits,
		Now:     now,
	})
	srv := httptest.NewServer(gw)
	t.Cleanup(srv.Close)
	return &loopback{store: st, url: srv.URL, client: gatewayclient.New(gatewayclient.Options{
		BaseURL: srv.URL, DeviceToken: loopbackToken, Timeout: 30 * time.Second,
	})}
}

// roomy lets one test look up one code more often than a guesser may.
var roomy = gateway.Limits{DeviceEvery: time.Second, DeviceBurst: 100, HelpEvery: time.Second, HelpBurst: 100, FeedbackEvery: time.Second, FeedbackBurst: 100, MaxBuckets: 100}

func TestLoopbackKioskJourney(t *testing.T) {
	lb := newLoopback(t, roomy)
	c := lb.client
	ctx := context.Background()

	if err := c.Health(ctx); err != nil {
		t.Fatal(err)
	}
	services, err := c.Services(ctx)
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := lb.store.Services(ctx)
	want, _ := domain.FindService(stored, "energie")
	energie, ok := domain.FindService(services, "energie")
	if !ok || len(services) != len(stored) || !maps.Equal(energie.Name, want.Name) || len(energie.Name) < 2 ||
		len(energie.Prepare) != len(want.Prepare) || energie.Duration != want.Duration {
		t.Fatalf("energie = %+v, want %+v in every language", energie, want)
	}

	slots, err := c.Slots(ctx, "energie", monday, 3)
	if err != nil || len(slots) < 2 {
		t.Fatalf("slots = %v, %v", slots, err)
	}
	for _, s := range slots {
		if s.ServiceID != "energie" || s.Start.Location() != domain.Brussels || !s.Start.After(monday) {
			t.Fatalf("slot %+v", s)
		}
	}
	if _, err := c.Slots(ctx, "no-such-service", monday, 3); domain.CodeOf(err) != domain.ENotFound {
		t.Errorf("slots of an unknown service: %v", err)
	}

	contact, err := domain.ValidateContact(domain.Contact{Name: "Amina Benali", Email: "amina@example.be", Phone: "0470 12 34 56"})
	if err != nil {
		t.Fatal(err)
	}
	req := domain.BookingRequest{ServiceID: "energie", Start: slots[0].Start, Language: "ar", Contact: contact, Interpreter: true}
	appt, err := c.Book(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if domain.NormalizeCode(appt.Code) != appt.Code || appt.Token == "" || !appt.Start.Equal(slots[0].Start) ||
		appt.JoinURL == "" || appt.PhoneURL != "https://balie.example/a/"+appt.Token || !appt.Interpreter || appt.Contact != contact {
		t.Fatalf("booked %+v", appt)
	}
	if _, err := c.Book(ctx, req); domain.CodeOf(err) != domain.ESlotTaken {
		t.Errorf("booking the same slot again: %v", err)
	}
	bad := req
	bad.Start = slots[1].Start
	bad.Contact.Phone = "+3292345678" // a landline gets no SMS
	if _, err := c.Book(ctx, bad); domain.FieldsOf(err)[domain.FieldPhone] != domain.ReasonNotMobile {
		t.Errorf("a landline: %v", err)
	}

	for _, check := range []string{"AMINA@example.be", "3456"} {
		found, err := c.Find(ctx, appt.Code, check)
		if err != nil || found.Code != appt.Code || found.Token != appt.Token || found.Cancelled {
			t.Fatalf("find with %q = %+v, %v", check, found, err)
		}
	}
	if _, err := c.Find(ctx, appt.Code, "9999"); domain.CodeOf(err) != domain.ENotFound {
		t.Errorf("find with a wrong check: %v", err)
	}

	if err := c.Cancel(ctx, appt.Code, "3456"); err != nil {
		t.Fatal(err)
	}
	if err := c.Cancel(ctx, appt.Code, "3456"); err != nil {
		t.Errorf("cancelling twice is not idempotent: %v", err)
	}
	if found, err := c.Find(ctx, appt.Code, "3456"); err != nil || !found.Cancelled {
		t.Errorf("after cancel: %+v, %v", found, err)
	}
	if _, err := c.Book(ctx, req); err != nil {
		t.Errorf("the cancelled slot is not free again: %v", err)
	}

	if err := c.RequestHelp(ctx, domain.HelpRequest{Language: "ar", Screen: "contact"}); err != nil {
		t.Fatal(err)
	}
	if err := c.SendFeedback(ctx, domain.Feedback{Language: "ar", ServiceID: "energie", Rating: 5}); err != nil {
		t.Fatal(err)
	}
	help, _ := lb.store.HelpRequests(ctx)
	feedback, _ := lb.store.FeedbackList(ctx)
	if len(help) != 1 || help[0].Device != "stadskantoor-1" || help[0].Screen != "contact" {
		t.Errorf("help requests = %+v", help)
	}
	if len(feedback) != 1 || feedback[0].Rating != 5 || feedback[0].Device != "stadskantoor-1" {
		t.Errorf("feedback = %+v", feedback)
	}
	if err := c.SendFeedback(ctx, domain.Feedback{Language: "ar", Rating: 7}); domain.CodeOf(err) != domain.EInvalid {
		t.Errorf("rating 7: %v", err)
	}
}

func TestLoopbackUnknownDeviceIsUnavailable(t *testing.T) {
	lb := newLoopback(t, gateway.Limits{})
	c := gatewayclient.New(gatewayclient.Options{BaseURL: lb.url, DeviceToken: "stolen-or-mistyped"})
	if _, err := c.Services(context.Background()); domain.CodeOf(err) != domain.EUnavailable {
		t.Fatalf("err = %v", err)
	}
}

func TestLoopbackLookupsAreRateLimitedWithoutRetry(t *testing.T) {
	lb := newLoopback(t, gateway.Limits{DeviceEvery: time.Hour, DeviceBurst: 3, MaxBuckets: 100})
	ctx := context.Background()
	for i := range 3 {
		if _, err := lb.client.Find(ctx, "K7M-4PQ", "3456"); domain.CodeOf(err) != domain.ENotFound {
			t.Fatalf("lookup %d: %v", i+1, err)
		}
	}
	start := time.Now()
	_, err := lb.client.Find(ctx, "K7M-4PQ", "3456")
	if domain.CodeOf(err) != domain.ERateLimited {
		t.Fatalf("fourth lookup: %v", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("the rate-limited answer took %v", took)
	}
}

func TestLoopback200ConcurrentBookingsOfOneSlot(t *testing.T) {
	lb := newLoopback(t, gateway.Limits{})
	ctx := context.Background()
	slots, err := lb.client.Slots(ctx, "energie", monday, 3)
	if err != nil || len(slots) == 0 {
		t.Fatalf("slots = %v, %v", slots, err)
	}
	req := domain.BookingRequest{ServiceID: "energie", Start: slots[0].Start, Language: "nl",
		Contact: domain.Contact{Name: "Jan", Email: "jan@example.be"}}

	const n = 200
	errs := make([]error, n)
	codes := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			appt, err := lb.client.Book(ctx, req)
			errs[i], codes[i] = err, appt.Code
		})
	}
	wg.Wait()

	var booked []string
	taken := 0
	for i, err := range errs {
		switch domain.CodeOf(err) {
		case "":
			booked = append(booked, codes[i])
		case domain.ESlotTaken:
			taken++
		default:
			t.Errorf("booking %d: %v", i, err)
		}
	}
	if len(booked) != 1 || taken != n-1 {
		t.Fatalf("%d booked (%v), %d slot taken; want 1 and %d", len(booked), booked, taken, n-1)
	}
	if _, err := lb.client.Find(ctx, booked[0], "jan@example.be"); err != nil {
		t.Errorf("the one booking is not found: %v", err)
	}
}
