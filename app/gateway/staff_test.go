package gateway

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/api"
	"github.com/digitalebalie/balie/app/city"
	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/store"
)

const staffToken = "test-staff-token-0123456789"

// Staff see the e-mails and SMS that could not be sent, by booking code and
// without the address; a kiosk's token does not open this.
func TestStaffSeeFailedNotices(t *testing.T) {
	f := newFixture(t)
	st, err := store.Open(store.Options{
		Path:     filepath.Join(t.TempDir(), "notices.db"),
		Services: city.MustLoad("gent").Services(),
		Now:      f.clock.Now,
		Notices:  true,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	f.gw = New(Options{Store: st, Devices: map[string]string{deviceToken: "stadskantoor-1"},
		Staff: map[string]string{staffToken: "onthaal"}, Now: f.clock.Now})

	var booked api.Appointment
	decode(t, f.call("POST", "/v1/appointments", bookingBody(f.firstSlot(t).Start)), http.StatusCreated, &booked)
	pending, err := st.Notices(domain.NoticePending)
	if err != nil || len(pending) != 2 { // the e-mail, and the SMS as the call opens (the day before has passed)
		t.Fatalf("pending notices %+v, %v", pending, err)
	}
	mail := pending[0]
	if _, _, err := st.StartAttempt(mail.ID, f.clock.Now(), func(int) time.Duration { return time.Minute }); err != nil {
		t.Fatal(err)
	}
	if err := st.FinishAttempt(mail.ID, f.clock.Now(), domain.NoticeFailed, "smtp 550 on RCPT: recipient refused"); err != nil {
		t.Fatal(err)
	}

	staff := []string{"Authorization", "Bearer " + staffToken}
	var list api.Notices
	w := f.call("GET", "/v1/staff/notices", "", staff...)
	decode(t, w, http.StatusOK, &list)
	if len(list.Notices) != 1 || list.Notices[0].Kind != "confirm-email" || list.Notices[0].Code != booked.Code ||
		list.Notices[0].Attempts != 1 || !strings.Contains(list.Notices[0].LastError, "550") {
		t.Fatalf("failed notices: %+v", list)
	}
	if strings.Contains(w.Body.String(), "amina") || strings.Contains(w.Body.String(), "470") {
		t.Fatalf("the staff list shows contact details: %s", w.Body)
	}
	decode(t, f.call("GET", "/v1/staff/notices?state=pending", "", staff...), http.StatusOK, &list)
	if len(list.Notices) != 1 || list.Notices[0].Kind != "sms-soon" {
		t.Fatalf("pending notices: %+v", list)
	}

	for name, tc := range map[string]struct {
		path    string
		headers []string
		want    int
	}{
		"device token":  {"/v1/staff/notices", nil, http.StatusUnauthorized},
		"no token":      {"/v1/staff/notices", []string{"Authorization", ""}, http.StatusUnauthorized},
		"unknown state": {"/v1/staff/notices?state=lost", staff, http.StatusBadRequest},
	} {
		if w := f.call("GET", tc.path, "", tc.headers...); w.Code != tc.want {
			t.Errorf("%s: status %d, want %d", name, w.Code, tc.want)
		}
	}
}
