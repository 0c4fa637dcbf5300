package domain

import (
	"cmp"
	"encoding/base64"
	"strings"
	"testing"
	"time"
)

func TestNewCodeUsesOnlyUnambiguousCharacters(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 2000; i++ {
		c := NewCode()
		if len(c) != 7 || c[3] != '-' {
			t.Fatalf("code %q is not XXX-XXX", c)
		}
		for _, r := range strings.ReplaceAll(c, "-", "") {
			if !strings.ContainsRune(CodeAlphabet, r) {
				t.Fatalf("code %q has %q outside the alphabet", c, r)
			}
		}
		seen[c] = true
	}
	if len(seen) < 1990 {
		t.Fatalf("only %d distinct codes in 2000", len(seen))
	}
	for _, r := range "0O1IL" {
		if strings.ContainsRune(CodeAlphabet, r) {
			t.Errorf("alphabet has ambiguous %q", r)
		}
	}
}

func TestNormalizeCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"k7m-4pq", "K7M-4PQ"},
		{" K7M 4PQ ", "K7M-4PQ"},
		{"k7m4pq", "K7M-4PQ"},
		{"K7M-4P", ""},
		{"K7M-4PQX", ""},
		{"K0M-4PQ", ""}, // 0 is never in a code
		{"", ""},
	}
	for _, tt := range tests {
		if got := NormalizeCode(tt.in); got != tt.want {
			t.Errorf("NormalizeCode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNewTokenHasAtLeast128Bits(t *testing.T) {
	a, b := NewToken(), NewToken()
	raw, err := base64.RawURLEncoding.DecodeString(a)
	if err != nil {
		t.Fatal(err)
	}
	if len(raw)*8 < 128 {
		t.Fatalf("token has %d bits", len(raw)*8)
	}
	if a == b {
		t.Fatal("two tokens are equal")
	}
}

func TestMatchesCheck(t *testing.T) {
	a := Appointment{Contact: Contact{Name: "An", Email: "An@Example.be", Phone: "+32470123456"}}
	emailOnly := Appointment{Contact: Contact{Name: "An", Email: "an@example.be"}}
	tests := []struct {
		name         string
		appt         Appointment
		check        string
		shortAllowed bool
		want         bool
	}{
		{"email any case", a, "an@example.BE", true, true},
		{"last four digits", a, "3456", true, true},
		{"last four with space", a, " 34 56 ", true, true},
		{"wrong digits", a, "3457", true, false},
		{"whole number as written", a, "0470 12 34 56", true, true},
		{"whole number international", a, "+32 470 12 34 56", true, true},
		{"another whole number", a, "0470 12 34 57", true, false},
		{"empty", a, "", true, false},
		{"name is not a check", a, "An", true, false},
		{"digits without phone", emailOnly, "3456", true, false},
		// After ShortCheckTries wrong checks: only the full forms.
		{"last four, locked", a, "3456", false, false},
		{"whole number, locked", a, "0470123456", false, true},
		{"email, locked", a, "an@example.be", false, true},
	}
	for _, tt := range tests {
		if got := tt.appt.MatchesCheck(tt.check, tt.shortAllowed); got != tt.want {
			t.Errorf("%s: MatchesCheck(%q, %v) = %v, want %v", tt.name, tt.check, tt.shortAllowed, got, tt.want)
		}
	}
}

func TestIsShortCheck(t *testing.T) {
	for check, want := range map[string]bool{"3456": true, " 34 56 ": true, "0470123456": false, "an@example.be": false, "345": false, "": false} {
		if got := IsShortCheck(check); got != want {
			t.Errorf("IsShortCheck(%q) = %v, want %v", check, got, want)
		}
	}
}

func TestCanJoin(t *testing.T) {
	start := time.Date(2026, 12, 1, 10, 0, 0, 0, Brussels)
	a := Appointment{Start: start, End: start.Add(30 * time.Minute)}
	tests := []struct {
		at   time.Time
		want bool
	}{
		{start.Add(-16 * time.Minute), false},
		{start.Add(-15 * time.Minute), true},
		{start, true},
		{start.Add(29 * time.Minute), true},
		{start.Add(30 * time.Minute), false},
	}
	for _, tt := range tests {
		if got := a.CanJoin(tt.at); got != tt.want {
			t.Errorf("CanJoin(%v) = %v, want %v", tt.at, got, tt.want)
		}
	}
	a.Cancelled = true
	if a.CanJoin(start) {
		t.Error("a cancelled appointment can be joined")
	}
}

func TestValidateBooking(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, Brussels)
	services := []Service{{ID: "energie", ByVideo: true}, {ID: "burgerzaken", ByVideo: false}}
	ok := BookingRequest{ServiceID: "energie", Start: now.Add(24 * time.Hour), Contact: Contact{Name: "An", Phone: "0470123456"}}
	tests := []struct {
		name   string
		mutate func(*BookingRequest)
		fields map[string]FieldReason
	}{
		{"valid", func(*BookingRequest) {}, nil},
		{"unknown service", func(r *BookingRequest) { r.ServiceID = "nope" }, map[string]FieldReason{"serviceId": ReasonUnknown}},
		{"not by video", func(r *BookingRequest) { r.ServiceID = "burgerzaken" }, map[string]FieldReason{"serviceId": ReasonUnknown}},
		{"in the past", func(r *BookingRequest) { r.Start = now.Add(-time.Hour) }, map[string]FieldReason{"start": ReasonOutOfRange}},
		{"far future", func(r *BookingRequest) { r.Start = now.AddDate(1, 0, 0) }, map[string]FieldReason{"start": ReasonOutOfRange}},
		{"no start", func(r *BookingRequest) { r.Start = time.Time{} }, map[string]FieldReason{"start": ReasonRequired}},
		{"bad contact", func(r *BookingRequest) { r.Contact.Phone = "12" }, map[string]FieldReason{FieldPhone: ReasonInvalidPhone}},
		{"offered language", func(r *BookingRequest) { r.Language = "fr" }, nil},
		{"language not offered", func(r *BookingRequest) { r.Language = `"><svg onload=1>` }, map[string]FieldReason{"language": ReasonNotOffered}},
		{"language too long", func(r *BookingRequest) { r.Language = "fr-FR-x-very-long-tag" }, map[string]FieldReason{"language": ReasonTooLong}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := ok
			tt.mutate(&req)
			got, err := ValidateBooking(req, services, []string{"nl", "fr"}, now)
			if tt.fields == nil {
				if err != nil {
					t.Fatal(err)
				}
				if got.Contact.Phone != "+32470123456" || got.Language != cmp.Or(req.Language, ReferenceLanguage) {
					t.Fatalf("not normalised: %+v", got)
				}
				return
			}
			for f, r := range tt.fields {
				if FieldsOf(err)[f] != r {
					t.Fatalf("fields = %v, want %v", FieldsOf(err), tt.fields)
				}
			}
		})
	}
}

