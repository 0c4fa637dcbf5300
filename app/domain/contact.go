package domain

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// Contact is the least a counter needs to reach the visitor: a name, and an
// e-mail address and/or a Belgian mobile number (for the SMS reminder).
type Contact struct {
	Name  string
	Email string
	Phone string // E.164, "+32470123456"
}

// Field names used in validation errors.
const (
	FieldName  = "name"
	FieldEmail = "email"
	FieldPhone = "phone"
)

const maxNameLength = 100

// ValidateContact checks and normalises what a visitor typed. It returns the
// normalised contact (trimmed, phone in E.164) or an EInvalid error with a
// reason per field.
func ValidateContact(in Contact) (Contact, error) {
	out := Contact{
		Name:  strings.Join(strings.Fields(in.Name), " "),
		Email: strings.TrimSpace(in.Email),
		Phone: strings.TrimSpace(in.Phone),
	}
	fields := map[string]FieldReason{}

	switch {
	case out.Name == "":
		fields[FieldName] = ReasonRequired
	case utf8.RuneCountInString(out.Name) > maxNameLength:
		fields[FieldName] = ReasonTooLong
	case strings.IndexFunc(out.Name, unicode.IsControl) >= 0:
		fields[FieldName] = ReasonInvalidName
	}

	if out.Email != "" {
		email, reason := normaliseEmail(out.Email)
		if reason != "" {
			fields[FieldEmail] = reason
		}
		out.Email = email
	}
	if out.Phone != "" {
		phone, reason := NormaliseMobile(out.Phone)
		if reason != "" {
			fields[FieldPhone] = reason
		}
		out.Phone = phone
	}
	if out.Email == "" && out.Phone == "" {
		fields[FieldEmail] = ReasonEmailOrPhone
		fields[FieldPhone] = ReasonEmailOrPhone
	}

	if len(fields) > 0 {
		return in, Invalid(fields)
	}
	return out, nil
}

func normaliseEmail(s string) (string, FieldReason) {
	if len(s) > 254 {
		return s, ReasonTooLong
	}
	addr, err := mail.ParseAddress(s)
	// Only a bare address is accepted, not "Name <address>".
	if err != nil || addr.Name != "" || addr.Address != s {
		return s, ReasonInvalidEmail
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return s, ReasonInvalidEmail
	}
	return s, ""
}

// NormaliseMobile parses a Belgian mobile number as people write it
// ("0470 12 34 56", "+32 470 12 34 56", "0032470123456") and returns it in
// E.164. Landlines and foreign numbers are refused: the SMS reminder goes to
// a Belgian mobile.
func NormaliseMobile(s string) (string, FieldReason) {
	num, err := phonenumbers.Parse(s, "BE")
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return s, ReasonInvalidPhone
	}
	if phonenumbers.GetRegionCodeForNumber(num) != "BE" {
		return s, ReasonNotBelgian
	}
	if phonenumbers.GetNumberType(num) != phonenumbers.MOBILE {
		return s, ReasonNotMobile
	}
	return phonenumbers.Format(num, phonenumbers.E164), ""
}

// DisplayPhone writes an E.164 Belgian number the way people write it,
// "0470 12 34 56", so visitors recognise what they typed.
func DisplayPhone(e164 string) string {
	num, err := phonenumbers.Parse(e164, "BE")
	if err != nil {
		return e164
	}
	return phonenumbers.Format(num, phonenumbers.NATIONAL)
}
