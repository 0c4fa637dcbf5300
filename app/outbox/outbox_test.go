package outbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// clock is a fake Now that moves 1 ms on every call, so items added one
// after the other have distinct, increasing times.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock {
	return &clock{t: time.Date(2026, 12, 1, 10, 15, 0, 123456789, time.UTC)}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Millisecond)
	return c.t
}

// syncBuffer is a log sink safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func quietLog() *slog.Logger { return slog.New(slog.DiscardHandler) }

func open(t *testing.T, dir string, opts Options) *Outbox {
	t.Helper()
	if opts.Log == nil {
		opts.Log = quietLog()
	}
	o, err := Open(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func add(t *testing.T, o *Outbox, kind string, ids ...string) {
	t.Helper()
	for _, id := range ids {
		if err := o.Add(kind, id, []byte(`{"visit":"`+id+`"}`)); err != nil {
			t.Fatal(err)
		}
	}
}

func pendingIDs(t *testing.T, o *Outbox, kind string) []string {
	t.Helper()
	items, err := o.Pending(kind)
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, it := range items {
		ids = append(ids, it.ID)
	}
	return ids
}

func idsOf(items []Item) []string {
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	return ids
}

// gateway is a fake city gateway that de-duplicates by id, as the real one
// does. down makes it answer 503, like an outage seen through a proxy.
type gateway struct {
	down atomic.Bool

	mu         sync.Mutex
	counted    map[string]bool // ids counted, each once
	deliveries int             // every id received, duplicates included
}

func newGateway() *gateway { return &gateway{counted: map[string]bool{}} }

func (g *gateway) receive(ids []string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, id := range ids {
		g.deliveries++
		g.counted[id] = true
	}
}

func (g *gateway) counts() (counted []string, deliveries int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for id := range g.counted {
		counted = append(counted, id)
	}
	slices.Sort(counted)
	return counted, g.deliveries
}

// send is a send func for Flush that calls the gateway directly.
func (g *gateway) send(_ context.Context, items []Item) error {
	if g.down.Load() {
		return errors.New("network is down")
	}
	g.receive(idsOf(items))
	return nil
}

// server serves the gateway over HTTP: POST a JSON list of ids.
func (g *gateway) server(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if g.down.Load() {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		var ids []string
		if err := json.NewDecoder(r.Body).Decode(&ids); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		g.receive(ids)
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// httpSend is the kiosk's side: POST the ids, any non-2xx is an error.
func httpSend(url string) func(ctx context.Context, items []Item) error {
	return func(ctx context.Context, items []Item) error {
		body, _ := json.Marshal(idsOf(items))
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return err
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, resp.Body)
		if resp.StatusCode/100 != 2 {
			return fmt.Errorf("gateway: %s", resp.Status)
		}
		return nil
	}
}

func TestReopenKeepsItemsOldestFirst(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "outbox")
	clk := newClock()
	o := open(t, dir, Options{Now: clk.Now})
	// Ids in non-alphabetical order: the order must come from the time.
	add(t, o, "visit", "zz-3", "aa-1", "mm-2")
	add(t, o, "help", "h1")

	o = open(t, dir, Options{Now: clk.Now}) // the kiosk restarted
	items, err := o.Pending("visit")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := idsOf(items), []string{"zz-3", "aa-1", "mm-2"}; !slices.Equal(got, want) {
		t.Fatalf("pending = %v, want %v", got, want)
	}
	for i, it := range items {
		if it.Kind != "visit" || string(it.Payload) != `{"visit":"`+it.ID+`"}` {
			t.Errorf("item %d = %+v", i, it)
		}
		if i > 0 && !items[i-1].Added.Before(it.Added) {
			t.Errorf("item %d added %v, not after %v", i, it.Added, items[i-1].Added)
		}
	}
	if want := time.Date(2026, 12, 1, 10, 15, 0, 124456789, time.UTC); !items[0].Added.Equal(want) {
		t.Errorf("added = %v, want %v (nanoseconds kept)", items[0].Added, want)
	}
	if got := pendingIDs(t, o, "help"); !slices.Equal(got, []string{"h1"}) {
		t.Errorf("help = %v", got)
	}
	if got := pendingIDs(t, o, "unknown"); len(got) != 0 {
		t.Errorf("unknown kind = %v", got)
	}

	// The on-disk layout is part of the contract (support reads it).
	names, _ := filepath.Glob(filepath.Join(dir, "visit", "*"))
	if len(names) != 3 || filepath.Base(names[0]) != "20261201T101500.124456789Z-zz-3.json" {
		t.Errorf("files = %v", names)
	}
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(dir)
		if err != nil || fi.Mode().Perm() != 0o700 {
			t.Errorf("dir mode = %v, %v; want 0700", fi.Mode(), err)
		}
	}
}

func TestAddSameIDTwiceKeepsFirst(t *testing.T) {
	o := open(t, t.TempDir(), Options{Now: newClock().Now})
	if err := o.Add("visit", "v1", []byte("first")); err != nil {
		t.Fatal(err)
	}
	if err := o.Add("visit", "v1", []byte("second")); err != nil {
		t.Fatal(err)
	}
	items, _ := o.Pending("visit")
	if len(items) != 1 || string(items[0].Payload) != "first" {
		t.Fatalf("pending = %+v", items)
	}
}

func TestRemove(t *testing.T) {
	o := open(t, t.TempDir(), Options{Now: newClock().Now})
	add(t, o, "visit", "a", "b", "c")
	if err := o.Remove("visit", "a", "c", "not-there"); err != nil {
		t.Fatal(err)
	}
	if got := pendingIDs(t, o, "visit"); !slices.Equal(got, []string{"b"}) {
		t.Fatalf("pending = %v", got)
	}
	if err := o.Remove("help", "x"); err != nil {
		t.Errorf("remove from an unused kind: %v", err)
	}
}

func TestFlushSendFailureKeepsItems(t *testing.T) {
	tests := []struct {
		name     string
		failAt   int // the send call that fails, counting from 1
		wantSent int
		wantLeft []string
	}{
		{"first batch fails", 1, 0, []string{"v1", "v2", "v3", "v4", "v5"}},
		{"second batch fails", 2, 2, []string{"v3", "v4", "v5"}},
		{"last batch fails", 3, 4, []string{"v5"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := open(t, t.TempDir(), Options{Now: newClock().Now})
			add(t, o, "visit", "v1", "v2", "v3", "v4", "v5")
			calls := 0
			var failed []string
			netErr := errors.New("connection refused")
			sent, err := o.Flush(t.Context(), "visit", 2, func(_ context.Context, items []Item) error {
				calls++
				if calls == tt.failAt {
					failed = idsOf(items)
					return netErr
				}
				return nil
			})
			if !errors.Is(err, netErr) || sent != tt.wantSent {
				t.Fatalf("flush = %d, %v; want %d, %v", sent, err, tt.wantSent, netErr)
			}
			if got := pendingIDs(t, o, "visit"); !slices.Equal(got, tt.wantLeft) {
				t.Fatalf("left = %v, want %v", got, tt.wantLeft)
			}
			if o.Dropped() != 0 {
				t.Errorf("dropped = %d", o.Dropped())
			}

			// The next flush sends the same ids again, first.
			var again []Item
			sent, err = o.Flush(t.Context(), "visit", 2, func(_ context.Context, items []Item) error {
				again = append(again, items...)
				return nil
			})
			if err != nil || sent != len(tt.wantLeft) {
				t.Fatalf("second flush = %d, %v", sent, err)
			}
			if got := idsOf(again); !slices.Equal(got[:len(failed)], failed) || !slices.Equal(got, tt.wantLeft) {
				t.Errorf("resent %v, failed batch was %v", got, failed)
			}
			if got := pendingIDs(t, o, "visit"); len(got) != 0 {
				t.Errorf("left after success = %v", got)
			}
		})
	}
}

// A power cut after the gateway got a batch but before Remove: the batch is
// still on disk after the restart and is sent again with the same ids.
func TestCrashBetweenSendAndRemoveResendsSameIDs(t *testing.T) {
	dir := t.TempDir()
	clk := newClock()
	o := open(t, dir, Options{Now: clk.Now})
	add(t, o, "help", "h1", "h2", "h3")
	var first []string
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("send did not panic")
			}
		}()
		_, _ = o.Flush(t.Context(), "help", 10, func(_ context.Context, items []Item) error {
			first = idsOf(items)
			panic("power cut") // after the gateway has the items
		})
	}()

	o = open(t, dir, Options{Now: clk.Now})
	var second []string
	sent, err := o.Flush(t.Context(), "help", 10, func(_ context.Context, items []Item) error {
		second = idsOf(items)
		return nil
	})
	if err != nil || sent != 3 {
		t.Fatalf("flush after restart = %d, %v", sent, err)
	}
	if !slices.Equal(first, second) || len(first) != 3 {
		t.Errorf("sent %v before the crash, %v after", first, second)
	}
}

