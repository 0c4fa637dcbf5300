package store

import (
	"errors"
	"io/fs"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/digitalebalie/balie/app/domain"
)

// A full disk, a read-only data file or file system, or a failing disk is
// neither a bug nor the caller's doing. bbolt writes a transaction's pages
// first and its meta page last, and rolls back when a write fails, so the
// file stays as the last commit left it; what is left to do here is to
// answer EUnavailable with a Retry-After (503 at the gateway) and to tell
// the operator, once per condition rather than once per request, what is
// wrong and what to do.

// faultKind names a way the disk refuses writes.
type faultKind int

const (
	noFault      faultKind = iota
	readOnlyFile           // opened read-only (mode, owner or mount at start), or EACCES/EPERM
	readOnlyFS             // the file system went read-only while running
	diskFull               // ENOSPC, EDQUOT
	diskFailing            // EIO
)

// message is the operator's line for a condition: what is wrong, what to do.
func (k faultKind) message(path string) string {
	switch k {
	case readOnlyFile:
		return "data file " + path + " is read-only: writes refused; the gateway answers 503 until the file is writable by its user and the gateway is restarted"
	case readOnlyFS:
		return "the file system of data file " + path + " is read-only: writes refused; the gateway answers 503 until it is remounted read-write"
	case diskFull:
		return "the disk of data file " + path + " is full: writes refused; the gateway answers 503 until space is freed, then writes resume by themselves"
	case diskFailing:
		return "I/O error writing data file " + path + ": writes stopped; the gateway answers 503 until it is restarted; check the disk (dmesg) first"
	}
	return "data file " + path + " takes writes again"
}

// classify says whether err is the disk refusing a write, and how.
func classify(err error) faultKind {
	switch {
	case err == nil:
		return noFault
	case errors.Is(err, bolt.ErrDatabaseReadOnly), errors.Is(err, fs.ErrPermission):
		return readOnlyFile
	case errors.Is(err, syscall.EROFS):
		return readOnlyFS
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT),
		// bbolt formats a failed grow of the file with %s, losing the errno.
		strings.Contains(err.Error(), syscall.ENOSPC.Error()):
		return diskFull
	case errors.Is(err, syscall.EIO):
		return diskFailing
	}
	return noFault
}

// faultRetry is the Retry-After of a write the disk refused: long enough
// that kiosks do not hammer a store that cannot write, short enough that
// a freed disk is used soon.
const faultRetry = 30 * time.Second

// faultQuiet is how long one condition stays reported: a disk that stays
// full, or flips between full and not, logs a line at most this often.
const faultQuiet = 10 * time.Minute

// faultError is the cause of the EUnavailable a refused write answers.
type faultError struct {
	kind faultKind
	err  error
}

func (e *faultError) Error() string { return e.err.Error() }
func (e *faultError) Unwrap() error { return e.err }

// IsFault tells whether err is a write the disk refused. The store has
// logged the condition already, so a caller need not log it again for
// every request it fails.
func IsFault(err error) bool {
	var f *faultError
	return errors.As(err, &f)
}

// faults watches the outcome of writes and reports changes of condition.
type faults struct {
	path string
	log  *slog.Logger

	open  atomic.Bool // a fault was reported and writes have not worked since
	stuck atomic.Bool // an I/O error: no more writes until restart

	mu       sync.Mutex
	last     faultKind // the condition reported last, and when
	at       time.Time
	stuckErr error
}

// observe turns the outcome of a write transaction into what the caller
// answers: nil, err itself when it is not the disk's doing, or else an
// EUnavailable with Retry-After, the condition reported once.
func (f *faults) observe(err error) error {
	kind := classify(err)
	switch {
	case err == nil:
		if f.open.Load() {
			f.recovered()
		}
		return nil
	case kind == noFault:
		return err
	}
	f.failed(kind, err)
	return &domain.Error{Code: domain.EUnavailable, Err: &faultError{kind: kind, err: err}, RetryAfter: faultRetry}
}

// refused is the answer to a write while writes are stopped after an I/O
// error: after a failed fsync the kernel may have dropped the pages it
// could not write, so writing on could commit over data that is not on
// disk. A restart reads the file afresh.
func (f *faults) refused() error {
	if !f.stuck.Load() {
		return nil
	}
	f.mu.Lock()
	err := f.stuckErr
	f.mu.Unlock()
	return f.observe(err)
}

func (f *faults) failed(kind faultKind, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if kind == diskFailing && !f.stuck.Load() {
		f.stuckErr = err
		f.stuck.Store(true)
	}
	if kind == f.last && time.Since(f.at) < faultQuiet {
		return
	}
	f.last, f.at = kind, time.Now()
	f.open.Store(true)
	f.log.Error(kind.message(f.path), "err", err)
}

func (f *faults) recovered() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.stuck.Load() && f.open.Swap(false) { // after an I/O error, only a restart recovers
		f.log.Info(noFault.message(f.path))
	}
}

// commit runs fn in one write transaction, seen by faults.
func (s *Store) commit(fn func(tx *bolt.Tx) error) error {
	if err := s.faults.refused(); err != nil {
		return err
	}
	return s.faults.observe(s.db.Update(fn))
}

// openReadOnly opens a data file the gateway may not write (mode 0400,
// another owner, a read-only mount) read-only, rather than refusing to
// start: kiosks keep listing services and free slots, visitors keep
// finding their appointment by its full check or its QR code, and staff
// keep reading the agenda, while every write answers 503 and the log says
// what to do. The file itself cannot be harmed. It returns nil when the
// file cannot be opened even so (it does not exist, say).
func openReadOnly(path string, why error) *bolt.DB {
	if !errors.Is(why, fs.ErrPermission) && !errors.Is(why, syscall.EROFS) {
		return nil
	}
	db, err := bolt.Open(path, 0, &bolt.Options{Timeout: 2 * time.Second, ReadOnly: true})
	if err != nil {
		return nil
	}
	return db
}
