// Package outbox is a small durable queue on the kiosk's own disk for
// records that hold no personal data (anonymous visit records, help
// requests) and must reach the city's gateway even when the network is down
// for hours or the kiosk restarts.
//
// Delivery is at-least-once and an item keeps the same id on every attempt;
// the gateway de-duplicates by id, so each record is counted exactly once.
//
// On disk, one directory per kind and one JSON file per item:
//
//	<dir>/<kind>/<YYYYMMDDTHHMMSS.nnnnnnnnnZ>-<id>.json
//
// File names sort by the time the item was added (UTC), then by id, so a
// directory listing is the queue, oldest first. Files are written to a
// ".tmp-*" file, fsynced and renamed into place; leftover temp files from a
// crash are ignored and removed at Open. A corrupt or truncated item file is
// logged and removed.
//
// Never put personal data in a payload: files are plain JSON on the kiosk's
// disk. Logs name only the kind and id of an item, never its payload.
//
// Use one Outbox per directory; it is safe for concurrent use.
package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
)

// DefaultMaxItems is how many items a kind keeps when Options.MaxItems is 0:
// days of visits on a busy kiosk, yet a bounded disk.
const DefaultMaxItems = 5000

// DefaultBatch is the batch size Flush uses when given 0 or less.
const DefaultBatch = 50

const (
	maxKindLen = 32
	maxIDLen   = 40
	tmpPrefix  = ".tmp-"
	fileExt    = ".json"
	// Fixed width so that names sort by time: nanoseconds always 9 digits.
	timeLayout = "20060102T150405.000000000Z"
)

// ErrRefused marks a send error for items the gateway refused for good (for
// example 400 invalid): Flush drops them instead of retrying forever. Wrap it
// (fmt.Errorf("...: %w", outbox.ErrRefused)) to refuse the whole batch, or
// return Refused(ids...) to refuse only some items.
var ErrRefused = errors.New("outbox: refused by the gateway")

// RefusedError refuses only the items with these ids; it matches ErrRefused.
type RefusedError struct {
	IDs []string
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("outbox: gateway refused %d item(s)", len(e.IDs))
}

func (e *RefusedError) Is(target error) bool { return target == ErrRefused }

// Refused returns the error a send func returns when the gateway refused
// only the items with these ids. With no ids it refuses the whole batch.
func Refused(ids ...string) error { return &RefusedError{IDs: ids} }

// Item is one queued record.
type Item struct {
	Kind    string
	ID      string
	Payload []byte
	Added   time.Time // UTC
}

// Options configure an Outbox; the zero value is fine.
type Options struct {
	MaxItems int              // per kind; 0 means DefaultMaxItems
	Now      func() time.Time // clock; nil means time.Now
	Log      *slog.Logger     // nil means slog.Default()
}

// Outbox is a durable queue in a directory.
type Outbox struct {
	dir      string
	maxItems int
	now      func() time.Time
	log      *slog.Logger

	mu      sync.Mutex // guards the files, dropped and flushes
	dropped int
	flushes map[string]chan struct{} // one Flush per kind at a time
}

// record is how an item is stored. Kind and id are repeated inside the file
// so that a file that does not match its name is recognised as damaged.
type record struct {
	Kind    string    `json:"kind"`
	ID      string    `json:"id"`
	Added   time.Time `json:"added"`
	Payload []byte    `json:"payload"`
}

