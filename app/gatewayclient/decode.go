package gatewayclient

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/digitalebalie/balie/app/api"
	"github.com/digitalebalie/balie/app/domain"
)

// The decoders read answers from an io.Reader, apart from fetching them, so
// the fixtures in testdata/ are checked without a server too.

// decodeServices reads an api.ServiceList.
func decodeServices(r io.Reader) ([]domain.Service, error) {
	var list api.ServiceList
	if err := decodeJSON(r, &list); err != nil {
		return nil, err
	}
	out := make([]domain.Service, 0, len(list.Services))
	for _, s := range list.Services {
		if s.ID == "" {
			return nil, errors.New("a service without an id")
		}
		out = append(out, s.Domain())
	}
	return out, nil
}

// decodeSlots reads an api.SlotList for serviceID.
func decodeSlots(r io.Reader, serviceID string) ([]domain.Slot, error) {
	var list api.SlotList
	if err := decodeJSON(r, &list); err != nil {
		return nil, err
	}
	if list.ServiceID != "" && list.ServiceID != serviceID {
		return nil, fmt.Errorf("slots of service %q, asked for %q", list.ServiceID, serviceID)
	}
	out := make([]domain.Slot, 0, len(list.Slots))
	for _, s := range list.Slots {
		if s.Start.IsZero() || !s.End.After(s.Start) {
			return nil, errors.New("a slot without a proper start and end")
		}
		out = append(out, s.Domain(serviceID))
	}
	return out, nil
}

// decodeAppointment reads an api.Appointment; its Contact stays empty.
func decodeAppointment(r io.Reader) (domain.Appointment, error) {
	var a api.Appointment
	if err := decodeJSON(r, &a); err != nil {
		return domain.Appointment{}, err
	}
	if a.Code == "" || a.Start.IsZero() {
		return domain.Appointment{}, errors.New("an appointment without code or start")
	}
	return a.Domain(), nil
}

// decodeError reads an api.ErrorBody and maps it with its status; a body
// that is not one (an HTML page from a proxy, nothing at all) maps by
// status alone.
func decodeError(status int, r io.Reader) error {
	var body api.ErrorBody
	if err := decodeJSON(r, &body); err != nil {
		body = api.ErrorBody{}
	}
	return body.Err(status)
}

// decodeJSON reads exactly one JSON value into v. Unknown fields are
// allowed, so a newer gateway can add some.
func decodeJSON(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	if err := dec.Decode(v); err != nil {
		return err
	}
	// More() is false before a stray "]" or "}": only the end of the
	// body proves there was exactly one value.
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}
