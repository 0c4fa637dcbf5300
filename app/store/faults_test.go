package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"
	"sync"
	"syscall"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/digitalebalie/balie/app/domain"
)

// logBuffer collects a logger's lines; the store logs from any goroutine.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// count is how many lines contain s.
func (l *logBuffer) count(s string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Count(l.b.String(), s)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (l *logBuffer) logger() *slog.Logger { return slog.New(slog.NewTextHandler(l, nil)) }

// Every way bbolt reports the disk refusing a write is EUnavailable with a
// Retry-After that still unwraps to the errno; a flood of them logs one
// line, and the first write that works again one more.
func TestRefusedWritesAreUnavailableAndLoggedOnce(t *testing.T) {
	for _, tc := range []struct {
		name  string
		err   error
		errno error
		says  string
	}{
		{"disk full", &fs.PathError{Op: "write", Path: "/x", Err: syscall.ENOSPC}, syscall.ENOSPC, "is full: writes refused"},
		{"quota", &fs.PathError{Op: "write", Path: "/x", Err: syscall.EDQUOT}, syscall.EDQUOT, "is full: writes refused"},
		// bbolt formats a failed grow with %s: the errno survives as text only.
		{"grow", fmt.Errorf("file resize error: %s", syscall.ENOSPC), nil, "is full: writes refused"},
		{"read-only mount", &fs.PathError{Op: "write", Path: "/x", Err: syscall.EROFS}, syscall.EROFS, "is read-only: writes refused"},
		{"opened read-only", bolt.ErrDatabaseReadOnly, bolt.ErrDatabaseReadOnly, "/x is read-only: writes refused"},
		{"failing disk", &fs.PathError{Op: "sync", Path: "/x", Err: syscall.EIO}, syscall.EIO, "I/O error writing data file /x"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs logBuffer
			f := &faults{path: "/x", log: logs.logger()}
			for range 100 {
				err := f.observe(tc.err)
				var de *domain.Error
				if !errors.As(err, &de) || de.Code != domain.EUnavailable || de.RetryAfter != faultRetry || !IsFault(err) {
					t.Fatalf("%v: got %#v", tc.err, err)
				}
				if tc.errno != nil && !errors.Is(err, tc.errno) {
					t.Fatalf("%v does not unwrap to %v", err, tc.errno)
				}
			}
			if n := logs.count(tc.says); n != 1 || logs.count("level=ERROR") != 1 {
				t.Fatalf("want one line saying %q, log:\n%s", tc.says, logs.String())
			}
			f.observe(nil)
			f.observe(nil)
			want := 1
			if tc.errno == syscall.EIO { // no write works after one: nothing recovers
				want = 0
				if f.refused() == nil {
					t.Fatal("writes go on after an I/O error")
				}
			}
			if n := logs.count("takes writes again"); n != want {
				t.Fatalf("want %d recovery lines, log:\n%s", want, logs.String())
			}
		})
	}
	// Anything else is no fault of the disk's, and stays the caller's.
	other := errors.New("bucket not found")
	if err := (&faults{log: slog.New(slog.DiscardHandler)}).observe(other); err != other {
		t.Fatalf("got %v", err)
	}
}

// After an I/O error the store writes nothing more until it restarts, and
// still serves reads.
func TestIOErrorStopsWrites(t *testing.T) {
	ctx := context.Background()
	var logs logBuffer
	s := openWith(t, Options{Log: logs.logger()})
	slots := freeSlots(t, s, 2)
	booked, err := s.Book(ctx, request(slots[0]))
	if err != nil {
		t.Fatal(err)
	}
	s.faults.observe(&fs.PathError{Op: "sync", Path: s.opts.Path, Err: syscall.EIO}) // as a failed fdatasync would
	if _, err := s.Book(ctx, request(slots[1])); !IsFault(err) || !errors.Is(err, syscall.EIO) {
		t.Fatalf("book after an I/O error: %v", err)
	}
	if n, _ := s.CountAppointments(); n != 1 {
		t.Fatalf("%d appointments, want 1", n)
	}
	if _, err := s.Slots(ctx, "energie", monday, 3); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Find(ctx, booked.Code, "0470 12 34 56"); err != nil || got.Code != booked.Code {
		t.Fatalf("find by full number: %v %v", got, err)
	}
	if _, err := s.Find(ctx, booked.Code, "3456"); !IsFault(err) {
		t.Fatalf("a short check that cannot be counted: %v", err)
	}
	if n := logs.count("level=ERROR"); n != 1 {
		t.Fatalf("log:\n%s", logs.String())
	}
}
