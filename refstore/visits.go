package refstore

import (
	"context"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Visit counting keeps the page's hot path free of database writes: a
// visit is queued in memory, where repeats of a visitor merge into one
// entry, and the queue is written in one transaction per batch by the
// store's flusher (every flush interval, when the queue is full, and on
// shutdown). The table's unique index is the judge of "once per visitor per
// day", so a visitor queued again after a flush, or after a restart, is
// never counted twice.
const (
	visitBatchSize  = 500    // queued visits that trigger a flush
	maxQueuedVisits = 50_000 // beyond this, new visits are dropped rather than memory
)

// visit is one queued visit; its fields travel as JSON when a replica
// hands its visits to the primary.
type visit struct{ Code, Day, Visitor string }

// RecordVisit queues a visit of visitor (a salted hash) to code, today.
func (s *Store) RecordVisit(code, visitor string) {
	s.visits.Add(visit{Code: code, Day: s.clock().UTC().Format(time.DateOnly), Visitor: visitor}, 1)
}

// FlushVisits writes the queued visits now; the flusher does this on its
// own, tests and tools call it to see the visits at once.
func (s *Store) FlushVisits(ctx context.Context) error { return s.visits.Flush(ctx) }

// writeVisits writes a batch of visits in the buffer's transaction and,
// once committed, invalidates the stats of the referrers that gained any.
// Visits of unknown, retired or disabled owners' codes are dropped here,
// off the hot path.
func (s *Store) writeVisits(tx core.App, queue map[visit]int64) (func(), error) {
	changed := map[string]bool{}
	owners := map[string]string{}
	for k := range queue {
		owner, ok := owners[k.Code]
		if !ok {
			_ = tx.DB().NewQuery("SELECT [[id]] FROM {{users}} WHERE [[referral_code]] = {:c} AND [[disabled]] = FALSE").
				Bind(dbx.Params{"c": k.Code}).Row(&owner) // no row: owner stays ""
			owners[k.Code] = owner
		}
		if owner == "" {
			continue
		}
		res, err := tx.DB().NewQuery("INSERT OR IGNORE INTO {{referral_visits}} ([[id]], [[referrer]], [[day]], [[visitor]]) VALUES ({:id}, {:r}, {:d}, {:v})").
			Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "r": owner, "d": k.Day, "v": k.Visitor}).Execute()
		if err != nil {
			return nil, err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			changed[owner] = true
		}
	}
	return func() {
		for owner := range changed {
			s.InvalidateStats(owner)
		}
	}, nil
}

// PendingVisits is the number of queued visits.
func (s *Store) PendingVisits() int { return s.visits.Len() }
