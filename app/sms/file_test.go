package sms

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// readDir lists the names in dir.
func readDir(t *testing.T, dir string) ([]string, error) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names, err
}

func TestNewFileOutboxCreatesPrivateDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "outbox")
	if _, err := NewFileOutbox(dir); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o700 {
		t.Errorf("dir mode = %o, want 700", got)
	}
}

func TestFileOutboxSend(t *testing.T) {
	tests := []struct {
		name string
		m    Message
		file string // expected name inside the outbox
	}{
		{"plain", Message{To: testNumber, Text: "Uw afspraak is morgen om 10:00.", Ref: "notice-42"}, "notice-42.txt"},
		{"multi-line, Arabic, emoji", Message{To: testNumber, Text: "موعدك غدا\nالساعة 10:00 📅", Ref: "A_b.c-1"}, "A_b.c-1.txt"},
		{"ref leaving the dir", Message{To: testNumber, Text: "x", Ref: "../x"}, ".._x.txt"},
		{"absolute ref", Message{To: testNumber, Text: "x", Ref: "/etc/passwd"}, "_etc_passwd.txt"},
		{"ref with spaces and accents", Message{To: testNumber, Text: "x", Ref: "één twee"}, "__n_twee.txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent := t.TempDir()
			dir := filepath.Join(parent, "outbox")
			o, err := NewFileOutbox(dir)
			if err != nil {
				t.Fatal(err)
			}
			if err := o.Send(context.Background(), tt.m); err != nil {
				t.Fatal(err)
			}

			names, err := readDir(t, dir)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(names, []string{tt.file}) {
				t.Fatalf("outbox holds %q, want only %q", names, tt.file)
			}
			if names, _ := readDir(t, parent); !slices.Equal(names, []string{"outbox"}) {
				t.Errorf("parent holds %q, want only the outbox", names)
			}
			path := filepath.Join(dir, tt.file)
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode().Perm(); got != 0o600 {
				t.Errorf("file mode = %o, want 600", got)
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			want := "To: " + tt.m.To + "\nRef: " + tt.m.Ref + "\n\n" + tt.m.Text + "\n"
			if string(got) != want {
				t.Errorf("content = %q, want %q", got, want)
			}
		})
	}
}

// Sending the same Ref again is one file, holding the last version, and
// leaves no temporary files behind.
func TestFileOutboxSameRefTwice(t *testing.T) {
	dir := t.TempDir()
	o, err := NewFileOutbox(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"first", "second"} {
		if err := o.Send(context.Background(), Message{To: testNumber, Text: text, Ref: "r-1"}); err != nil {
			t.Fatal(err)
		}
	}
	names, err := readDir(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(names, []string{"r-1.txt"}) {
		t.Fatalf("outbox holds %q, want only r-1.txt", names)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "r-1.txt"))
	if want := "To: +32470123456\nRef: r-1\n\nsecond\n"; string(got) != want {
		t.Errorf("content = %q, want %q", got, want)
	}
}

func TestFileOutboxCanceled(t *testing.T) {
	dir := t.TempDir()
	o, err := NewFileOutbox(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = o.Send(ctx, Message{To: testNumber, Text: "x", Ref: "r"})
	if !errors.Is(err, context.Canceled) || Permanent(err) {
		t.Errorf("err = %v, want a temporary context.Canceled", err)
	}
	if names, _ := readDir(t, dir); len(names) != 0 {
		t.Errorf("outbox holds %q, want nothing", names)
	}
}
