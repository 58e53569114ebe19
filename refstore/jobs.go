package refstore

import (
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"linkbase/schema"
)

// expireBatch bounds the referrals loaded at once by ExpirePending.
const expireBatch = 200

// ExpirePending turns every pending referral created more than the
// configured window before now into expired, through the records' hooks
// (so stats are invalidated), and returns how many it expired. Referrals
// held for an admin's review wait for the admin.
func (s *Store) ExpirePending(app core.App, now time.Time) (int, error) {
	rules, err := s.Rules()
	if err != nil {
		return 0, err
	}
	cutoff, err := types.ParseDateTime(now.Add(-time.Duration(rules.ExpiryDays) * 24 * time.Hour))
	if err != nil {
		return 0, err
	}
	expired := 0
	for {
		var rows []*core.Record
		err := app.RecordQuery(schema.Referrals).
			AndWhere(dbx.HashExp{schema.ReferralStatus: schema.StatusPending, schema.ReferralReviewReason: ""}).
			AndWhere(dbx.NewExp("[[created]] < {:cutoff}", dbx.Params{"cutoff": cutoff.String()})).
			OrderBy("created ASC").Limit(expireBatch).All(&rows)
		if err != nil {
			return expired, err
		}
		for _, r := range rows {
			r.Set(schema.ReferralStatus, schema.StatusExpired)
			if err := app.Save(r); err != nil {
				return expired, err
			}
			expired++
		}
		if len(rows) < expireBatch {
			return expired, nil
		}
	}
}
