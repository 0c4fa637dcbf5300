package main

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/city"
	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/gateway"
	"github.com/digitalebalie/balie/app/gatewayclient"
	"github.com/digitalebalie/balie/app/outbox"
	"github.com/digitalebalie/balie/app/store"
)

// flakyGateway is a real gateway behind a switch: down answers nothing,
// and lose makes the next successful answers vanish on the way back (the
// gateway did the work, the kiosk never heard).
type flakyGateway struct {
	st         *store.Store
	down       atomic.Bool
	lose       atomic.Int32
	srv        *httptest.Server
	deviceName string
}

func newFlakyGateway(t *testing.T, token string) *flakyGateway {
	st, err := store.Open(store.Options{Path: filepath.Join(t.TempDir(), "gw.db"), Services: city.MustLoad("gent").Services()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &flakyGateway{st: st}
	gw := gateway.New(gateway.Options{Store: st, Devices: map[string]string{token: "zuil-1"}})
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f.down.Load() {
			http.Error(w, "down", http.StatusBadGateway)
			return
		}
		if f.lose.Load() > 0 {
			f.lose.Add(-1)
			gw.ServeHTTP(httptest.NewRecorder(), r)
			http.Error(w, "lost", http.StatusGatewayTimeout)
			return
		}
		gw.ServeHTTP(w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func kioskFigures(t *testing.T, dir, url, token string, now ...func() time.Time) *figures {
	opts := outbox.Options{Log: slog.New(slog.DiscardHandler)}
	if len(now) > 0 {
		opts.Now = now[0]
	}
	box, err := outbox.Open(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	client := gatewayclient.New(gatewayclient.Options{BaseURL: url, DeviceToken: token, Retries: -1})
	return newFigures(box, client, slog.New(slog.DiscardHandler))
}

// Visit records made while the gateway is down wait on the kiosk's disk,
// survive a restart of the kiosk, and reach the gateway once it is back,
// each counted once: even a batch whose answer was lost on the way back is
// sent again and not counted twice.
func TestVisitsBufferedAcrossARestartCountOnce(t *testing.T) {
	const token = "figures-test-device-token-000"
	gw := newFlakyGateway(t, token)
	dir := filepath.Join(t.TempDir(), "outbox")
	ctx := context.Background()
	start := time.Date(2026, 11, 30, 10, 0, 0, 0, domain.Brussels)

	gw.down.Store(true)
	f := kioskFigures(t, dir, gw.srv.URL, token)
	for i, o := range []domain.VisitOutcome{domain.VisitBooked, domain.VisitAbandoned, domain.VisitHelp} {
		f.recordVisit(domain.Visit{ID: newVisitIDForTest(i), Start: start.Add(time.Duration(i) * time.Minute), Duration: time.Minute,
			Language: "nl", Outcome: o, LastScreen: "done"})
	}
	f.flush(ctx)
	if n := visitsIn(t, gw.st); n != 0 {
		t.Fatalf("a down gateway counted %d visits", n)
	}

	// The kiosk restarts; the gateway is back, but the first answer is lost.
	f = kioskFigures(t, dir, gw.srv.URL, token)
	gw.down.Store(false)
	gw.lose.Store(1)
	f.flush(ctx)
	if n := visitsIn(t, gw.st); n != 3 {
		t.Fatalf("after a lost answer the gateway holds %d visits, want 3 (it did the work)", n)
	}
	if left, _ := f.box.Pending(kindVisit); len(left) != 3 {
		t.Fatalf("the kiosk dropped records whose answer it never got: %d left", len(left))
	}
	f.recordVisit(domain.Visit{ID: newVisitIDForTest(9), Start: start.Add(time.Hour), Duration: time.Minute, Language: "ar", Outcome: domain.VisitJoined})
	f.flush(ctx)
	if n := visitsIn(t, gw.st); n != 4 {
		t.Errorf("after the resend the gateway holds %d visits, want 4: nothing counted twice", n)
	}
	if left, _ := f.box.Pending(kindVisit); len(left) != 0 {
		t.Errorf("%d records still wait", len(left))
	}
}

// A call for staff kept while the gateway was down goes once it is back;
// one older than half an hour is dropped: that visitor has gone.
func TestKeptHelpIsSentUnlessStale(t *testing.T) {
	const token = "figures-test-device-token-001"
	gw := newFlakyGateway(t, token)
	clock := time.Now()
	now := func() time.Time { return clock }
	f := kioskFigures(t, filepath.Join(t.TempDir(), "outbox"), gw.srv.URL, token, now)
	f.now = now
	if err := f.keepHelp(domain.HelpRequest{Ref: "old-call", Language: "fr", Screen: "contact"}); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(31 * time.Minute)
	if err := f.keepHelp(domain.HelpRequest{Ref: "new-call", Language: "ar", Screen: "home", Location: "Zuid"}); err != nil {
		t.Fatal(err)
	}
	f.flush(context.Background())
	queue, _ := gw.st.HelpQueue()
	if len(queue) != 1 || queue[0].Ref != "new-call" || queue[0].Location != "Zuid" {
		t.Fatalf("queue %+v, want only the new call", queue)
	}
	if left, _ := f.box.Pending(kindHelp); len(left) != 0 {
		t.Errorf("%d calls still wait", len(left))
	}
}

func visitsIn(t *testing.T, st *store.Store) int {
	vs, err := st.Visits(time.Unix(0, 0), time.Now().AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	return len(vs)
}

func newVisitIDForTest(i int) string { return "visit-" + string(rune('a'+i)) }
