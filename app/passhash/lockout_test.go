package passhash

import (
	"sync"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)

func TestLockoutAfterMaxFailures(t *testing.T) {
	l := NewLockout(5, 15*time.Minute)
	for i := 1; i <= 4; i++ {
		if l.Failed("ann", t0) {
			t.Fatalf("locked after %d failures", i)
		}
		if locked, _ := l.Locked("ann", t0); locked {
			t.Fatalf("locked after %d failures", i)
		}
	}
	if !l.Failed("ann", t0) {
		t.Fatal("the fifth failure does not lock")
	}
	locked, until := l.Locked("ann", t0.Add(time.Minute))
	if !locked || !until.Equal(t0.Add(15*time.Minute)) {
		t.Fatalf("Locked = %v, %v; want true, %v", locked, until, t0.Add(15*time.Minute))
	}
	if locked, _ := l.Locked("bob", t0); locked {
		t.Error("another key is locked too")
	}
	if locked, _ := l.Locked("ann", t0.Add(15*time.Minute-time.Second)); !locked {
		t.Error("unlocked before the duration")
	}
	if locked, until := l.Locked("ann", t0.Add(15*time.Minute)); locked || !until.IsZero() {
		t.Errorf("still locked after the duration: %v", until)
	}
	// The count starts again after a lock.
	later := t0.Add(time.Hour)
	for range 4 {
		l.Failed("ann", later)
	}
	if locked, _ := l.Locked("ann", later); locked {
		t.Error("locked again before five new failures")
	}
}

func TestLockoutSuccessResets(t *testing.T) {
	l := NewLockout(3, time.Minute)
	l.Failed("pin", t0)
	l.Failed("pin", t0)
	l.Succeeded("pin")
	if l.Failed("pin", t0) || l.Failed("pin", t0) {
		t.Fatal("failures before a success still count")
	}
	if !l.Failed("pin", t0) {
		t.Fatal("three failures in a row do not lock")
	}
}

func TestLockoutConcurrent(t *testing.T) {
	l := NewLockout(800, time.Minute)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				l.Failed("x", t0)
				l.Locked("x", t0)
			}
		})
	}
	wg.Wait()
	if locked, _ := l.Locked("x", t0); !locked {
		t.Error("800 concurrent failures did not lock at a maximum of 800: a count was lost")
	}
}