// Open opens (creating with mode 0700) the outbox in dir and removes temp
// files a crash left behind.
func Open(dir string, opts Options) (*Outbox, error) {
	o := &Outbox{
		dir:      dir,
		maxItems: opts.MaxItems,
		now:      opts.Now,
		log:      opts.Log,
		flushes:  map[string]chan struct{}{},
	}
	if o.maxItems <= 0 {
		o.maxItems = DefaultMaxItems
	}
	if o.now == nil {
		o.now = time.Now
	}
	if o.log == nil {
		o.log = slog.Default()
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	kinds, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	for _, k := range kinds {
		if !k.IsDir() || validKind(k.Name()) != nil {
			continue
		}
		entries, err := os.ReadDir(filepath.Join(dir, k.Name()))
		if err != nil {
			return nil, fmt.Errorf("outbox: %w", err)
		}
		for _, e := range entries {
			// A temp file was never renamed, so its Add never returned nil:
			// nobody was promised it is stored.
			if strings.HasPrefix(e.Name(), tmpPrefix) {
				if err := os.Remove(filepath.Join(dir, k.Name(), e.Name())); err != nil {
					o.log.Warn("outbox: cannot remove temp file", "kind", k.Name(), "err", err)
				}
			}
		}
	}
	return o, nil
}

// Add stores an item. When it returns nil the item is on disk and survives a
// crash or power cut. Adding an id that is already pending in that kind keeps
// the first one and returns nil, as the gateway would count it once anyway.
// When the kind holds more than MaxItems, the oldest are dropped.
func (o *Outbox) Add(kind, id string, payload []byte) error {
	if err := validKind(kind); err != nil {
		return err
	}
	if err := validID(id); err != nil {
		return err
	}
	added := o.now().UTC().Round(0) // Round(0): no monotonic reading, as stored
	data, err := json.Marshal(record{Kind: kind, ID: id, Added: added, Payload: payload})
	if err != nil { // also a clock outside years 0–9999
		return fmt.Errorf("outbox: %w", err)
	}
	name := fileName(added, id)

	o.mu.Lock()
	defer o.mu.Unlock()
	kdir := filepath.Join(o.dir, kind)
	switch err := os.Mkdir(kdir, 0o700); {
	case err == nil:
		// A new directory entry in dir must be durable too.
		if err := syncDir(o.dir); err != nil {
			return fmt.Errorf("outbox: %w", err)
		}
	case !errors.Is(err, fs.ErrExist):
		return fmt.Errorf("outbox: %w", err)
	}
	names, err := o.list(kind)
	if err != nil {
		return err
	}
	if slices.ContainsFunc(names, func(n string) bool { return idOf(n) == id }) {
		return nil
	}
	if err := writeFile(kdir, name, data); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	names = append(names, name)
	slices.Sort(names)
	for _, n := range names[:max(0, len(names)-o.maxItems)] {
		o.drop(kind, n, "over MaxItems")
	}
	return nil
}

// Pending returns the kind's items, oldest first.
func (o *Outbox) Pending(kind string) ([]Item, error) {
	if err := validKind(kind); err != nil {
		return nil, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.read(kind, -1)
}

// Remove deletes the kind's items with these ids; unknown ids are ignored.
func (o *Outbox) Remove(kind string, ids ...string) error {
	if err := validKind(kind); err != nil {
		return err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.remove(kind, ids)
}

// Dropped reports how many items this Outbox dropped since Open, for being
// over MaxItems or refused by the gateway.
func (o *Outbox) Dropped() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.dropped
}

// Flush sends the kind's items oldest first, in batches of batch (0 or less
// means DefaultBatch), until none are left, and returns how many were sent
// and removed.
//
// A batch is removed only after send returned nil, so a crash or error at
// any point means the items are sent again later, with the same ids.
// If send returns an error matching ErrRefused, the refused items are
// dropped and logged (kind and id only) and the flush goes on; with a
// *RefusedError naming ids, only those are dropped and the rest of the batch
// is sent again (the gateway ignores ids it already has). Any other error
// stops the flush, keeps everything and is returned.
//
// Only one Flush per kind runs at a time: a second one waits for the first
// (or for ctx), then sends whatever is still pending, so an item is never
// sent twice by two flushes at once and a trigger is never lost.
func (o *Outbox) Flush(ctx context.Context, kind string, batch int, send func(ctx context.Context, items []Item) error) (sent int, err error) {
	if err := validKind(kind); err != nil {
		return 0, err
	}
	if batch <= 0 {
		batch = DefaultBatch
	}
	o.mu.Lock()
	sem := o.flushes[kind]
	if sem == nil {
		sem = make(chan struct{}, 1)
		o.flushes[kind] = sem
	}
	o.mu.Unlock()
	select {
	case sem <- struct{}{}:
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	defer func() { <-sem }() // also when send panics

	for {
		if err := ctx.Err(); err != nil {
			return sent, err
		}
		o.mu.Lock()
		items, err := o.read(kind, batch)
		o.mu.Unlock()
		if err != nil || len(items) == 0 {
			return sent, err
		}
		ids := make([]string, len(items))
		for i, it := range items {
			ids[i] = it.ID
		}

		// Without the lock: Add and Pending go on while the network is slow.
		serr := send(ctx, items)

		o.mu.Lock()
		switch {
		case serr == nil:
			err = o.remove(kind, ids)
			if err == nil {
				sent += len(ids)
			}
		case errors.Is(serr, ErrRefused):
			err = o.refuse(kind, ids, serr)
		default:
			err = fmt.Errorf("outbox: send %s: %w", kind, serr)
		}
		o.mu.Unlock()
		if err != nil {
			return sent, err
		}
	}
}

// refuse drops the refused items of a batch. Called with o.mu held.
func (o *Outbox) refuse(kind string, batch []string, serr error) error {
	refused := batch
	var re *RefusedError
	if errors.As(serr, &re) && len(re.IDs) > 0 {
		refused = nil
		for _, id := range re.IDs {
			if slices.Contains(batch, id) {
				refused = append(refused, id)
			}
		}
		// Dropping nothing would resend the same batch forever; dropping the
		// whole batch could lose good records. Stop and keep everything.
		if len(refused) == 0 {
			return fmt.Errorf("outbox: send %s: refused ids not in the batch: %w", kind, serr)
		}
	}
	names, err := o.list(kind)
	if err != nil {
		return err
	}
	for _, n := range names {
		if slices.Contains(refused, idOf(n)) {
			o.drop(kind, n, "refused by the gateway")
		}
	}
	return nil
}

// drop removes one item file and counts it. Called with o.mu held.
func (o *Outbox) drop(kind, name, why string) {
	if err := os.Remove(filepath.Join(o.dir, kind, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		o.log.Error("outbox: cannot drop item", "kind", kind, "id", idOf(name), "err", err)
		return
	}
	o.dropped++
	o.log.Warn("outbox: item dropped", "kind", kind, "id", idOf(name), "why", why)
}

// remove deletes the items with these ids. Called with o.mu held.
// No directory fsync: if a removal is lost in a crash the item is sent
// again, which the gateway ignores.
func (o *Outbox) remove(kind string, ids []string) error {
	for _, id := range ids {
		if err := validID(id); err != nil {
			return err
		}
	}
	names, err := o.list(kind)
	if err != nil {
		return err
	}
	for _, n := range names {
		if !slices.Contains(ids, idOf(n)) {
			continue
		}
		if err := os.Remove(filepath.Join(o.dir, kind, n)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("outbox: %w", err)
		}
	}
	return nil
}

// read returns up to limit (all if < 0) items, oldest first, removing the
// damaged files it meets. Called with o.mu held.
func (o *Outbox) read(kind string, limit int) ([]Item, error) {
	names, err := o.list(kind)
	if err != nil {
		return nil, err
	}
	var items []Item
	for _, n := range names {
		if limit >= 0 && len(items) >= limit {
			break
		}
		path := filepath.Join(o.dir, kind, n)
		data, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("outbox: %w", err)
		}
		var r record
		if err := json.Unmarshal(data, &r); err != nil || r.Kind != kind || r.ID != idOf(n) {
			// Torn by a crash or a bad disk: it cannot be sent, and keeping
			// it would stall the queue.
			o.log.Error("outbox: damaged item removed", "kind", kind, "id", idOf(n), "err", err)
			if err := os.Remove(path); err != nil {
				o.log.Error("outbox: cannot remove damaged item", "kind", kind, "id", idOf(n), "err", err)
			}
			continue
		}
		items = append(items, Item{Kind: r.Kind, ID: r.ID, Payload: r.Payload, Added: r.Added})
	}
	return items, nil
}

// list returns the kind's item file names, oldest first. Temp files and
// foreign files are skipped. Called with o.mu held.
func (o *Outbox) list(kind string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(o.dir, kind)) // sorted by name
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && validID(idOf(e.Name())) == nil {
			names = append(names, e.Name())
		}
	}
	return names, nil
}

func fileName(added time.Time, id string) string {
	return added.UTC().Format(timeLayout) + "-" + id + fileExt
}

// idOf returns the id in an item file name, or "" if it is not one.
// The time part holds no dash, so the id is everything after the first one.
func idOf(name string) string {
	ts, rest, ok := strings.Cut(name, "-")
	id, isItem := strings.CutSuffix(rest, fileExt)
	if !ok || !isItem || len(ts) != len(timeLayout) {
		return ""
	}
	return id
}

// writeFile stores data under name in dir so that a crash leaves either the
// whole file or none: temp file, fsync, rename, fsync the directory.
func writeFile(dir, name string, data []byte) error {
	f, err := os.CreateTemp(dir, tmpPrefix+"*") // mode 0600
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, name))
	}
	if err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return syncDir(dir)
}

