package state

import "sync"

// Counts buffers counts per key in memory, so that a busy path costs a map
// increment instead of a database write; a Flusher takes them out with
// Drain and writes them in one go, and puts them back with Restore if the
// write fails, so a failed write loses nothing. Safe for concurrent use.
type Counts[K comparable] struct {
	flushAt, max int
	fold         func(K) (K, bool)

	mu sync.Mutex
	m  map[K]int64
}

// NewCounts returns an empty buffer that reports Full at flushAt keys and
// holds at most max keys, a bound on memory whatever the traffic. Past
// max, a key not yet buffered is handed to fold (nil: drop), which names
// a coarser key to count instead, taken even past the bound (the caller
// keeps those few, e.g. one per profile and day), or reports false to drop
// the count.
func NewCounts[K comparable](flushAt, max int, fold func(K) (K, bool)) *Counts[K] {
	return &Counts[K]{flushAt: flushAt, max: max, fold: fold, m: map[K]int64{}}
}

// Add adds n to key's count, or to its fold's past the bound, and reports
// whether it was counted.
func (c *Counts[K]) Add(key K, n int64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[key]; !ok && len(c.m) >= c.max {
		if c.fold == nil {
			return false
		}
		if key, ok = c.fold(key); !ok {
			return false
		}
	}
	c.m[key] += n
	return true
}

// Full reports whether the buffer holds flushAt keys or more: time to kick
// its Flusher rather than wait for the next interval.
func (c *Counts[K]) Full() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m) >= c.flushAt
}

// Len is the number of buffered keys.
func (c *Counts[K]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

// Drain takes every buffered count out of the buffer.
func (c *Counts[K]) Drain() map[K]int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := c.m
	c.m = map[K]int64{}
	return m
}

// Restore puts back counts that could not be written, so the next flush
// retries them. It may take the buffer past max: counts already taken are
// never dropped.
func (c *Counts[K]) Restore(counts map[K]int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, n := range counts {
		c.m[k] += n
	}
}
