package kiosk_test

import (
	"context"
	"image/png"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/digitalebalie/balie/app/backoffice"
	"github.com/digitalebalie/balie/app/city"
	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/gateway"
	"github.com/digitalebalie/balie/app/gatewayclient"
	"github.com/digitalebalie/balie/app/kiosk"
	"github.com/digitalebalie/balie/app/store"
)

// helpDesk is a kiosk in gateway mode beside a support worker's kiosk in
// staff mode, both on one gateway: the round trip of a call for help.
type helpDesk struct {
	h       *harness
	st      *store.Store
	staff   *gatewayclient.Client // the staff-mode kiosk's client
	session gatewayclient.StaffSession
	kept    []domain.HelpRequest
	down    bool // the gateway answers nothing
}

func newHelpDesk(t *testing.T) *helpDesk {
	const visitorToken, staffKioskToken = "kiosk-help-visitor-0000000000", "kiosk-help-staff-00000000000"
	d := &helpDesk{}
	var gw http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d.down {
			http.Error(w, "down", http.StatusBadGateway)
			return
		}
		gw.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	d.h = newHarness(t, func(c *kiosk.Config) {
		c.Backend = gatewayclient.New(gatewayclient.Options{BaseURL: srv.URL, DeviceToken: visitorToken, Retries: -1})
		c.Practice = false
		c.Location = "Stadskantoor, zuil 2"
		c.HelpLine = city.HelpLine{Hours: "08:00-19:00"}
		c.KeepHelp = func(r domain.HelpRequest) error { d.kept = append(d.kept, r); return nil }
	})
	st, err := store.Open(store.Options{Path: filepath.Join(t.TempDir(), "gateway.db"), Services: city.MustLoad("gent").Services(), Now: d.h.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	d.st = st
	gw = gateway.New(gateway.Options{
		Store: st, Now: d.h.clock.Now,
		Devices: map[string]string{visitorToken: "zuil-2", staffKioskToken: "zuil-5"},
		StaffSignIn: func(_ context.Context, name, password string) (gateway.StaffGrant, error) {
			if name != "an" || password != "juist wachtwoord" {
				return gateway.StaffGrant{}, gateway.ErrWrongCredentials
			}
			return gateway.StaffGrant{Who: "support:an", Name: "an", Help: true}, nil
		},
	})
	d.staff = gatewayclient.New(gatewayclient.Options{BaseURL: srv.URL, DeviceToken: staffKioskToken})
	return d
}

// shot saves what the visitor sees when BALIE_KIOSK_SHOTS names a folder,
// for people to look at the screens a practice tour cannot reach.
func (d *helpDesk) shot(t *testing.T, name string) {
	dir := os.Getenv("BALIE_KIOSK_SHOTS")
	if dir == "" {
		return
	}
	d.h.resize(fyne.NewSize(1280, 720))
	os.MkdirAll(dir, 0o755)
	f, err := os.Create(filepath.Join(dir, name+".png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	png.Encode(f, d.h.win.Canvas().Capture())
}

// callStaff is a visitor in lang asking for help from the home screen.
func (d *helpDesk) callStaff(t *testing.T, lang string) {
	d.h.tap(languageName(t, lang))
	d.h.tap(d.h.T(lang, "HomeHelp", nil))
	d.h.tap(d.h.T(lang, "HelpCallStaff", nil))
	d.h.run.Flush()
}

// wait lets the kiosk's clock run on by d, a second at a time, as the
// kiosk's ticker does, and runs the calls it starts.
func (d *helpDesk) wait(d2 time.Duration) {
	for range int(d2 / time.Second) {
		d.h.clock.Advance(time.Second)
		d.h.k.Tick()
		d.h.run.Flush()
	}
}

// A visitor calls for help; a support worker signs in on another kiosk's
// staff mode, sees the call with where and in which language, and takes
// it: within one poll the visitor reads that someone is on the way, in
// Dutch and in their own language. The visitor is not timed out while
// waiting.
func TestHelpRoundTripShowsSomeoneOnTheWay(t *testing.T) {
	d := newHelpDesk(t)
	h := d.h
	d.callStaff(t, "ar")
	h.mustShow(h.T("ar", "HelpWaiting", nil))
	h.mustShow(h.T("nl", "HelpWaiting", nil))
	h.mustNotShow(h.T("ar", "HelpCallStaff", nil))
	d.shot(t, "help-waiting-ar")

	ctx := t.Context()
	if _, err := d.staff.StaffSignIn(ctx, "an", "fout"); domain.CodeOf(err) != domain.ENotFound {
		t.Fatalf("a wrong password signs in: %v", err)
	}
	sess, err := d.staff.StaffSignIn(ctx, "an", "juist wachtwoord")
	if err != nil {
		t.Fatal(err)
	}
	queue, err := d.staff.HelpQueue(ctx, sess)
	if err != nil || len(queue) != 1 {
		t.Fatalf("queue %+v, %v", queue, err)
	}
	call := queue[0]
	if call.Location != "Stadskantoor, zuil 2" || call.Language != "ar" || call.Device != "zuil-2" || call.Screen != "home" {
		t.Errorf("the call reads %+v", call)
	}

	d.wait(95 * time.Second) // past the idle timeout: a waiting visitor is not wiped
	h.mustShow(h.T("ar", "HelpWaiting", nil))
	if err := d.staff.SetHelpState(ctx, sess, call.ID, domain.HelpOnTheWay); err != nil {
		t.Fatal(err)
	}
	d.wait(10 * time.Second) // one poll
	h.mustShow(h.T("ar", "HelpOnTheWay", nil))
	h.mustShow(h.T("nl", "HelpOnTheWay", nil))
	h.mustNotShow(h.T("ar", "HelpWaiting", nil))
	d.shot(t, "help-on-the-way-ar")
	d.wait(3 * time.Minute)
	if text := strings.Join(h.texts(), "\n"); strings.Contains(text, "19:00") { // someone is coming: no help line's hours
		t.Errorf("the help line's hours show while someone is on the way:\n%s", text)
	}

	// The gateway also tells the staff's back office who took it.
	list, _ := d.st.HelpQueue()
	if len(list) != 1 || list[0].TakenBy != "support:an" {
		t.Errorf("the queue says %+v", list)
	}
}

// Nobody takes the call: after three minutes the visitor reads Gentinfo's
// number and when it answers, in their own language.
func TestHelpNobodyCameOffersTheHelpLine(t *testing.T) {
	d := newHelpDesk(t)
	h := d.h
	d.callStaff(t, "tr")
	d.wait(2*time.Minute + 50*time.Second)
	h.mustShow(h.T("tr", "HelpWaiting", nil))
	d.wait(15 * time.Second)
	h.mustNotShow(h.T("tr", "HelpWaiting", nil))
	d.shot(t, "help-nobody-tr")
	text := strings.Join(h.texts(), "\n")
	if !strings.Contains(text, gentHelpPhone) || !strings.Contains(text, "08:00") || !strings.Contains(text, "19:00") {
		t.Errorf("after 3 minutes the screen shows:\n%s", text)
	}
}

// The gateway cannot be reached: the call is kept for later, and the
// visitor reads so and what to do meanwhile.
func TestHelpOfflineIsKeptAndSaysSo(t *testing.T) {
	d := newHelpDesk(t)
	d.down = true
	d.callStaff(t, "uk")
	d.h.mustShow(d.h.T("uk", "HelpKept", nil))
	d.shot(t, "help-kept-uk")
	if len(d.kept) != 1 || d.kept[0].Ref == "" || d.kept[0].Language != "uk" || d.kept[0].Location != "Stadskantoor, zuil 2" {
		t.Fatalf("kept %+v", d.kept)
	}
}

// A poll still under way when the visitor leaves does not reach the next
// visitor's screen.
func TestLateHelpStateDoesNotReachTheNextVisitor(t *testing.T) {
	d := newHelpDesk(t)
	h := d.h
	d.callStaff(t, "fr")
	queue, _ := d.st.HelpQueue()
	if err := d.st.SetHelpState(queue[0].ID, domain.HelpOnTheWay, "support:an"); err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(11 * time.Second)
	h.k.Tick() // the poll starts and is held
	h.startOver("fr")
	h.tap(languageName(t, "nl"))
	h.tap(h.T("nl", "HomeHelp", nil))
	h.run.Flush() // the old poll's answer lands now
	h.mustNotShow(h.T("nl", "HelpOnTheWay", nil))
	h.mustShow(h.T("nl", "HelpCallStaff", nil))
}

// The same round trip through the back office's "Hulpvragen" page: a
// support worker signs in in a browser, sees the call with the kiosk's
// location and the visitor's language, presses "Ik kom eraan", and the
// visitor reads that someone is on the way.
func TestHelpRoundTripThroughTheBackOffice(t *testing.T) {
	d := newHelpDesk(t)
	h := d.h
	hash, err := backoffice.HashPassword("een lang wachtwoord")
	if err != nil {
		t.Fatal(err)
	}
	if err := d.st.PutStaff(store.StaffAccount{Name: "an", Role: "support", Hash: hash}, "test"); err != nil {
		t.Fatal(err)
	}
	bo, err := backoffice.New(backoffice.Options{Store: d.st, Now: h.clock.Now, Insecure: true})
	if err != nil {
		t.Fatal(err)
	}
	office := httptest.NewServer(bo)
	defer office.Close()
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	get := func(path string) string {
		res, err := browser.Get(office.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}

	d.callStaff(t, "ar")
	if _, err := browser.PostForm(office.URL+"/staff/signin", url.Values{"name": {"an"}, "password": {"een lang wachtwoord"}}); err != nil {
		t.Fatal(err)
	}
	page := get("/staff/help")
	for _, want := range []string{"Stadskantoor, zuil 2", "Arabisch", "Ik kom eraan"} {
		if !strings.Contains(page, want) {
			t.Fatalf("the help page lacks %q", want)
		}
	}
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)
	id := regexp.MustCompile(`name="id" value="([^"]+)"`).FindStringSubmatch(page)
	if csrf == nil || id == nil {
		t.Fatal("no form on the help page")
	}
	res, err := browser.PostForm(office.URL+"/staff/help", url.Values{"csrf": {csrf[1]}, "id": {id[1]}, "state": {"on-the-way"}})
	if err != nil || res.StatusCode >= 400 {
		t.Fatalf("Ik kom eraan: %v %v", res.StatusCode, err)
	}
	d.wait(10 * time.Second)
	h.mustShow(h.T("ar", "HelpOnTheWay", nil))
	if page := get("/staff/help"); !strings.Contains(page, "support:an komt eraan") {
		t.Errorf("the help page does not say who is on the way")
	}
}
