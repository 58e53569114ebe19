package state

import "sync"

// Counts buffers counts per key in memory, so that a busy path costs a map
// increment instead of a database write; a Flusher takes them out with
// Drain and writes them in one go, and puts them back with Restore if the
// write fails, so a failed write loses nothing. Safe for concurrent use.
type Counts[K comparable] struct {
	flushAt, max int

	mu sync.Mutex
	m  map[K]int64
}

// NewCounts returns an empty buffer that reports Full at flushAt keys and
// holds at most max keys (a bound on memory whatever the traffic).
func NewCounts[K comparable](flushAt, max int) *Counts[K] {
	return &Counts[K]{flushAt: flushAt, max: max, m: map[K]int64{}}
}

// Add adds n to key's count. A key not yet buffered is refused (false)
// once the buffer holds max keys; the caller may count it under a coarser
// key instead, or drop it.
func (c *Counts[K]) Add(key K, n int64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[key]; !ok && len(c.m) >= c.max {
		return false
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
