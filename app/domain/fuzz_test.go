package domain

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// Fuzz targets for the validators the kiosk and the gateway share. Run one
// for longer with
//
//	go test ./app/domain -run '^$' -fuzz '^FuzzValidateContact$' -fuzztime 30s
//
// or all of them with bash .ci/fuzz.

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

// FuzzValidateContact: a contact that validates is normal, and validating
// it again gives it back unchanged; the number it shows the visitor
// (DisplayPhone), typed back, is the same number; what the visitor typed
// proves they own the booking. A refused contact is EInvalid with a known
// reason for name, email or phone, and comes back as it was given.
func FuzzValidateContact(f *testing.F) {
	for _, c := range [][3]string{
		{" An  Peeters ", "an@example.be", ""}, {"An", "", "0470 12 34 56"}, {"An", "", "+32 470/12.34.56"},
		{"Ali", "ali@mail.com", "0032499123456"}, {"An", "", "+31 6 12345678"}, {"An", "", "+1 201 555 0123"},
		{"An", "", "09 234 56 78"}, {"An\x00", "an@example.be", ""}, {"محمد", "", "٠٤٧٠١٢٣٤٥٦"}, {"An", "An <an@example.be>", ""},
		{"An", `"an"@example.be`, ""}, {"An", "an@[127.0.0.1]", ""}, {"An", "an@example.be.", ""}, {"An", " an@ex.be ", " 0470123456 "},
		{strings.Repeat("é", 101), "a@b.cd", ""}, {"An", "", "+32 470 12 34 56 ext. 9"}, {"An", "", "tel:+32470123456"},
		{"An\u2028Peeters", "a@b.cd", ""}, {"\u00a0An\u3000", "a@b.cd", ""}, {"An", "", "+882 12345678"},
	} {
		f.Add(c[0], c[1], c[2])
	}
	fieldNames := []string{FieldName, FieldEmail, FieldPhone}
	reasons := []FieldReason{ReasonRequired, ReasonTooLong, ReasonInvalidName, ReasonInvalidEmail, ReasonInvalidPhone, ReasonNotMobile, ReasonEmailOrPhone}
	f.Fuzz(func(t *testing.T, name, email, phone string) {
		in := Contact{Name: name, Email: email, Phone: phone}
		out, err := ValidateContact(in)
		if err != nil {
			fields := FieldsOf(err)
			if CodeOf(err) != EInvalid || len(fields) == 0 || out != in {
				t.Fatalf("%+v: %+v, %v", in, out, err)
			}
			for k, r := range fields {
				if !slices.Contains(fieldNames, k) || !slices.Contains(reasons, r) {
					t.Fatalf("%+v: field %q reason %q", in, k, r)
				}
			}
			return
		}
		if again, err := ValidateContact(out); err != nil || again != out {
			t.Fatalf("%+v validates to %+v, which validates to %+v, %v", in, out, again, err)
		}
		if out.Name != strings.Join(strings.Fields(out.Name), " ") ||
			out.Email != strings.TrimSpace(out.Email) || out.Email == "" && out.Phone == "" {
			t.Fatalf("%+v validates to %+v", in, out)
		}
		owner := Appointment{Contact: out}
		if out.Email != "" && !owner.MatchesCheck(in.Email, false) {
			t.Fatalf("%+v: the e-mail as typed does not match %+v", in, out)
		}
		if out.Phone == "" {
			return
		}
		if !e164.MatchString(out.Phone) {
			t.Fatalf("%+v: phone %q is not E.164", in, out.Phone)
		}
		if shown := DisplayPhone(out.Phone); !owner.MatchesCheck(shown, false) || !owner.MatchesCheck(in.Phone, false) {
			t.Fatalf("%+v: %q, shown as %q, does not match what was typed or shown", in, out.Phone, shown)
		}
	})
}

