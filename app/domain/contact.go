package domain

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// Contact is the least a counter needs to reach the visitor: a name, and an
// e-mail address and/or a mobile number (for the SMS reminder).
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

// MaxNameLength is the longest name accepted, in characters.
const MaxNameLength = 100

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
	case utf8.RuneCountInString(out.Name) > MaxNameLength:
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

// NormaliseMobile parses a mobile number as people write it ("0470 12 34
// 56", "+32 470 12 34 56", "0032470123456", or a foreign one with its
// country code, "+31 6 12345678") and returns it in E.164. Landlines are
// refused: the SMS reminder goes to a mobile. A number without country code
// is read as Belgian.
func NormaliseMobile(s string) (string, FieldReason) {
	num, err := phonenumbers.Parse(s, "BE")
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return s, ReasonInvalidPhone
	}
	switch phonenumbers.GetNumberType(num) {
	case phonenumbers.MOBILE:
	case phonenumbers.FIXED_LINE_OR_MOBILE: // some countries (the US) do not tell them apart
		if phonenumbers.GetRegionCodeForNumber(num) == "BE" {
			return s, ReasonNotMobile
		}
	default:
		return s, ReasonNotMobile
	}
	return phonenumbers.Format(num, phonenumbers.E164), ""
}

// DisplayPhone writes an E.164 number the way people write it: a Belgian
// one as "0470 12 34 56", so visitors recognise what they typed, a foreign
// one with its country code, "+31 6 12345678".
func DisplayPhone(e164 string) string {
	num, err := phonenumbers.Parse(e164, "BE")
	if err != nil {
		return e164
	}
	if phonenumbers.GetRegionCodeForNumber(num) != "BE" {
		return phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
	}
	return phonenumbers.Format(num, phonenumbers.NATIONAL)
}
