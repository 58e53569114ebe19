package state

import (
	"sync"
	"weak"
)

// Every cache built by NewCache is listed here (weakly: a cache nobody
// holds any more is collected and drops out), so that ClearCaches reaches
// each one without any store having to register it. A cluster replica
// calls ClearCaches after every batch of replicated transactions; the
// caches of a future store are covered the day it is written.
var registry struct {
	mu     sync.Mutex
	caches []func() bool // clears its cache; false once the cache is gone
}

func register[V any](c *Cache[V]) {
	if c.cfg.Local {
		return
	}
	w := weak.Make(c)
	registry.mu.Lock()
	defer registry.mu.Unlock()
	registry.caches = append(registry.caches, func() bool {
		c := w.Value()
		if c == nil {
			return false
		}
		c.Clear()
		return true
	})
}

// ClearCaches empties every live cache of the process but those built
// Local, and returns how many it emptied. A replica calls it when the
// database changed under it (cluster.Node.Subscribe): whatever a
// replicated transaction wrote, raw SQL and other processes' writes
// included, no cached answer older than it is served afterwards (a value
// being loaded meanwhile is not stored, see Cache). It is process-wide
// because a cluster node runs one app per process; in tests that hold
// several apps, clearing the others' caches costs only a reload.
func ClearCaches() int {
	registry.mu.Lock()
	defer registry.mu.Unlock()
	live := registry.caches[:0]
	for _, clear := range registry.caches {
		if clear() {
			live = append(live, clear)
		}
	}
	clear(registry.caches[len(live):])
	registry.caches = live
	return len(live)
}
