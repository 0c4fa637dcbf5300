package sms

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

const testNumber = "+32470123456"

// noPersonalData fails when err's text quotes the number or the text.
func noPersonalData(t *testing.T, err error, m Message) {
	t.Helper()
	if err == nil {
		return
	}
	s := err.Error()
	if m.To != "" && strings.Contains(s, m.To) {
		t.Errorf("error %q contains the number", s)
	}
	if m.Text != "" && strings.Contains(s, m.Text) {
		t.Errorf("error %q contains the text", s)
	}
}

func TestPermanent(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"other error", errors.New("x"), false},
		{"temporary", &Error{Ref: "r"}, false},
		{"permanent", &Error{Ref: "r", Permanent: true}, true},
		{"wrapped permanent", errors.Join(errors.New("outbox"), &Error{Permanent: true}), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Permanent(tt.err); got != tt.want {
				t.Errorf("Permanent = %v, want %v", got, tt.want)
			}
		})
	}
}

// Both senders refuse a message no provider should get, without sending.
func TestSendRefusesInvalidMessage(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	provider, err := NewHTTPProvider(HTTPConfig{URL: srv.URL, Body: jsonBody})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	outbox, err := NewFileOutbox(dir)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		m    Message
	}{
		{"national number", Message{To: "0470123456", Text: "Hallo", Ref: "r1"}},
		{"number with spaces", Message{To: "+32 470 12 34 56", Text: "Hallo", Ref: "r1"}},
		{"number too long", Message{To: "+3247012345678901", Text: "Hallo", Ref: "r1"}},
		{"no number", Message{Text: "Hallo", Ref: "r1"}},
		{"no text", Message{To: testNumber, Ref: "r1"}},
		{"no ref", Message{To: testNumber, Text: "Hallo"}},
		{"ref too long", Message{To: testNumber, Text: "Hallo", Ref: strings.Repeat("r", MaxRefLen+1)}},
		{"ref with line break", Message{To: testNumber, Text: "Hallo", Ref: "r1\nTo: +32470999999"}},
	}
	for _, sender := range []struct {
		name string
		s    Sender
	}{{"http", provider}, {"file", outbox}} {
		for _, tt := range tests {
			t.Run(sender.name+"/"+tt.name, func(t *testing.T) {
				err := sender.s.Send(context.Background(), tt.m)
				if !Permanent(err) {
					t.Fatalf("err = %v, want a permanent error", err)
				}
				noPersonalData(t, err, tt.m)
			})
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("provider got %d requests, want none", n)
	}
	if files, _ := readDir(t, dir); len(files) != 0 {
		t.Errorf("outbox has files %v, want none", files)
	}
}