// FuzzNormalizeCode: whatever a visitor types, NormalizeCode gives "" or a
// code of the alphabet in the form "ABC-DEF", and normalising that again
// changes nothing, in upper or lower case.
func FuzzNormalizeCode(f *testing.F) {
	for _, s := range []string{
		"K7M-4PQ", "k7m4pq", " k7m 4pq ", "K.7.M-4.P.Q", "K7M\t4PQ", "K7M-4PQ-", "K7M-4P", "K7M-4PQX", "K0M-4PQ", "k7m–4pq",
		"", "---", "ＫＴＭ４ＰＱ", "\u212a7M-4PQ", "ǆ7M-4PQ", "K7M-4PQ\x00", "\xff\xfe", NewCode(), strings.Repeat("A", 1000),
	} {
		f.Add(s)
	}
	code := regexp.MustCompile(`^[` + CodeAlphabet + `]{3}-[` + CodeAlphabet + `]{3}$`)
	f.Fuzz(func(t *testing.T, s string) {
		c := NormalizeCode(s)
		if c == "" {
			return
		}
		if !code.MatchString(c) {
			t.Fatalf("NormalizeCode(%q) = %q", s, c)
		}
		for _, again := range []string{c, strings.ToLower(c), strings.ReplaceAll(c, "-", " ")} {
			if got := NormalizeCode(again); got != c {
				t.Fatalf("NormalizeCode(%q) = %q, but NormalizeCode(%q) = %q", s, c, again, got)
			}
		}
	})
}

// FuzzValidateBooking: a request that validates has a language, an
// offered service and a start in the booking window, and validating it
// again gives it back unchanged (the interpreter's language tag is already
// canonical, the contact already normal). A refused one is EInvalid with
// reasons for the request's own fields.
func FuzzValidateBooking(f *testing.F) {
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, Brussels)
	services := []Service{{ID: "energie", ByVideo: true, Duration: 45 * time.Minute}, {ID: "burgerzaken"}}
	languages := []string{"nl", "fr", "en", "ar", "tr"}
	type seed struct {
		service     string
		minutes     int64
		lang        string
		name, email string
		phone       string
		interpreter bool
		interpLang  string
	}
	for _, s := range []seed{
		{"energie", 60, "fr", "An", "an@example.be", "", false, ""},
		{"energie", 60, "", "An", "", "0470 12 34 56", true, ""},
		{"energie", 60, "ar", "An", "", "0470123456", true, "prs"},
		{"energie", 60, "nl", "An", "a@b.be", "", true, "zh-min-nan"},
		{"energie", 60, "nl", "An", "a@b.be", "", true, "i-klingon"},
		{"energie", 60, "nl", "An", "a@b.be", "", true, "EN-gb-OXENDICT"},
		{"energie", 60, "nl", "An", "a@b.be", "", true, "und"},
		{"energie", 60, "nl", "An", "a@b.be", "", true, "x-whatever"},
		{"energie", 60, "nl", "An", "a@b.be", "", true, "sgn-BE-FR"},
		{"energie", 60, "nl", "An", "a@b.be", "", true, "en-u-ca-gregory"},
		{"burgerzaken", 60, "nl", "An", "a@b.be", "", false, ""},
		{"energie", 0, "nl", "An", "a@b.be", "", false, ""},
		{"energie", 61 * 24 * 60, "nl", "An", "a@b.be", "", false, ""},
		{"energie", 60, "xx", "", "", "", false, ""},
	} {
		f.Add(s.service, s.minutes, s.lang, s.name, s.email, s.phone, s.interpreter, s.interpLang)
	}
	f.Fuzz(func(t *testing.T, service string, minutes int64, lang, name, email, phone string, interpreter bool, interpLang string) {
		req := BookingRequest{ServiceID: service, Start: now.Add(time.Duration(minutes) * time.Minute), Language: lang,
			Contact: Contact{Name: name, Email: email, Phone: phone}, Interpreter: interpreter, InterpreterLanguage: interpLang}
		out, err := ValidateBooking(req, services, languages, now)
		if err != nil {
			if CodeOf(err) != EInvalid || len(FieldsOf(err)) == 0 {
				t.Fatalf("%+v: %v", req, err)
			}
			for k := range maps.Keys(FieldsOf(err)) {
				if !slices.Contains([]string{"serviceId", "start", "language", "interpreterLanguage", FieldName, FieldEmail, FieldPhone}, k) {
					t.Fatalf("%+v: field %q", req, k)
				}
			}
			return
		}
		if out.ServiceID != "energie" || !slices.Contains(languages, out.Language) || !out.Start.After(now) ||
			out.Interpreter != (out.InterpreterLanguage != "") || len(out.InterpreterLanguage) > 16 {
			t.Fatalf("%+v validates to %+v", req, out)
		}
		again, err := ValidateBooking(out, services, languages, now)
		if err != nil || again != out {
			t.Fatalf("%+v validates to %+v, which validates to %+v, %v", req, out, again, err)
		}
	})
}