func TestGroupByDay(t *testing.T) {
	d1 := time.Date(2026, 11, 24, 9, 0, 0, 0, Brussels)
	d2 := time.Date(2026, 11, 25, 9, 0, 0, 0, Brussels)
	days := GroupByDay([]Slot{{Start: d1}, {Start: d1.Add(time.Hour)}, {Start: d2}}, Brussels)
	if len(days) != 2 || len(days[0].Slots) != 2 || len(days[1].Slots) != 1 {
		t.Fatalf("got %+v", days)
	}
}

// The day-before reminder keeps the time of day in Brussels: 23 hours before
// a Sunday appointment the day summer time begins, 25 when it ends.
func TestDayBefore(t *testing.T) {
	for _, tc := range []struct {
		start time.Time
		hours float64
	}{
		{time.Date(2026, 3, 29, 9, 30, 0, 0, Brussels), 23},
		{time.Date(2026, 10, 25, 9, 30, 0, 0, Brussels), 25},
		{time.Date(2026, 11, 30, 9, 30, 0, 0, Brussels), 24},
	} {
		got := DayBefore(tc.start)
		if h, m, _ := got.In(Brussels).Clock(); h != 9 || m != 30 || tc.start.Sub(got).Hours() != tc.hours {
			t.Errorf("DayBefore(%v) = %v: %v hours before", tc.start, got, tc.start.Sub(got).Hours())
		}
	}
}
