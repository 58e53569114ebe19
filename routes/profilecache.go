package routes

import (
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/schema"
)

// profileCache keeps rendered public profiles in memory, keyed by
// username, so a busy page is answered without touching the database. It
// holds at most max entries (dropping an arbitrary one when full); an
// entry lives until its links' schedule next changes, at most
// profileCacheTTL, and is dropped at once by any write to its user or their
// links.
type profileCache struct {
	mu      sync.Mutex
	max     int
	gen     uint64 // bumped by every invalidation
	entries map[string]*cachedProfile
}

// profileCacheTTL bounds an entry's life, in case a write bypassed the
// record hooks (raw SQL in a migration, another process).
const profileCacheTTL = 10 * time.Minute

func newProfileCache(max int) *profileCache {
	return &profileCache{max: max, entries: map[string]*cachedProfile{}}
}

// get returns the live entry for username, or nil, and the generation to
// pass to put after loading a missing entry.
func (c *profileCache) get(username string, now time.Time) (*cachedProfile, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.entries[username]
	if p != nil && !now.Before(p.expires) {
		delete(c.entries, username)
		p = nil
	}
	return p, c.gen
}

// put stores an entry loaded at generation gen, unless an invalidation
// happened meanwhile: the load may have read the rows before that write.
func (c *profileCache) put(username string, p *cachedProfile, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if _, ok := c.entries[username]; !ok && len(c.entries) >= c.max {
		for k := range c.entries {
			delete(c.entries, k)
			break
		}
	}
	c.entries[username] = p
}

// invalidateOwner drops the profile of the user with id ownerID, whatever
// username it is cached under (the username may just have changed).
func (c *profileCache) invalidateOwner(ownerID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for k, p := range c.entries {
		if p.ownerID == ownerID {
			delete(c.entries, k)
		}
	}
}

func (c *profileCache) invalidateAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.entries)
}

func (c *profileCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

// bindCacheInvalidation drops a cached profile after every committed write
// to its user or to one of its links, from any source.
func bindCacheInvalidation(app core.App, cache *profileCache) {
	invalidate := func(e *core.RecordEvent) error {
		switch e.Record.Collection().Name {
		case schema.Users:
			cache.invalidateOwner(e.Record.Id)
		case schema.Links:
			cache.invalidateOwner(e.Record.GetString(schema.LinkOwner))
			if orig := e.Record.Original(); orig != nil {
				cache.invalidateOwner(orig.GetString(schema.LinkOwner))
			}
		}
		return e.Next()
	}
	for _, c := range []string{schema.Users, schema.Links} {
		app.OnRecordAfterCreateSuccess(c).BindFunc(invalidate)
		app.OnRecordAfterUpdateSuccess(c).BindFunc(invalidate)
		app.OnRecordAfterDeleteSuccess(c).BindFunc(invalidate)
	}
}
