package gatewayclient_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/gatewayclient"
)

// A kiosk that lost its network keeps showing the catalogue, even after a
// restart (from its disk), and says it is offline; a slot listing it never
// had is not made up. (Reusing a recent listing is in the kiosk's
// TestBrowsingOffline.)
func TestOfflineCache(t *testing.T) {
	lb := newLoopback(t, roomy)
	file := filepath.Join(t.TempDir(), "catalogue.json")
	client := func() *gatewayclient.Client {
		return gatewayclient.New(gatewayclient.Options{BaseURL: lb.url, DeviceToken: loopbackToken, CatalogueFile: file,
			Retries: -1, SlotsFor: time.Minute})
	}
	ctx := context.Background()
	c := client()
	services, err := c.Services(ctx)
	if err != nil || len(services) == 0 {
		t.Fatal(services, err)
	}
	slots, err := c.Slots(ctx, "energie", monday, 5)
	if err != nil || len(slots) == 0 {
		t.Fatal(err)
	}
	if c.Offline() {
		t.Error("offline after answers")
	}

	// The gateway is gone: nothing listens on its address any more.
	gone := httptest.NewServer(http.NotFoundHandler())
	goneURL := gone.URL
	gone.Close()
	offline := gatewayclient.New(gatewayclient.Options{BaseURL: goneURL, DeviceToken: loopbackToken, CatalogueFile: file, Retries: -1})
	got, err := offline.Services(ctx) // a restarted kiosk: only the disk knows the catalogue
	if err != nil || len(got) != len(services) || got[0].ID != services[0].ID || got[0].Name.In("ar") != services[0].Name.In("ar") {
		t.Fatalf("catalogue from disk: %d services, %v", len(got), err)
	}
	if !offline.Offline() {
		t.Error("a kiosk without a path to the gateway does not say it is offline")
	}
	if _, err := offline.Slots(ctx, "energie", monday, 5); domain.CodeOf(err) != domain.EOffline {
		t.Errorf("slots never listed by this kiosk: %v", err)
	}
}