// The whole promise: through outages, crashes and restarts, the gateway
// counts every record exactly once.
func TestExactlyOnceAcrossRestartsAndOutages(t *testing.T) {
	g := newGateway()
	srv := g.server(t)
	post := httpSend(srv.URL)
	dir := t.TempDir()
	clk := newClock()
	var added []string

	for round := range 8 {
		o := open(t, dir, Options{Now: clk.Now}) // every round is a kiosk restart
		for i := range 5 {
			id := fmt.Sprintf("visit-%d-%d", round, i)
			added = append(added, id)
			add(t, o, "visit", id)
		}
		g.down.Store(round%4 == 0 || round%4 == 1) // hours-long outages
		switch round % 3 {
		case 0, 1:
			_, err := o.Flush(t.Context(), "visit", 3, post)
			if g.down.Load() && err == nil {
				t.Fatalf("round %d: flush with the network down returned nil", round)
			}
		case 2:
			// The gateway gets the first batch, then the kiosk loses power.
			func() {
				defer func() { _ = recover() }()
				_, _ = o.Flush(t.Context(), "visit", 3, func(ctx context.Context, items []Item) error {
					if err := post(ctx, items); err != nil {
						return err
					}
					panic("power cut")
				})
			}()
		}
	}

	g.down.Store(false)
	o := open(t, dir, Options{Now: clk.Now})
	if _, err := o.Flush(t.Context(), "visit", 3, post); err != nil {
		t.Fatal(err)
	}
	if left := pendingIDs(t, o, "visit"); len(left) != 0 {
		t.Fatalf("left = %v", left)
	}
	counted, deliveries := g.counts()
	slices.Sort(added)
	if !slices.Equal(counted, added) {
		t.Errorf("counted %d ids, added %d: %v vs %v", len(counted), len(added), counted, added)
	}
	if deliveries <= len(added) {
		t.Errorf("deliveries = %d: the test did not exercise a resend", deliveries)
	}
	if o.Dropped() != 0 {
		t.Errorf("dropped = %d", o.Dropped())
	}
}

