package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/store/disktest"
)

func numbered(slot domain.Slot, i int) domain.BookingRequest {
	req := request(slot)
	req.Contact = domain.Contact{Name: "Amina", Phone: fmt.Sprintf("0470 %02d %02d %02d", i/10000, i/100%100, i%100)}
	return req
}

// A full disk refuses bookings with EUnavailable and one log line, never
// harms the file, and once space is freed the store books again and holds
// every booking it acknowledged.
func TestDiskFull(t *testing.T) {
	ctx := context.Background()
	dir := disktest.SmallDisk(t, "2m")
	path := filepath.Join(dir, "balie.db")
	var logs logBuffer
	s := openWith(t, Options{Path: path, Log: logs.logger(), Notices: true})
	slots := freeSlots(t, s, 400)
	var acked []domain.Appointment
	next := 0
	book := func() error {
		a, err := s.Book(ctx, numbered(slots[next], next))
		next++
		if err == nil {
			acked = append(acked, a)
		}
		return err
	}
	for range 5 {
		if err := book(); err != nil {
			t.Fatal(err)
		}
	}

	filler := disktest.FillDisk(t, dir)
	refused := 0
	for refused < 50 && next < 350 {
		// A booking may still fit in pages bbolt freed before; most do not.
		if err := book(); err != nil {
			if !IsFault(err) || !errors.Is(err, syscall.ENOSPC) || domain.CodeOf(err) != domain.EUnavailable {
				t.Fatalf("booking on a full disk: %v", err)
			}
			refused++
		}
	}
	if refused < 50 {
		t.Fatalf("only %d of %d bookings refused on a full disk", refused, next)
	}
	if n := logs.count("is full: writes refused"); n != 1 {
		t.Fatalf("%d lines about the full disk, want 1:\n%s", n, logs.String())
	}
	// Reads go on.
	if _, err := s.Slots(ctx, "energie", monday, 3); err != nil {
		t.Fatalf("slots on a full disk: %v", err)
	}
	if a, err := s.Find(ctx, acked[0].Code, acked[0].Contact.Phone); err != nil || a.Token != acked[0].Token {
		t.Fatalf("find on a full disk: %v", err)
	}

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	if err := book(); err != nil {
		t.Fatalf("booking once the disk has room: %v", err)
	}
	if n := logs.count("takes writes again"); n != 1 {
		t.Fatalf("%d lines about writes working again, want 1:\n%s", n, logs.String())
	}
	s.Close()
	disktest.CheckFile(t, path)
	s = openWith(t, Options{Path: path})
	for _, a := range acked {
		if got, err := s.Find(ctx, a.Code, a.Contact.Phone); err != nil || got.Token != a.Token {
			t.Fatalf("acknowledged booking %s after the disk was full: %v", a.Code, err)
		}
	}
	if n, _ := s.CountAppointments(); n != len(acked) {
		t.Fatalf("%d appointments, %d acknowledged", n, len(acked))
	}
	t.Logf("%d bookings acknowledged, %d refused while the disk was full", len(acked), refused)
}

// A data file the store may not write opens read-only: reads work, every
// write answers EUnavailable, one line says why, and the file is untouched.
// As root, a read-only mount stands in for mode 0400, which root ignores.
func TestReadOnlyDataFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	makeReadOnly, makeWritable := func() {}, func() {}
	path := filepath.Join(dir, "balie.db")
	if os.Geteuid() == 0 {
		dir = disktest.SmallDisk(t, "4m")
		path = filepath.Join(dir, "balie.db")
		remount := func(flags uintptr) func() {
			return func() {
				if err := syscall.Mount("tmpfs", dir, "tmpfs", syscall.MS_REMOUNT|flags, ""); err != nil {
					t.Fatal(err)
				}
			}
		}
		makeReadOnly, makeWritable = remount(syscall.MS_RDONLY), remount(0)
	} else {
		makeReadOnly = func() { os.Chmod(path, 0o400) }
		makeWritable = func() { os.Chmod(path, 0o600) }
	}
	s := openWith(t, Options{Path: path})
	slots := freeSlots(t, s, 3)
	booked, err := s.Book(ctx, request(slots[0]))
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	makeReadOnly()
	before, _ := os.ReadFile(path)

	var logs logBuffer
	s, err = Open(Options{Path: path, Services: testServices, Now: func() time.Time { return monday }, Log: logs.logger()})
	if err != nil {
		t.Fatalf("open a read-only data file: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Slots(ctx, "energie", monday, 3); err != nil {
		t.Fatal(err)
	}
	if a, err := s.Find(ctx, booked.Code, "amina@example.be"); err != nil || a.Token != booked.Token {
		t.Fatalf("find by e-mail address: %v", err)
	}
	for i := range 20 {
		for what, err := range map[string]error{
			"book":   func() error { _, err := s.Book(ctx, numbered(slots[1], i)); return err }(),
			"cancel": s.Cancel(ctx, booked.Code, "amina@example.be"),
			"help":   s.RequestHelp(ctx, domain.HelpRequest{Device: "k", Location: "hal", Language: "nl"}),
			"short":  func() error { _, err := s.Find(ctx, booked.Code, "3456"); return err }(),
		} {
			if !IsFault(err) || domain.CodeOf(err) != domain.EUnavailable {
				t.Fatalf("%s on a read-only file: %v", what, err)
			}
		}
	}
	if n := logs.count("level=ERROR"); n != 1 || logs.count("is read-only: writes refused") != 1 {
		t.Fatalf("want one line, log:\n%s", logs.String())
	}
	s.Close()
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Fatal("the read-only data file changed")
	}

	makeWritable()
	s = openWith(t, Options{Path: path})
	if _, err := s.Book(ctx, numbered(slots[2], 1)); err != nil {
		t.Fatalf("book once writable: %v", err)
	}
	if a, err := s.Find(ctx, booked.Code, "3456"); err != nil || a.Token != booked.Token {
		t.Fatalf("find once writable: %v", err)
	}
}
