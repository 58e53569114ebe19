// Package state is the one kit for Linkbase's in-memory state: a bounded
// cache with invalidation by key and by owner, buffered counts written out
// by a Flusher, a rate limiter behind an interface, a bound on concurrent
// work, and the clock every one of them reads. Each exists once; stores
// (refstore, linkstore, …) build their state from it. It knows nothing of
// PocketBase or HTTP, so it is tested in microseconds.
package state

import (
	"sync/atomic"
	"time"
)

// Clock tells the time. Every store and buffer is given one when it is
// built (time.Now in production, a ManualClock in tests), so rules that
// depend on the time (schedules, days, windows) can be tested at any
// moment without a package-level setting.
type Clock func() time.Time

// ManualClock is a Clock that only moves when told to, for tests. It is
// safe for concurrent use.
type ManualClock struct {
	nanos atomic.Int64
}

// NewManualClock returns a clock stopped at t.
func NewManualClock(t time.Time) *ManualClock {
	c := &ManualClock{}
	c.Set(t)
	return c
}

// Now returns the clock's time; pass c.Now where a Clock is wanted.
func (c *ManualClock) Now() time.Time { return time.Unix(0, c.nanos.Load()).UTC() }

// Set moves the clock to t.
func (c *ManualClock) Set(t time.Time) { c.nanos.Store(t.UnixNano()) }

// Advance moves the clock forward by d.
func (c *ManualClock) Advance(d time.Duration) { c.nanos.Add(int64(d)) }
