package refstore

import (
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Visit counting keeps the page's hot path free of database writes: a
// visit is checked against an in-memory set and queued; queued visits are
// written in one transaction per batch (by a cron job, when the queue is
// full, before stats are read and on shutdown). The table's unique index
// stays the judge of "once per visitor per day", so a restart or a cleared
// set never counts a visitor twice.
const (
	visitBatchSize  = 500    // queue length that triggers a flush
	maxQueuedVisits = 50_000 // beyond this, visits are dropped rather than memory
	maxSeenVisits   = 200_000
)

type visit struct{ code, day, visitor string }

// VisitCounter counts referral link visits.
type VisitCounter struct {
	app     core.App
	mu      sync.Mutex
	seen    map[visit]struct{}
	queue   []visit
	flushMu sync.Mutex // one flush at a time, in order
}

// Visits returns app's visit counter.
func Visits(app core.App) *VisitCounter {
	return app.Store().GetOrSet("linkbase.visitCounter", func() any {
		return &VisitCounter{app: app, seen: map[visit]struct{}{}}
	}).(*VisitCounter)
}

// Record queues a visit of visitor (a salted hash) to code at now, unless
// it was already seen today. It reports whether the queue should be flushed.
func (v *VisitCounter) Record(code, visitor string, now time.Time) (flush bool) {
	k := visit{code: code, day: now.UTC().Format(time.DateOnly), visitor: visitor}
	v.mu.Lock()
	defer v.mu.Unlock()
	if _, ok := v.seen[k]; ok {
		return false
	}
	if len(v.seen) >= maxSeenVisits {
		clear(v.seen) // the unique index still dedupes
	}
	v.seen[k] = struct{}{}
	if len(v.queue) < maxQueuedVisits {
		v.queue = append(v.queue, k)
	}
	return len(v.queue) >= visitBatchSize
}

// Flush writes the queued visits and invalidates the stats of the
// referrers that gained any. Visits of unknown or retired codes are
// dropped here, off the hot path.
func (v *VisitCounter) Flush() error {
	v.flushMu.Lock()
	defer v.flushMu.Unlock()
	v.mu.Lock()
	queue := v.queue
	v.queue = nil
	v.mu.Unlock()
	if len(queue) == 0 {
		return nil
	}

	changed := map[string]bool{}
	err := v.app.RunInTransaction(func(tx core.App) error {
		owners := map[string]string{}
		for _, k := range queue {
			owner, ok := owners[k.code]
			if !ok {
				_ = tx.DB().NewQuery("SELECT [[id]] FROM {{users}} WHERE [[referral_code]] = {:c} AND [[disabled]] = FALSE").
					Bind(dbx.Params{"c": k.code}).Row(&owner) // no row: owner stays ""
				owners[k.code] = owner
			}
			if owner == "" {
				continue
			}
			res, err := tx.DB().NewQuery("INSERT OR IGNORE INTO {{referral_visits}} ([[id]], [[referrer]], [[day]], [[visitor]]) VALUES ({:id}, {:r}, {:d}, {:v})").
				Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "r": owner, "d": k.day, "v": k.visitor}).Execute()
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n > 0 {
				changed[owner] = true
			}
		}
		return nil
	})
	if err != nil {
		v.mu.Lock()
		if len(v.queue)+len(queue) <= maxQueuedVisits {
			v.queue = append(queue, v.queue...) // retry with the next flush
		}
		v.mu.Unlock()
		return err
	}
	for owner := range changed {
		InvalidateStats(v.app, owner)
	}
	return nil
}

// Pending is the number of queued visits.
func (v *VisitCounter) Pending() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return len(v.queue)
}