func TestFlushRefused(t *testing.T) {
	const secret = "PAYLOAD-MUST-NOT-BE-LOGGED"
	tests := []struct {
		name        string
		refuse      error // returned for the batch holding "b"
		wantErr     bool
		wantDropped int
		wantCounted []string
		wantLeft    []string
	}{
		{
			name:        "whole batch",
			refuse:      fmt.Errorf("gateway: 400 invalid: %w", ErrRefused),
			wantDropped: 2, // a and b share the batch
			wantCounted: []string{"c", "d"},
			wantLeft:    []string{},
		},
		{
			name:        "one id",
			refuse:      fmt.Errorf("gateway: %w", Refused("b")),
			wantDropped: 1,
			wantCounted: []string{"a", "c", "d"},
			wantLeft:    []string{},
		},
		{
			name:        "ids not in the batch",
			refuse:      Refused("zz"),
			wantErr:     true,
			wantCounted: []string{},
			wantLeft:    []string{"a", "b", "c", "d"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs syncBuffer
			o := open(t, t.TempDir(), Options{Now: newClock().Now, Log: slog.New(slog.NewTextHandler(&logs, nil))})
			for _, id := range []string{"a", "b", "c", "d"} {
				if err := o.Add("visit", id, []byte(secret)); err != nil {
					t.Fatal(err)
				}
			}
			counted := []string{}
			sent, err := o.Flush(t.Context(), "visit", 2, func(_ context.Context, items []Item) error {
				ids := idsOf(items)
				if slices.Contains(ids, "b") {
					return tt.refuse
				}
				counted = append(counted, ids...)
				return nil
			})
			if (err != nil) != tt.wantErr {
				t.Fatalf("flush err = %v, want error %v", err, tt.wantErr)
			}
			if sent != len(tt.wantCounted) || !slices.Equal(counted, tt.wantCounted) {
				t.Errorf("sent %d %v, want %v", sent, counted, tt.wantCounted)
			}
			if o.Dropped() != tt.wantDropped {
				t.Errorf("dropped = %d, want %d", o.Dropped(), tt.wantDropped)
			}
			if got := pendingIDs(t, o, "visit"); !slices.Equal(got, tt.wantLeft) {
				t.Errorf("left = %v, want %v", got, tt.wantLeft)
			}
			if tt.wantDropped > 0 && !strings.Contains(logs.String(), "id=b") {
				t.Errorf("drop not logged by id:\n%s", logs.String())
			}
			if strings.Contains(logs.String(), secret) {
				t.Errorf("payload in the log:\n%s", logs.String())
			}
		})
	}
}

