// Package throttle remembers which keys acted recently, so that an action
// (sending a mail to an address, failing to log in to an account) happens
// at most a set number of times per sliding window. It is in memory and per
// process: a restart forgets it, which only ever allows a few extra actions.
package throttle

import (
	"sync"
	"time"
)

// Store allows each key at most limit actions per window. It is safe for
// concurrent use.
type Store struct {
	limit  int
	window time.Duration
	now    func() time.Time

	mu        sync.Mutex
	recent    map[string][]time.Time // per key, the times of its actions inside the window, oldest first
	lastSweep time.Time
}

// New returns a Store that allows each key limit actions per window,
// reading the time from now (time.Now in production, a fake clock in tests).
func New(limit int, window time.Duration, now func() time.Time) *Store {
	return &Store{limit: max(limit, 1), window: window, now: now, recent: map[string][]time.Time{}, lastSweep: now()}
}

// Allow reports whether key may act now and, if so, records that it did:
// of many concurrent calls for a key with one action left, exactly one is
// allowed.
func (s *Store) Allow(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.sweep(now)
	times := s.live(key, now)
	if len(times) >= s.limit {
		return false
	}
	s.recent[key] = append(times, now)
	return true
}

// RetryAfter returns how long key must wait before it may act again: zero
// when it may act now, else the time until its oldest action leaves the
// window. It records nothing.
func (s *Store) RetryAfter(key string) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	times := s.live(key, now)
	if len(times) < s.limit {
		return 0
	}
	return times[0].Add(s.window).Sub(now)
}

// Forget lets key act again at once, e.g. when its action failed before
// anything was sent, or a login succeeded.
func (s *Store) Forget(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.recent, key)
}

// Len returns the number of keys currently remembered.
func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.recent)
}

// live drops key's actions that left the window and returns the rest.
func (s *Store) live(key string, now time.Time) []time.Time {
	times := s.recent[key]
	i := 0
	for i < len(times) && now.Sub(times[i]) >= s.window {
		i++
	}
	if i == len(times) {
		delete(s.recent, key)
		return nil
	}
	times = times[i:]
	s.recent[key] = times
	return times
}

// sweep drops the keys whose actions all left the window, at most once per
// window, so that memory is bounded by the keys seen in the last two
// windows while each call stays O(1) amortised.
func (s *Store) sweep(now time.Time) {
	if now.Sub(s.lastSweep) < s.window {
		return
	}
	for key := range s.recent {
		s.live(key, now)
	}
	s.lastSweep = now
}
