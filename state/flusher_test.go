package state_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"linkbase/state"
)

// flushes returns a flush func that signals every call on the returned
// channel and fails while fail says so.
func flushes(fail func(call int64) bool) (func(context.Context) error, chan int64, *atomic.Int64) {
	calls := &atomic.Int64{}
	ch := make(chan int64, 1000)
	return func(context.Context) error {
		n := calls.Add(1)
		ch <- n
		if fail != nil && fail(n) {
			return errors.New("database is locked")
		}
		return nil
	}, ch, calls
}

// await fails the test if no flush is signalled within a generous bound;
// it never measures how long the flush took.
func await(t *testing.T, ch chan int64, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatalf("no flush: %s", what)
	}
}

func TestFlusherFlushesOnItsInterval(t *testing.T) {
	flush, ch, _ := flushes(nil)
	f := state.NewFlusher(state.FlusherConfig{Name: "t", Every: time.Millisecond, Flush: flush})
	f.Start()
	defer f.Stop(context.Background())
	await(t, ch, "first tick")
	await(t, ch, "second tick")
}

func TestFlusherKickFlushesWithoutBlocking(t *testing.T) {
	flush, ch, _ := flushes(nil)
	f := state.NewFlusher(state.FlusherConfig{Name: "t", Every: time.Hour, Flush: flush})
	for range 1000 {
		f.Kick() // not running yet: a kick is kept, never waited for
	}
	f.Start()
	defer f.Stop(context.Background())
	await(t, ch, "the kick")
	f.Kick()
	await(t, ch, "a kick while running")
}

func TestFlusherStopRetriesTheFinalFlush(t *testing.T) {
	flush, _, calls := flushes(func(n int64) bool { return n <= 2 })
	f := state.NewFlusher(state.FlusherConfig{Name: "t", Every: time.Hour, Flush: flush, Pending: func() int { return 5 }})
	f.Start()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := f.Stop(ctx); err != nil {
		t.Fatalf("Stop() = %v, want the third attempt to succeed", err)
	}
	if calls.Load() != 3 {
		t.Fatalf("%d attempts, want 3", calls.Load())
	}
	s := f.Stats()
	if s.Failures != 2 || s.Flushes != 1 || s.LastError != "" || s.Pending != 5 {
		t.Fatalf("Stats() = %+v", s)
	}
}

func TestFlusherStopGivesUpAtItsDeadline(t *testing.T) {
	flush, _, calls := flushes(func(int64) bool { return true })
	f := state.NewFlusher(state.FlusherConfig{Name: "t", Every: time.Hour, Flush: flush})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := f.Stop(ctx); err == nil {
		t.Fatal("Stop() = nil with a flush that always fails")
	}
	if calls.Load() < 1 {
		t.Fatal("Stop never tried the final flush")
	}
	if s := f.Stats(); s.LastError != "database is locked" || s.Flushes != 0 {
		t.Fatalf("Stats() = %+v", s)
	}
}

func TestFlusherStopsOnce(t *testing.T) {
	flush, _, calls := flushes(nil)
	f := state.NewFlusher(state.FlusherConfig{Name: "t", Every: time.Hour, Flush: flush})
	f.Start()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if err := f.Stop(context.Background()); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	f.Start() // after Stop: no loop again
	f.Kick()
	if err := f.Stop(context.Background()); err != nil || calls.Load() != 1 {
		t.Fatalf("Stop() = %v after %d flushes, want one final flush in all", err, calls.Load())
	}
}

func TestFlusherNeverOverlapsFlushes(t *testing.T) {
	var running, overlaps atomic.Int64
	clock := state.NewManualClock(time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC))
	f := state.NewFlusher(state.FlusherConfig{
		Name: "t", Every: time.Microsecond, Clock: clock.Now,
		Flush: func(context.Context) error {
			if running.Add(1) > 1 {
				overlaps.Add(1)
			}
			time.Sleep(10 * time.Microsecond)
			running.Add(-1)
			return nil
		},
	})
	f.Start()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				f.Flush(context.Background())
				f.Kick()
			}
		})
	}
	wg.Wait()
	f.Stop(context.Background())
	if overlaps.Load() != 0 {
		t.Fatalf("%d flushes overlapped another", overlaps.Load())
	}
	if s := f.Stats(); s.Flushes < 401 || !s.LastFlush.Equal(clock.Now()) {
		t.Fatalf("Stats() = %+v", s)
	}
}

// TestFlusherStarted: a flusher stopped without ever starting (a process
// that never served) says so; one that ran says it started.
func TestFlusherStarted(t *testing.T) {
	flush, _, _ := flushes(nil)
	idle := state.NewFlusher(state.FlusherConfig{Name: "idle", Every: time.Hour, Flush: flush})
	if err := idle.Stop(context.Background()); err != nil || idle.Started() {
		t.Fatalf("never started: Started() = %v, Stop = %v", idle.Started(), err)
	}
	ran := state.NewFlusher(state.FlusherConfig{Name: "ran", Every: time.Hour, Flush: flush})
	ran.Start()
	if err := ran.Stop(context.Background()); err != nil || !ran.Started() {
		t.Fatalf("started: Started() = %v, Stop = %v", ran.Started(), err)
	}
}
