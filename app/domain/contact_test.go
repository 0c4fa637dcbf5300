package domain

import (
	"reflect"
	"testing"
)

func TestValidateContact(t *testing.T) {
	tests := []struct {
		name   string
		in     Contact
		want   Contact
		fields map[string]FieldReason
	}{
		{"email only", Contact{Name: " An  Peeters ", Email: "an@example.be"}, Contact{Name: "An Peeters", Email: "an@example.be"}, nil},
		{"mobile national", Contact{Name: "An", Phone: "0470 12 34 56"}, Contact{Name: "An", Phone: "+32470123456"}, nil},
		{"mobile international", Contact{Name: "An", Phone: "+32 470/12.34.56"}, Contact{Name: "An", Phone: "+32470123456"}, nil},
		{"mobile 0032", Contact{Name: "An", Phone: "0032470123456"}, Contact{Name: "An", Phone: "+32470123456"}, nil},
		{"both", Contact{Name: "Ali", Email: "ali@mail.com", Phone: "0499123456"}, Contact{Name: "Ali", Email: "ali@mail.com", Phone: "+32499123456"}, nil},
		{"no name", Contact{Email: "an@example.be"}, Contact{}, map[string]FieldReason{FieldName: ReasonRequired}},
		{"name with control", Contact{Name: "An\x00", Email: "an@example.be"}, Contact{}, map[string]FieldReason{FieldName: ReasonInvalidName}},
		{"neither email nor phone", Contact{Name: "An"}, Contact{}, map[string]FieldReason{FieldEmail: ReasonEmailOrPhone, FieldPhone: ReasonEmailOrPhone}},
		{"blank email and phone", Contact{Name: "An", Email: "  ", Phone: " "}, Contact{}, map[string]FieldReason{FieldEmail: ReasonEmailOrPhone, FieldPhone: ReasonEmailOrPhone}},
		{"email without domain dot", Contact{Name: "An", Email: "an@localhost"}, Contact{}, map[string]FieldReason{FieldEmail: ReasonInvalidEmail}},
		{"email with display name", Contact{Name: "An", Email: "An <an@example.be>"}, Contact{}, map[string]FieldReason{FieldEmail: ReasonInvalidEmail}},
		{"email garbage", Contact{Name: "An", Email: "an.example.be"}, Contact{}, map[string]FieldReason{FieldEmail: ReasonInvalidEmail}},
		{"landline", Contact{Name: "An", Phone: "09 234 56 78"}, Contact{}, map[string]FieldReason{FieldPhone: ReasonNotMobile}},
		{"dutch mobile", Contact{Name: "An", Phone: "+31 6 12345678"}, Contact{Name: "An", Phone: "+31612345678"}, nil},
		{"french mobile with 00", Contact{Name: "An", Phone: "0033 6 12 34 56 78"}, Contact{Name: "An", Phone: "+33612345678"}, nil},
		{"german mobile", Contact{Name: "An", Phone: "+49 151 23456789"}, Contact{Name: "An", Phone: "+4915123456789"}, nil},
		{"dutch landline", Contact{Name: "An", Phone: "+31 20 123 4567"}, Contact{}, map[string]FieldReason{FieldPhone: ReasonNotMobile}},
		{"too short", Contact{Name: "An", Phone: "0470 12"}, Contact{}, map[string]FieldReason{FieldPhone: ReasonInvalidPhone}},
		{"letters", Contact{Name: "An", Phone: "call me"}, Contact{}, map[string]FieldReason{FieldPhone: ReasonInvalidPhone}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ValidateContact(tt.in)
			if tt.fields == nil {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				if got != tt.want {
					t.Fatalf("got %+v, want %+v", got, tt.want)
				}
				return
			}
			if CodeOf(err) != EInvalid {
				t.Fatalf("code = %q, want %q (err %v)", CodeOf(err), EInvalid, err)
			}
			if !reflect.DeepEqual(FieldsOf(err), tt.fields) {
				t.Fatalf("fields = %v, want %v", FieldsOf(err), tt.fields)
			}
		})
	}
}

func TestDisplayPhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+32470123456", "0470 12 34 56"},
		{"+32499123456", "0499 12 34 56"},
		{"+31612345678", "+31 6 12345678"},
		{"not a number", "not a number"},
	}
	for _, tt := range tests {
		if got := DisplayPhone(tt.in); got != tt.want {
			t.Errorf("DisplayPhone(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
