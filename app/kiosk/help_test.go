package kiosk_test

import (
	"testing"

	"github.com/digitalebalie/balie/app/domain"
)

// The help screen calls staff through the backend; a failure says so in the
// visitor's language and the button stays for another try.
func TestCallStaffFromTheHelpScreen(t *testing.T) {
	h := newHarness(t)
	h.backend.err = domain.Errorf(domain.EOffline, "no route to host")
	h.backend.failHelp = 1

	h.tap(languageName(t, "fr"))
	h.tap(h.T("fr", "HomeHelp", nil))
	h.mustShow(h.T("fr", "HelpStaff", nil))
	h.mustShow(gentHelpPhone)
	h.assertTall()

	h.tap(h.T("fr", "HelpCallStaff", nil))
	h.run.Flush()
	h.mustShow(h.T("fr", "ErrorOffline", nil))
	if got, _ := h.store.HelpRequests(t.Context()); len(got) != 0 {
		t.Fatalf("help requests after a failure: %v", got)
	}

	h.tap(h.T("fr", "HelpCallStaff", nil))
	h.run.Flush()
	// Practice mode: the call goes to nobody, and the screen says so
	// rather than promise someone.
	h.mustShow(h.T("fr", "HelpPractice", nil))
	h.mustNotShow(h.T("fr", "HelpWaiting", nil))
	h.mustNotShow(h.T("fr", "HelpCallStaff", nil))
	h.mustNotShow(h.T("fr", "ErrorOffline", nil))
	got, _ := h.store.HelpRequests(t.Context())
	if len(got) != 1 || got[0].Language != "fr" || got[0].Screen != "home" {
		t.Fatalf("help requests %+v, want one in fr from home", got)
	}

	// Start over forgets the call: the next visitor gets the button again.
	h.startOver("fr")
	h.tap(languageName(t, "nl"))
	h.tap(h.T("nl", "HomeHelp", nil))
	h.mustShow(h.T("nl", "HelpCallStaff", nil))
}