func TestMaxItemsDropsOldest(t *testing.T) {
	tests := []struct {
		name        string
		max, adds   int
		wantDropped int
		wantLeft    []string
	}{
		{"under", 3, 2, 0, []string{"v0", "v1"}},
		{"at", 3, 3, 0, []string{"v0", "v1", "v2"}},
		{"over", 3, 5, 2, []string{"v2", "v3", "v4"}},
		{"one", 1, 3, 2, []string{"v2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs syncBuffer
			dir := t.TempDir()
			o := open(t, dir, Options{MaxItems: tt.max, Now: newClock().Now, Log: slog.New(slog.NewTextHandler(&logs, nil))})
			add(t, o, "help", "h0") // another kind has its own limit
			for i := range tt.adds {
				add(t, o, "visit", fmt.Sprintf("v%d", i))
			}
			if got := pendingIDs(t, o, "visit"); !slices.Equal(got, tt.wantLeft) {
				t.Errorf("left = %v, want %v", got, tt.wantLeft)
			}
			if got := pendingIDs(t, o, "help"); !slices.Equal(got, []string{"h0"}) {
				t.Errorf("help = %v", got)
			}
			if o.Dropped() != tt.wantDropped {
				t.Errorf("dropped = %d, want %d", o.Dropped(), tt.wantDropped)
			}
			if tt.wantDropped > 0 && !strings.Contains(logs.String(), "id=v0") {
				t.Errorf("drop not logged:\n%s", logs.String())
			}
			// Dropped files are gone from disk, not just hidden.
			names, _ := filepath.Glob(filepath.Join(dir, "visit", "*.json"))
			if len(names) != len(tt.wantLeft) {
				t.Errorf("%d files on disk, want %d", len(names), len(tt.wantLeft))
			}
		})
	}
	o := open(t, t.TempDir(), Options{})
	if o.maxItems != DefaultMaxItems {
		t.Errorf("default MaxItems = %d", o.maxItems)
	}
}

