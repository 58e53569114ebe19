package state

import (
	"context"
	"sync"
	"time"
)

// Limiter allows each key at most a set number of actions per sliding
// window (one mail per address per 2 minutes, 10 failed logins per account
// and address per 15 minutes). MemoryLimiter keeps the actions in this
// process; an implementation shared by many nodes (Redis) satisfies the
// same interface. A limiter that cannot reach its store returns an error,
// and the caller decides whether to fail open or closed.
type Limiter interface {
	// Allow reports whether key may act now and, if so, records that it
	// did: of many concurrent calls for a key with one action left,
	// exactly one is allowed.
	Allow(ctx context.Context, key string) (bool, error)
	// RetryAfter is how long key must wait before it may act again: zero
	// when it may act now, else the time until its oldest action leaves
	// the window. It records nothing.
	RetryAfter(ctx context.Context, key string) (time.Duration, error)
	// Forget lets key act again at once (its action failed before anything
	// was sent, or a login succeeded).
	Forget(ctx context.Context, key string) error
}

// MemoryLimiter is the in-process Limiter: a restart forgets it, which only
// ever allows a few extra actions. Memory is bounded by the keys that acted
// in the last two windows. Safe for concurrent use.
type MemoryLimiter struct {
	limit  int
	window time.Duration
	clock  Clock

	mu        sync.Mutex
	recent    map[string][]time.Time // per key, the times of its actions inside the window, oldest first
	lastSweep time.Time
}

var _ Limiter = (*MemoryLimiter)(nil)

// NewMemoryLimiter returns a limiter of limit actions per window per key,
// reading the time from clock.
func NewMemoryLimiter(limit int, window time.Duration, clock Clock) *MemoryLimiter {
	return &MemoryLimiter{limit: max(limit, 1), window: window, clock: clock, recent: map[string][]time.Time{}, lastSweep: clock()}
}

// Allow implements Limiter; it never fails.
func (l *MemoryLimiter) Allow(_ context.Context, key string) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock()
	l.sweep(now)
	times := l.live(key, now)
	if len(times) >= l.limit {
		return false, nil
	}
	l.recent[key] = append(times, now)
	return true, nil
}

// RetryAfter implements Limiter; it never fails.
func (l *MemoryLimiter) RetryAfter(_ context.Context, key string) (time.Duration, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock()
	times := l.live(key, now)
	if len(times) < l.limit {
		return 0, nil
	}
	return times[0].Add(l.window).Sub(now), nil
}

// Forget implements Limiter; it never fails.
func (l *MemoryLimiter) Forget(_ context.Context, key string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.recent, key)
	return nil
}

// Len returns the number of keys currently remembered.
func (l *MemoryLimiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.recent)
}

// live drops key's actions that left the window and returns the rest.
func (l *MemoryLimiter) live(key string, now time.Time) []time.Time {
	times := l.recent[key]
	i := 0
	for i < len(times) && now.Sub(times[i]) >= l.window {
		i++
	}
	if i == len(times) {
		delete(l.recent, key)
		return nil
	}
	times = times[i:]
	l.recent[key] = times
	return times
}

// sweep drops the keys whose actions all left the window, at most once per
// window, so that memory is bounded by the keys seen in the last two
// windows while each call stays O(1) amortised.
func (l *MemoryLimiter) sweep(now time.Time) {
	if now.Sub(l.lastSweep) < l.window {
		return
	}
	for key := range l.recent {
		l.live(key, now)
	}
	l.lastSweep = now
}
