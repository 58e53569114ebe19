package routes

import (
	"sync"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/schema"
)

// clickCacheSize bounds the link targets held in memory.
const clickCacheSize = 10_000

// clickCache keeps what GET /l/{id} needs to know about a link, so that a
// busy link is redirected without touching SQLite: the click itself is
// counted in the buffer, the read was the one query left on the path. The
// schedule is cached, not its outcome, so a link still opens and closes on
// time. Any committed write to the link or its owner drops the entry; a
// value loaded before such a write is never stored after it.
type clickCache struct {
	mu      sync.Mutex
	gen     uint64 // bumped by every invalidation
	entries map[string]clickTarget
}

func newClickCache() *clickCache { return &clickCache{entries: map[string]clickTarget{}} }

// target returns the link's target from the cache, or loads it with one
// query (sql.ErrNoRows for an unknown link, which is not cached).
func (c *clickCache) target(app core.App, id string) (clickTarget, error) {
	c.mu.Lock()
	t, ok := c.entries[id]
	gen := c.gen
	c.mu.Unlock()
	if ok {
		return t, nil
	}
	err := app.DB().NewQuery(`SELECT l.[[owner]], l.[[url]], l.[[enabled]], l.[[starts_at]], l.[[ends_at]], u.[[disabled]]
		FROM {{links}} l JOIN {{users}} u ON u.[[id]] = l.[[owner]] WHERE l.[[id]] = {:id} LIMIT 1`).
		Bind(dbx.Params{"id": id}).One(&t)
	if err != nil {
		return t, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen == c.gen {
		if len(c.entries) >= clickCacheSize {
			for k := range c.entries { // a random eviction
				delete(c.entries, k)
				break
			}
		}
		c.entries[id] = t
	}
	return t, nil
}

// drop removes the link with id linkID, or every link of ownerID.
func (c *clickCache) drop(linkID, ownerID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	delete(c.entries, linkID)
	if ownerID == "" {
		return
	}
	for k, t := range c.entries {
		if t.Owner == ownerID {
			delete(c.entries, k)
		}
	}
}

// bindClickCacheInvalidation drops cached targets after every committed
// write to a link (its URL, switch or schedule) or to a user (disabled,
// deleted), from any source.
func bindClickCacheInvalidation(app core.App, cache *clickCache) {
	invalidate := func(e *core.RecordEvent) error {
		if e.Record.Collection().Name == schema.Links {
			cache.drop(e.Record.Id, "")
		} else {
			cache.drop("", e.Record.Id)
		}
		return e.Next()
	}
	for _, c := range []string{schema.Users, schema.Links} {
		app.OnRecordAfterUpdateSuccess(c).BindFunc(invalidate)
		app.OnRecordAfterDeleteSuccess(c).BindFunc(invalidate)
	}
}
