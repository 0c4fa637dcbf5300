// Package disktest gives tests a small disk to fill and bbolt's own check
// of a data file: the store's and the gateway's fault tests share it.
package disktest

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// SmallDisk mounts a tmpfs of size (such as "2m") on a fresh directory and
// unmounts it when the test ends; it skips the test when it cannot (not
// root, or no mount in this container).
func SmallDisk(t *testing.T, size string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("mounting a small tmpfs needs root")
	}
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size); err != nil {
		t.Skipf("cannot mount a tmpfs: %v", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
			syscall.Unmount(dir, syscall.MNT_DETACH) // never leave a mount behind
		}
	})
	return dir
}

// FillDisk writes a file in dir until the disk is full, and returns it:
// removing it frees the disk.
func FillDisk(t *testing.T, dir string) string {
	t.Helper()
	name := filepath.Join(dir, "filler")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, chunk := range []int{64 << 10, 4 << 10, 512} {
		for {
			if _, err := f.Write(make([]byte, chunk)); err != nil {
				if !errors.Is(err, syscall.ENOSPC) {
					t.Fatal(err)
				}
				break
			}
		}
	}
	return name
}

// CheckFile runs bbolt's consistency check over a closed data file.
func CheckFile(t *testing.T, path string) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			t.Errorf("data file: %v", err)
		}
		return nil
	})
}