// syncDir makes a rename or new entry in dir durable. Windows cannot fsync a
// directory (and NTFS journals the rename), so it is skipped there.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// validKind accepts 1–32 lowercase letters, digits and dashes: it becomes a
// directory name, so no upper case (Windows would fold "Visit" and "visit"
// into one directory) and no Windows device names.
func validKind(kind string) error {
	if len(kind) == 0 || len(kind) > maxKindLen || !onlyChars(kind, false) || reserved(kind) {
		return fmt.Errorf("outbox: invalid kind %q: want 1–%d of a–z, 0–9, -", kind, maxKindLen)
	}
	return nil
}

// validID accepts 1–40 ASCII letters, digits and dashes: it becomes part of
// a file name.
func validID(id string) error {
	if len(id) == 0 || len(id) > maxIDLen || !onlyChars(id, true) {
		return fmt.Errorf("outbox: invalid id %q: want 1–%d of A–Z, a–z, 0–9, -", id, maxIDLen)
	}
	return nil
}

func onlyChars(s string, upper bool) bool {
	for _, c := range s {
		ok := c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || upper && c >= 'A' && c <= 'Z'
		if !ok {
			return false
		}
	}
	return true
}

// reserved reports Windows device names, which cannot be directories there.
func reserved(kind string) bool {
	switch kind {
	case "con", "prn", "aux", "nul":
		return true
	}
	if len(kind) == 4 && (kind[:3] == "com" || kind[:3] == "lpt") && kind[3] >= '0' && kind[3] <= '9' {
		return true
	}
	return false
}

// Dir is the outbox's directory.
func (o *Outbox) Dir() string { return o.dir }
