package refstore

import (
	"context"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/schema"
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
	counted := map[[2]string]int{} // (owner, day) -> new visits
	for k := range queue {
		owner, ok := owners[k.Code]
		if !ok {
			err := tx.DB().NewQuery("SELECT [[id]] FROM {{users}} WHERE [[referral_code]] = {:c} AND [[disabled]] = FALSE").
				Bind(dbx.Params{"c": k.Code}).Row(&owner)
			if err != nil && !isNoRows(err) {
				return nil, err // the batch stays queued: a failed read is no unknown code
			}
			owners[k.Code] = owner
		}
		if owner == "" {
			continue
		}
		added, err := insertVisit(tx, owner, k.Day, k.Visitor, "")
		if err != nil {
			return nil, err
		}
		if added {
			counted[[2]string{owner, k.Day}]++
		}
	}
	for key, n := range counted {
		if err := addVisits(tx, key[0], key[1], n); err != nil {
			return nil, err
		}
		changed[key[0]] = true
	}
	return func() {
		for owner := range changed {
			s.InvalidateStats(owner)
		}
	}, nil
}

// insertVisit writes a visit row unless the visitor was counted that day
// already (the unique index judges), and reports whether it did.
func insertVisit(tx core.App, referrer, day, visitor, referralID string) (bool, error) {
	res, err := tx.DB().NewQuery("INSERT OR IGNORE INTO {{referral_visits}} ([[id]], [[referrer]], [[day]], [[visitor]], [[referral]])" +
		" VALUES ({:id}, {:r}, {:d}, {:v}, {:ref})").
		Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "r": referrer, "d": day, "v": visitor, "ref": referralID}).Execute()
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// ClaimVisit makes the sign-up of referral ref count as a visit of its
// referrer, so that visits are never fewer than sign-ups (conversion stays
// within 0 and 1): the sign-up claims its visitor's visit of that day, or
// counts a new one when there is none, or when another sign-up claimed it
// (two accounts from one browser are two visits). visitor is the key of
// the sign-up's visitor (schema.UserSignupVisitor), "" when unknown. It
// runs in the transaction that creates the referral.
func ClaimVisit(tx core.App, ref *core.Record, visitor string) error {
	referrer := ref.GetString(schema.ReferralReferrer)
	on := day(ref.GetDateTime("created").Time())
	if visitor != "" {
		added, err := insertVisit(tx, referrer, on, visitor, ref.Id)
		if err != nil || added {
			if err == nil {
				err = addVisits(tx, referrer, on, 1)
			}
			return err
		}
		res, err := tx.DB().NewQuery("UPDATE {{referral_visits}} SET [[referral]] = {:ref}" +
			" WHERE [[referrer]] = {:r} AND [[day]] = {:d} AND [[visitor]] = {:v} AND [[referral]] = ''").
			Bind(dbx.Params{"ref": ref.Id, "r": referrer, "d": on, "v": visitor}).Execute()
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n > 0 {
			return err // the visitor's counted visit is now this sign-up's
		}
	}
	added, err := insertVisit(tx, referrer, on, "signup:"+ref.Id, ref.Id)
	if err != nil || !added {
		return err
	}
	return addVisits(tx, referrer, on, 1)
}

// PendingVisits is the number of queued visits.
func (s *Store) PendingVisits() int { return s.visits.Len() }
