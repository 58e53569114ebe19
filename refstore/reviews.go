package refstore

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/schema"
)

// Decide gives every held referral among ids (pending with a review
// reason) the status decision (referral.DecisionSuccessful or
// DecisionRejected), in one transaction and through the records' hooks
// (rewards, rollups, webhooks, caches), and returns how many it decided.
// Ids that are unknown or not held (decided meanwhile by another admin or
// the review window) are skipped, so a repeated call decides nothing
// twice.
func Decide(app core.App, ids []string, decision string) (int, error) {
	decided := 0
	err := app.RunInTransaction(func(tx core.App) error {
		decided = 0
		var held []*core.Record
		err := tx.RecordQuery(schema.Referrals).
			AndWhere(dbx.In("id", anySlice(ids)...)).
			AndWhere(dbx.HashExp{schema.ReferralStatus: schema.StatusPending}).
			AndWhere(dbx.NewExp("[[review_reason]] != ''")).
			All(&held)
		if err != nil {
			return err
		}
		for _, r := range held {
			r.Set(schema.ReferralStatus, decision)
			if err := tx.Save(r); err != nil {
				return err
			}
			decided++
		}
		return nil
	})
	return decided, err
}

func anySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