func TestDamagedFiles(t *testing.T) {
	dir := t.TempDir()
	clk := newClock()
	o := open(t, dir, Options{Now: clk.Now})
	add(t, o, "visit", "good", "torn", "empty", "wrong", "good2")

	kdir := filepath.Join(dir, "visit")
	names, _ := filepath.Glob(filepath.Join(kdir, "*.json"))
	if len(names) != 5 {
		t.Fatalf("files = %v", names)
	}
	byID := map[string]string{}
	for _, n := range names {
		byID[idOf(filepath.Base(n))] = n
	}
	whole, _ := os.ReadFile(byID["torn"])
	write := func(path, data string) {
		if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(byID["torn"], string(whole[:len(whole)/2]))                                    // truncated by a power cut
	write(byID["empty"], "")                                                             // never got its data
	write(byID["wrong"], `{"kind":"visit","id":"other","added":"2026-12-01T10:15:00Z"}`) // not its name
	write(filepath.Join(kdir, ".tmp-123456"), `{"kind":"vis`)                            // torn temp file
	write(filepath.Join(kdir, "README.txt"), "not ours")                                 // foreign file: left alone

	var logs syncBuffer
	o = open(t, dir, Options{Now: clk.Now, Log: slog.New(slog.NewTextHandler(&logs, nil))})
	if _, err := os.Stat(filepath.Join(kdir, ".tmp-123456")); !os.IsNotExist(err) {
		t.Errorf("temp file not cleaned at Open: %v", err)
	}
	var sent []string
	n, err := o.Flush(t.Context(), "visit", 10, func(_ context.Context, items []Item) error {
		sent = append(sent, idsOf(items)...)
		return nil
	})
	if err != nil || n != 2 || !slices.Equal(sent, []string{"good", "good2"}) {
		t.Fatalf("flush = %d %v, %v", n, sent, err)
	}
	for _, id := range []string{"torn", "empty", "wrong"} {
		if _, err := os.Stat(byID[id]); !os.IsNotExist(err) {
			t.Errorf("damaged %s not removed: %v", id, err)
		}
		if !strings.Contains(logs.String(), "id="+id) {
			t.Errorf("damaged %s not logged:\n%s", id, logs.String())
		}
	}
	if _, err := os.Stat(filepath.Join(kdir, "README.txt")); err != nil {
		t.Errorf("foreign file removed: %v", err)
	}

	// A temp file appearing while open (an Add in progress) is not an item.
	write(filepath.Join(kdir, ".tmp-999"), "{}")
	if got := pendingIDs(t, o, "visit"); len(got) != 0 {
		t.Errorf("pending = %v", got)
	}
}

func TestConcurrentAddAndFlush(t *testing.T) {
	g := newGateway()
	o := open(t, t.TempDir(), Options{Now: newClock().Now})
	const adders, perAdder = 4, 40

	var adding sync.WaitGroup
	var added []string
	var addedMu sync.Mutex
	for a := range adders {
		adding.Go(func() {
			for i := range perAdder {
				id := fmt.Sprintf("v-%d-%d", a, i)
				kind := "visit"
				if i%4 == 0 {
					kind = "help"
				}
				if err := o.Add(kind, id, []byte("x")); err != nil {
					t.Error(err)
					return
				}
				addedMu.Lock()
				added = append(added, id)
				addedMu.Unlock()
			}
		})
	}
	done := make(chan struct{})
	var flushing sync.WaitGroup
	for f := range 3 {
		flushing.Go(func() {
			kind := []string{"visit", "help", "visit"}[f]
			for {
				if _, err := o.Flush(t.Context(), kind, 7, g.send); err != nil {
					t.Error(err)
				}
				_, _ = o.Pending(kind)
				_ = o.Dropped()
				select {
				case <-done:
					return
				default:
				}
			}
		})
	}
	adding.Wait()
	close(done)
	flushing.Wait()
	for _, kind := range []string{"visit", "help"} {
		if _, err := o.Flush(t.Context(), kind, 7, g.send); err != nil {
			t.Fatal(err)
		}
	}

	counted, deliveries := g.counts()
	slices.Sort(added)
	if !slices.Equal(counted, added) {
		t.Errorf("counted %d, added %d", len(counted), len(added))
	}
	// One Flush per kind at a time, and no failures: nothing is sent twice.
	if deliveries != len(added) {
		t.Errorf("deliveries = %d, want %d", deliveries, len(added))
	}
}

func TestSecondFlushWaits(t *testing.T) {
	o := open(t, t.TempDir(), Options{Now: newClock().Now})
	add(t, o, "visit", "a", "b")

	inSend := make(chan struct{})
	release := make(chan struct{})
	var sends atomic.Int32
	firstDone := make(chan error)
	go func() {
		_, err := o.Flush(t.Context(), "visit", 10, func(context.Context, []Item) error {
			sends.Add(1)
			close(inSend)
			<-release
			return nil
		})
		firstDone <- err
	}()
	<-inSend

	// While the first is sending, a second flush gives up with its context.
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	n, err := o.Flush(ctx, "visit", 10, func(context.Context, []Item) error {
		sends.Add(1)
		return nil
	})
	if !errors.Is(err, context.DeadlineExceeded) || n != 0 {
		t.Errorf("waiting flush = %d, %v", n, err)
	}
	// Other kinds are not held up.
	if _, err := o.Flush(t.Context(), "help", 10, func(context.Context, []Item) error { return nil }); err != nil {
		t.Error(err)
	}

	secondDone := make(chan int)
	go func() {
		n, _ := o.Flush(t.Context(), "visit", 10, func(context.Context, []Item) error {
			sends.Add(1)
			return nil
		})
		secondDone <- n
	}()
	close(release)
	if err := <-firstDone; err != nil {
		t.Fatal(err)
	}
	if n := <-secondDone; n != 0 {
		t.Errorf("second flush sent %d, want 0: the first already sent them", n)
	}
	if sends.Load() != 1 {
		t.Errorf("send called %d times, want 1", sends.Load())
	}
}

func TestInvalidKindAndID(t *testing.T) {
	tests := []struct {
		kind, id string
		ok       bool
	}{
		{"visit", "v1", true},
		{"help-request", "ABC-123-def", true},
		{strings.Repeat("k", 32), strings.Repeat("i", 40), true},
		{"", "v1", false},
		{"visit", "", false},
		{strings.Repeat("k", 33), "v1", false},
		{"visit", strings.Repeat("i", 41), false},
		{"../etc", "v1", false},
		{"visit", "../../x", false},
		{"a/b", "v1", false},
		{"visit", `a\b`, false},
		{"visit", "a.json", false},
		{"visit", "a b", false},
		{"visit", "a\x00", false},
		{"visit", "é", false},
		{"Visit", "v1", false}, // upper case: Windows would share a folder with "visit"
		{"con", "v1", false},   // Windows device names
		{"com1", "v1", false},
		{"lpt9", "v1", false},
		{"console", "v1", true},
	}
	for _, tt := range tests {
		t.Run(tt.kind+"/"+tt.id, func(t *testing.T) {
			dir := t.TempDir()
			o := open(t, dir, Options{})
			err := o.Add(tt.kind, tt.id, []byte("x"))
			if (err == nil) != tt.ok {
				t.Fatalf("Add(%q, %q) = %v, want ok %v", tt.kind, tt.id, err, tt.ok)
			}
			if !tt.ok {
				entries, _ := os.ReadDir(dir)
				if len(entries) != 0 {
					t.Errorf("refused Add left %v", entries)
				}
			}
		})
	}

	o := open(t, t.TempDir(), Options{})
	noSend := func(context.Context, []Item) error { t.Error("send called"); return nil }
	if _, err := o.Pending("../x"); err == nil {
		t.Error("Pending accepted a bad kind")
	}
	if err := o.Remove("../x", "a"); err == nil {
		t.Error("Remove accepted a bad kind")
	}
	if err := o.Remove("visit", "../a"); err == nil {
		t.Error("Remove accepted a bad id")
	}
	if _, err := o.Flush(t.Context(), "../x", 1, noSend); err == nil {
		t.Error("Flush accepted a bad kind")
	}
}

func TestAddBadClockRefused(t *testing.T) {
	o := open(t, t.TempDir(), Options{Now: func() time.Time { return time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }})
	if err := o.Add("visit", "v1", nil); err == nil {
		t.Error("Add with a year-10000 clock returned nil: the file name would not sort")
	}
}
