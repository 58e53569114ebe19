package state

import (
	"sync"
	"sync/atomic"
	"time"
)

// CacheConfig configures a Cache.
type CacheConfig[V any] struct {
	// Name identifies the cache in its figures (metrics).
	Name string
	// Max bounds the values held; a new value past it evicts an arbitrary
	// one (map order is random, which makes a random eviction).
	Max int
	// TTL bounds every value's life (0: no bound), as a safety net for
	// writes that bypass invalidation.
	TTL time.Duration
	// Expires, if set, gives a value's own expiry (zero: none), e.g. a
	// profile expires when one of its links is next scheduled to change.
	Expires func(V) time.Time
	// Owners, if set, names the owners a value belongs to, so that
	// InvalidateOwners drops it whatever key it is cached under.
	Owners func(V) []string
	// Clock is read for TTL and Expires; time.Now when nil.
	Clock Clock
	// Local marks a cache whose values no database write can make stale
	// (each is derived from its key alone, e.g. a dummy bcrypt hash per
	// cost): ClearCaches leaves it alone.
	Local bool
}

// Cache is a bounded map of loaded values, safe for concurrent use. Values
// are loaded on demand by Get and dropped by key, by owner, on expiry or
// all at once. A value loaded before an invalidation is never stored after
// it, so once a write has invalidated what it changed no reader sees what
// it replaced. Errors are not cached.
type Cache[V any] struct {
	cfg CacheConfig[V]

	mu      sync.Mutex
	gen     uint64 // bumped by every invalidation
	entries map[string]cacheEntry[V]
	byOwner map[string]map[string]struct{} // owner -> keys

	hits, misses, evictions atomic.Uint64
}

type cacheEntry[V any] struct {
	value   V
	expires time.Time // zero: never
	owners  []string
}

// CacheStats are a cache's figures.
type CacheStats struct {
	Name                    string
	Len, Max                int
	Hits, Misses, Evictions uint64
}

// NewCache returns an empty cache.
func NewCache[V any](cfg CacheConfig[V]) *Cache[V] {
	if cfg.Max < 1 {
		cfg.Max = 1
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	c := &Cache[V]{cfg: cfg, entries: map[string]cacheEntry[V]{}, byOwner: map[string]map[string]struct{}{}}
	register(c)
	return c
}

// Get returns the cached value of key, or loads, caches and returns it.
func (c *Cache[V]) Get(key string, load func() (V, error)) (V, error) {
	timed := c.cfg.TTL > 0 || c.cfg.Expires != nil
	var now time.Time
	if timed {
		now = c.cfg.Clock()
	}
	c.mu.Lock()
	if e, ok := c.entries[key]; ok {
		if e.expires.IsZero() || now.Before(e.expires) {
			c.mu.Unlock()
			c.hits.Add(1)
			return e.value, nil
		}
		c.remove(key)
	}
	gen := c.gen
	c.mu.Unlock()
	c.misses.Add(1)

	v, err := load()
	if err != nil {
		return v, err
	}
	e := cacheEntry[V]{value: v}
	if c.cfg.TTL > 0 {
		e.expires = now.Add(c.cfg.TTL)
	}
	if c.cfg.Expires != nil {
		if at := c.cfg.Expires(v); !at.IsZero() && (e.expires.IsZero() || at.Before(e.expires)) {
			e.expires = at
		}
	}
	if c.cfg.Owners != nil {
		e.owners = c.cfg.Owners(v)
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen { // invalidated while loading: the value may be stale
		return v, nil
	}
	if _, ok := c.entries[key]; !ok && len(c.entries) >= c.cfg.Max {
		for k := range c.entries {
			c.remove(k)
			c.evictions.Add(1)
			break
		}
	}
	c.remove(key)
	c.entries[key] = e
	for _, o := range e.owners {
		keys := c.byOwner[o]
		if keys == nil {
			keys = map[string]struct{}{}
			c.byOwner[o] = keys
		}
		keys[key] = struct{}{}
	}
	return v, nil
}

// Invalidate drops keys, and any value being loaded concurrently.
func (c *Cache[V]) Invalidate(keys ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for _, k := range keys {
		c.remove(k)
	}
}

// InvalidateOwners drops every value that belongs to one of owners, and
// any value being loaded concurrently.
func (c *Cache[V]) InvalidateOwners(owners ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for _, o := range owners {
		for k := range c.byOwner[o] {
			c.remove(k)
		}
	}
}

// Clear drops every value.
func (c *Cache[V]) Clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.entries)
	clear(c.byOwner)
}

// Len is the number of cached values.
func (c *Cache[V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

// Stats returns the cache's figures.
func (c *Cache[V]) Stats() CacheStats {
	return CacheStats{
		Name: c.cfg.Name, Len: c.Len(), Max: c.cfg.Max,
		Hits: c.hits.Load(), Misses: c.misses.Load(), Evictions: c.evictions.Load(),
	}
}

// remove drops key and its owner index entries; c.mu is held.
func (c *Cache[V]) remove(key string) {
	e, ok := c.entries[key]
	if !ok {
		return
	}
	delete(c.entries, key)
	for _, o := range e.owners {
		if keys := c.byOwner[o]; keys != nil {
			delete(keys, key)
			if len(keys) == 0 {
				delete(c.byOwner, o)
			}
		}
	}
}
