package state

import (
	"context"
	"sync/atomic"
)

// Slots bounds how much of some work runs at once, e.g. bcrypt hashes to
// the number of CPUs: beyond that, more goroutines only share the CPUs, so
// in a burst every request would finish at the end of it. Waiting callers
// are served first come, first served (a channel's blocked senders are).
// Safe for concurrent use.
type Slots struct {
	ch      chan struct{}
	waiting atomic.Int64
}

// NewSlots returns n slots (at least one).
func NewSlots(n int) *Slots {
	return &Slots{ch: make(chan struct{}, max(n, 1))}
}

// Acquire takes a slot, waiting for one until ctx is done.
func (s *Slots) Acquire(ctx context.Context) error {
	select {
	case s.ch <- struct{}{}:
		return nil
	default:
	}
	s.waiting.Add(1)
	defer s.waiting.Add(-1)
	select {
	case s.ch <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Release gives back a slot taken by Acquire.
func (s *Slots) Release() { <-s.ch }

// Do runs f in a slot, waiting as long as it takes for one.
func (s *Slots) Do(f func()) {
	_ = s.Acquire(context.Background())
	defer s.Release()
	f()
}

// Size is the number of slots.
func (s *Slots) Size() int { return cap(s.ch) }

// InUse is the number of slots taken.
func (s *Slots) InUse() int { return len(s.ch) }

// Waiting is the number of callers waiting for a slot.
func (s *Slots) Waiting() int { return int(s.waiting.Load()) }
