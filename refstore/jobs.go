package refstore

import (
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"linkbase/referral"
	"linkbase/schema"
)

// jobBatch bounds the referrals the jobs load at once.
const jobBatch = 200

// ExpirePending turns every pending referral whose user has not verified
// within the expiry window into expired, held for review or not, through
// the records' hooks (rollups, webhooks, caches), and returns how many it
// expired. A verified one that is held waits for its decision instead.
func (s *Store) ExpirePending(app core.App, now time.Time) (int, error) {
	rules, err := s.Rules()
	if err != nil {
		return 0, err
	}
	return eachOverdue(app, now.Add(-time.Duration(rules.ExpiryDays)*24*time.Hour),
		dbx.HashExp{schema.ReferralVerifiedAt: ""},
		func(r *core.Record) (bool, error) {
			r.Set(schema.ReferralStatus, schema.StatusExpired)
			return true, app.Save(r)
		})
}

// DecideOverdue applies the review window: every referral held for review
// for longer than the window gets what referral.Rules.WindowDecision says,
// noted in its review reason (an unverified one may keep waiting). It
// returns how many it decided.
func (s *Store) DecideOverdue(app core.App, now time.Time) (int, error) {
	rules, err := s.Rules()
	if err != nil {
		return 0, err
	}
	return eachOverdue(app, now.Add(-time.Duration(rules.ReviewDays)*24*time.Hour),
		dbx.NewExp("[[review_reason]] != ''"),
		func(r *core.Record) (bool, error) {
			status, decided := rules.WindowDecision(!r.GetDateTime(schema.ReferralVerifiedAt).IsZero())
			if !decided {
				return false, nil
			}
			r.Set(schema.ReferralStatus, status)
			r.Set(schema.ReferralReviewReason, referral.WindowReason(r.GetString(schema.ReferralReviewReason), status))
			return true, app.Save(r)
		})
}

// eachOverdue calls act on every pending referral created before cutoff
// that matches where, oldest first, in batches; act reports whether it
// changed the referral (one left pending is not loaded again).
func eachOverdue(app core.App, cutoff time.Time, where dbx.Expression, act func(*core.Record) (bool, error)) (int, error) {
	before, err := types.ParseDateTime(cutoff)
	if err != nil {
		return 0, err
	}
	done, after, afterID := 0, "", ""
	for {
		var rows []*core.Record
		err := app.RecordQuery(schema.Referrals).
			AndWhere(dbx.HashExp{schema.ReferralStatus: schema.StatusPending}).
			AndWhere(where).
			AndWhere(dbx.NewExp("[[created]] < {:cutoff} AND ([[created]], [[id]]) > ({:after}, {:id})",
				dbx.Params{"cutoff": before.String(), "after": after, "id": afterID})).
			OrderBy("created ASC", "id ASC").Limit(jobBatch).All(&rows)
		if err != nil {
			return done, err
		}
		for _, r := range rows {
			changed, err := act(r)
			if err != nil {
				return done, err
			}
			if changed {
				done++
			}
			after, afterID = r.GetString("created"), r.Id
		}
		if len(rows) < jobBatch {
			return done, nil
		}
	}
}
