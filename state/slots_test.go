package state_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"linkbase/state"
)

// TestSlotsBoundTheWork runs many jobs at once and checks that every one
// ran, and never more at a time than there are slots.
func TestSlotsBoundTheWork(t *testing.T) {
	const jobs = 200
	s := state.NewSlots(3)
	var running, peak, done atomic.Int64
	release := make(chan struct{})
	var wg sync.WaitGroup
	for range jobs {
		wg.Go(func() {
			s.Do(func() {
				n := running.Add(1)
				for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
				}
				<-release
				running.Add(-1)
				done.Add(1)
			})
		})
	}
	for range jobs {
		release <- struct{}{} // lets one job finish; a slot can only be held by a job waiting here
	}
	wg.Wait()
	if done.Load() != jobs || peak.Load() > int64(s.Size()) || peak.Load() < 1 {
		t.Fatalf("%d of %d jobs ran, at most %d at once with %d slots", done.Load(), jobs, peak.Load(), s.Size())
	}
	if s.InUse() != 0 || s.Waiting() != 0 {
		t.Fatalf("after the jobs: %d in use, %d waiting", s.InUse(), s.Waiting())
	}
}

func TestSlotsAcquireGivesUpWithItsContext(t *testing.T) {
	s := state.NewSlots(1)
	if err := s.Acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Acquire(ctx); err == nil {
		t.Fatal("a full set of slots must refuse a cancelled wait")
	}
	s.Release()
	if err := s.Acquire(ctx); err != nil {
		t.Fatalf("a free slot is taken even by a cancelled caller: %v", err)
	}
}
