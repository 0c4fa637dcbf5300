package phonepage

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// An older SMS in Arabic, Dari or Pashto wrapped its link in direction
// isolates, and the phone took the closing U+2069 into the link: the page
// opened /a/{token}%E2%81%A9. Marks and whitespace around the token, sent
// percent-encoded or not, still open the appointment, and its links lead
// to the clean token.
func TestTokenIgnoresDirectionMarksAndSpaces(t *testing.T) {
	f := newFixture(t)
	a := f.book(t, "ar")
	for _, tt := range []struct{ name, before, after string }{
		{"pop directional isolate, as phones send it", "", "%E2%81%A9"},
		{"left-to-right isolate before", "%E2%81%A6", "%E2%81%A9"},
		{"first strong isolate", "%E2%81%A8", ""},
		{"right-to-left isolate", "%E2%81%A7", ""},
		{"left-to-right mark", "", "%E2%80%8E"},
		{"right-to-left mark", "%E2%80%8F", "%E2%80%8F"},
		{"embedding and pop", "%E2%80%AA", "%E2%80%AC"},
		{"override", "%E2%80%AD", "%E2%80%AE"},
		{"Arabic letter mark", "", "%D8%9C"},
		{"spaces and a new line", "%20", "%20%0A"},
		{"no-break space", "", "%C2%A0"},
		{"several marks", "", "%E2%80%8E%E2%81%A9%20"},
		{"a raw mark, not encoded", "", "\u2069"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := f.get(t, "/a/"+tt.before+a.Token+tt.after)
			if r.status != http.StatusOK || !strings.Contains(r.body, a.Code) {
				t.Fatalf("status %d, code shown %v", r.status, strings.Contains(r.body, a.Code))
			}
			if !strings.Contains(r.body, `href="`+a.Token+`/calendar.ics?lang=ar"`) || !strings.Contains(r.body, `href="`+a.Token+`/cancel?lang=ar"`) {
				t.Error("the page's links do not use the clean token")
			}
			cal := f.get(t, "/a/"+tt.before+a.Token+tt.after+"/calendar.ics")
			if cal.status != http.StatusOK || !strings.HasPrefix(cal.body, "BEGIN:VCALENDAR") {
				t.Errorf("calendar.ics: status %d", cal.status)
			}
		})
	}

	// The cancel form, opened through a marked link, still cancels: its
	// field is signed for the clean token.
	target := "/a/" + a.Token + "%E2%81%A9/cancel"
	r := f.get(t, target)
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(r.body)
	if r.status != http.StatusOK || csrf == nil {
		t.Fatalf("cancel page: status %d", r.status)
	}
	r = f.do(t, http.MethodPost, target, url.Values{"csrf": {csrf[1]}}, map[string]string{"Sec-Fetch-Site": "same-origin"})
	if r.status != http.StatusOK {
		t.Fatalf("cancel: status %d", r.status)
	}
	if got, err := f.store.FindByToken(t.Context(), a.Token); err != nil || !got.Cancelled {
		t.Errorf("not cancelled: %+v %v", got.Cancelled, err)
	}
}

// Trimming never makes a token of what is not one: marks alone, marks
// inside the token, or a token cut short stay not found.
func TestTokenTrimmingKeepsUnknownTokensUnknown(t *testing.T) {
	f := newFixture(t)
	a := f.book(t, "nl")
	for _, target := range []string{
		"/a/%E2%81%A9",
		"/a/%20%20",
		"/a/" + a.Token[:20] + "%E2%81%A9" + a.Token[20:],
		"/a/" + a.Token[:42] + "%E2%81%A9",
		"/a/" + a.Token + "x%E2%81%A9",
	} {
		if r := f.get(t, target); r.status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", target, r.status)
		}
	}
	if got := cleanToken(" \u200e\u2066" + a.Token + "\u2069\u202c\u00a0\t"); got != a.Token {
		t.Errorf("cleanToken: %q", got)
	}
}
