// Package throttle remembers which keys acted recently, so that an action
// (such as sending a mail to an address) happens at most once per window.
// It is in memory and per process: a restart forgets it, which only ever
// allows one extra mail.
package throttle

import (
	"sync"
	"time"
)

// Store allows each key once per window. It is safe for concurrent use.
type Store struct {
	window time.Duration
	now    func() time.Time

	mu        sync.Mutex
	last      map[string]time.Time
	lastSweep time.Time
}

// New returns a Store that allows each key once per window, reading the
// time from now (time.Now in production, a fake clock in tests).
func New(window time.Duration, now func() time.Time) *Store {
	return &Store{window: window, now: now, last: map[string]time.Time{}, lastSweep: now()}
}

// Allow reports whether key may act now and, if so, records that it did:
// of many concurrent calls for one key, exactly one is allowed.
func (s *Store) Allow(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()

	now := s.now()
	s.sweep(now)
	if at, ok := s.last[key]; ok && now.Sub(at) < s.window {
		return false
	}
	s.last[key] = now
	return true
}

// Forget lets key act again at once, e.g. when its action failed before
// anything was sent.
func (s *Store) Forget(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.last, key)
}

// Len returns the number of keys currently remembered.
func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.last)
}

// sweep drops the keys whose window has passed, at most once per window,
// so that memory is bounded by the keys seen in the last two windows
// while each call stays O(1) amortised.
func (s *Store) sweep(now time.Time) {
	if now.Sub(s.lastSweep) < s.window {
		return
	}
	for key, at := range s.last {
		if now.Sub(at) >= s.window {
			delete(s.last, key)
		}
	}
	s.lastSweep = now
}
