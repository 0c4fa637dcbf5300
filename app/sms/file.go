package sms

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// FileOutbox "sends" each message by writing it to a file in a directory,
// for development without a provider. The directory and files are private
// to the user (0700, 0600): they hold real numbers when tried with real
// bookings.
type FileOutbox struct {
	dir string
}

// NewFileOutbox creates dir if needed.
func NewFileOutbox(dir string) (*FileOutbox, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("sms: outbox: %w", err)
	}
	return &FileOutbox{dir: dir}, nil
}

// Send writes m to <Ref>.txt, with Ref reduced to [A-Za-z0-9._-] so it
// cannot leave the directory. The file appears whole or not at all, and
// sending the same Ref again replaces it, as a provider drops duplicates.
func (o *FileOutbox) Send(ctx context.Context, m Message) error {
	if err := validate(m); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return &Error{Ref: m.Ref, Msg: "not written", Err: err}
	}
	content := fmt.Sprintf("To: %s\nRef: %s\n\n%s\n", m.To, m.Ref, m.Text)
	name := filepath.Join(o.dir, safeName(m.Ref)+".txt")
	if err := writeAtomic(name, []byte(content)); err != nil {
		// A full disk or lost permission may pass; the path holds only
		// the sanitised Ref.
		return &Error{Ref: m.Ref, Msg: "cannot write outbox file", Err: err}
	}
	return nil
}

// writeAtomic writes through a temporary file in the same directory and
// renames it, so a reader never sees half a message.
func writeAtomic(name string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(name), ".sms-*.tmp") // mode 0600
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, name)
	}
	if err != nil {
		_ = os.Remove(tmp)
	}
	return err
}

// safeName maps every character outside [A-Za-z0-9._-] to "_". Slashes
// become "_", so "../x" is the file ".._x.txt" inside the directory.
func safeName(ref string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			return r
		}
		return '_'
	}, ref)
}
