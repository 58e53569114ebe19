package hooks

import (
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"linkbase/refstore"
	"linkbase/schema"
)

// expireBatch bounds the referrals loaded at once by the expiry job.
const expireBatch = 200

// registerReferralJobs schedules the expiry of pending referrals and the
// flush of queued visits, and flushes visits once more on shutdown.
func registerReferralJobs(app core.App) {
	app.Cron().MustAdd("linkbaseExpireReferrals", "*/10 * * * *", func() {
		if n, err := ExpirePendingReferrals(app, time.Now()); err != nil {
			app.Logger().Error("expiring referrals", "error", err, "expired", n)
		}
	})
	app.Cron().MustAdd("linkbaseFlushVisits", "* * * * *", func() {
		if err := refstore.Visits(app).Flush(); err != nil {
			app.Logger().Error("flushing referral visits", "error", err)
		}
	})
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		if err := refstore.Visits(e.App).Flush(); err != nil {
			e.App.Logger().Error("flushing referral visits on shutdown", "error", err)
		}
		return e.Next()
	})
}

// ExpirePendingReferrals turns every pending referral created more than
// the configured window before now into expired, through the records'
// hooks (so stats are invalidated), and returns how many it expired.
// Referrals held for an admin's review wait for the admin.
func ExpirePendingReferrals(app core.App, now time.Time) (int, error) {
	rules, err := refstore.Rules(app)
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
