// Package refstore is the referral program's side of the database: code
// lookups, reward rules, visit counting, stats and the salted hashes of
// client IPs. The rules themselves live in package referral.
package refstore

import "sync"

// Cache is a bounded map, safe for concurrent use, whose values are loaded
// on demand and dropped by Invalidate. A value loaded before an
// invalidation is never stored after it, so once a write has invalidated
// its keys no reader sees what it replaced.
type Cache[V any] struct {
	mu   sync.Mutex
	gen  uint64 // bumped by every invalidation
	max  int
	vals map[string]V
}

// NewCache returns a cache of at most max entries.
func NewCache[V any](max int) *Cache[V] {
	return &Cache[V]{max: max, vals: make(map[string]V)}
}

// Get returns the cached value of key, or loads and caches it.
func (c *Cache[V]) Get(key string, load func() (V, error)) (V, error) {
	c.mu.Lock()
	if v, ok := c.vals[key]; ok {
		c.mu.Unlock()
		return v, nil
	}
	gen := c.gen
	c.mu.Unlock()

	v, err := load()
	if err != nil {
		return v, err
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen == gen { // nothing was invalidated while loading
		if len(c.vals) >= c.max {
			for k := range c.vals { // map order is random: a random eviction
				delete(c.vals, k)
				break
			}
		}
		c.vals[key] = v
	}
	return v, nil
}

// Invalidate drops keys, and any value being loaded concurrently.
func (c *Cache[V]) Invalidate(keys ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for _, k := range keys {
		delete(c.vals, k)
	}
}

// Clear drops every value.
func (c *Cache[V]) Clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.vals)
}

// Len is the number of cached values.
func (c *Cache[V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.vals)
}
