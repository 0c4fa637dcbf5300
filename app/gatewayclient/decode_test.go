package gatewayclient

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/domain"
)

func TestDecoders(t *testing.T) {
	tests := []struct {
		name    string
		decode  func([]byte) error
		fixture string
		wantErr bool
	}{
		{"services", decodeServicesOf, "services.json", false},
		{"services from garbage", decodeServicesOf, "garbage.json", true},
		{"services from HTML", decodeServicesOf, "proxy_502.html", true},
		{"slots", decodeSlotsOf("energie"), "slots.json", false},
		{"slots of another service", decodeSlotsOf("woonwijzer"), "slots.json", true},
		{"appointment", decodeAppointmentOf, "appointment.json", false},
		{"appointment from an error body", decodeAppointmentOf, "error_not_found.json", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.decode(fixture(t, tt.fixture))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
		})
	}
}

func decodeServicesOf(b []byte) error { _, err := decodeServices(bytes.NewReader(b)); return err }
func decodeAppointmentOf(b []byte) error {
	_, err := decodeAppointment(bytes.NewReader(b))
	return err
}
func decodeSlotsOf(id string) func([]byte) error {
	return func(b []byte) error { _, err := decodeSlots(bytes.NewReader(b), id); return err }
}

func TestDecodeRefusesBrokenValues(t *testing.T) {
	for _, body := range []string{
		`{"services":[{"name":{"nl":"x"}}]}`, // no id
		`{"serviceId":"energie","slots":[{"start":"2026-12-01T10:00:00+01:00","end":"2026-12-01T09:00:00+01:00"}]}`,
		`{"status":"ok"} {"status":"ok"}`,
	} {
		var err error
		switch {
		case strings.Contains(body, "services"):
			_, err = decodeServices(strings.NewReader(body))
		case strings.Contains(body, "slots"):
			_, err = decodeSlots(strings.NewReader(body), "energie")
		default:
			err = decodeJSON(strings.NewReader(body), new(map[string]any))
		}
		if err == nil {
			t.Errorf("%s was accepted", body)
		}
	}
}

func TestDecodeError(t *testing.T) {
	tests := []struct {
		status  int
		fixture string
		want    domain.ErrorCode
	}{
		{409, "error_slot_taken.json", domain.ESlotTaken},
		{404, "error_not_found.json", domain.ENotFound},
		{422, "error_invalid.json", domain.EInvalid},
		{401, "error_unauthorized.json", domain.EUnavailable},
		{429, "error_rate_limited.json", domain.ERateLimited},
		{503, "error_unavailable.json", domain.EUnavailable},
		{500, "error_internal.json", domain.EInternal},
		{502, "proxy_502.html", domain.EUnavailable},
		{504, "garbage.json", domain.EUnavailable},
		{429, "garbage.json", domain.ERateLimited},
		{400, "garbage.json", domain.EInternal},
	}
	for _, tt := range tests {
		err := decodeError(tt.status, bytes.NewReader(fixture(t, tt.fixture)))
		if got := domain.CodeOf(err); got != tt.want {
			t.Errorf("%d %s: %q (%v), want %q", tt.status, tt.fixture, got, err, tt.want)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		value string
		want  time.Duration
		ok    bool
	}{
		{"", 0, false},
		{"3", 3 * time.Second, true},
		{"0", 0, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0, true},
	}
	for _, tt := range tests {
		h := http.Header{}
		if tt.value != "" {
			h.Set("Retry-After", tt.value)
		}
		got, ok := retryAfter(h, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Retry-After %q = %v, %v; want %v, %v", tt.value, got, ok, tt.want, tt.ok)
		}
	}
}
