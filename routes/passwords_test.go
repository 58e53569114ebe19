package routes

import (
	"sync"
	"sync/atomic"
	"testing"
)

// TestPasswordSlotsBoundTheHashing runs many password jobs at once and
// checks that every one ran, and never more at a time than there are
// slots.
func TestPasswordSlotsBoundTheHashing(t *testing.T) {
	const jobs = 200
	var running, peak, done atomic.Int64
	release := make(chan struct{})
	var wg sync.WaitGroup
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			withPasswordSlot(func() {
				n := running.Add(1)
				for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
				}
				<-release
				running.Add(-1)
				done.Add(1)
			})
		}()
	}
	for range jobs {
		release <- struct{}{} // lets one job finish; a slot can only be held by a job waiting here
	}
	wg.Wait()
	if done.Load() != jobs || peak.Load() > int64(cap(passwordSlots)) || peak.Load() < 1 {
		t.Fatalf("%d of %d jobs ran, at most %d at once with %d slots", done.Load(), jobs, peak.Load(), cap(passwordSlots))
	}
}
