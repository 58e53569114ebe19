package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"linkbase/schema"
)

// The referral rollups (issue 13): per referrer and UTC day (visits,
// sign-ups, successful) and per referrer (visits, sign-ups, each status,
// credits earned), kept by every write that changes them in the write's
// own transaction, so that GET /api/referral-stats reads a few rows at any
// history size. Written only by the app (SQL upserts); superusers see
// them in the dashboard. Existing data is counted once here.
func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId(schema.Users)
		if err != nil {
			return err
		}
		referrer := func() *core.RelationField {
			return &core.RelationField{Name: schema.RollupReferrer, CollectionId: users.Id, MaxSelect: 1, Required: true, CascadeDelete: true}
		}
		count := func(name string) *core.NumberField {
			return &core.NumberField{Name: name, OnlyInt: true}
		}

		daily := core.NewBaseCollection(schema.ReferralDaily)
		daily.Fields.Add(referrer(), &core.TextField{Name: schema.RollupDate, Required: true, Max: 10},
			count(schema.RollupVisits), count(schema.RollupSignups), count(schema.RollupSuccessful))
		daily.AddIndex("idx_referral_daily_referrer_date", true, "`referrer`, `date`", "")

		totals := core.NewBaseCollection(schema.ReferralTotals)
		totals.Fields.Add(referrer(), count(schema.RollupVisits), count(schema.RollupSignups),
			count(schema.RollupPending), count(schema.RollupSuccessful), count(schema.RollupExpired),
			count(schema.RollupRejected), count(schema.RollupCreditsEarned))
		totals.AddIndex("idx_referral_totals_referrer", true, "`referrer`", "")

		for _, c := range []*core.Collection{daily, totals} {
			if err := app.Save(c); err != nil {
				return err
			}
		}
		return backfillReferralRollups(app)
	}, func(app core.App) error {
		for _, name := range []string{schema.ReferralTotals, schema.ReferralDaily} {
			c, err := app.FindCollectionByNameOrId(name)
			if err != nil {
				return err
			}
			if err := app.Delete(c); err != nil {
				return err
			}
		}
		return nil
	})
}

// newID is a PocketBase-shaped id (15 of [a-z0-9]) drawn by SQLite.
const newID = "substr(lower(hex(randomblob(8))), 1, 15)"

// backfillReferralRollups counts what exists. A day with more sign-ups than
// counted visits (only the sign-up page counted visits before) gets one
// visit per sign-up of that day, each claimed by its referral, so that
// conversion is at most 1 from the start, as it is for every new sign-up.
func backfillReferralRollups(app core.App) error {
	for _, q := range []string{
		`INSERT OR IGNORE INTO {{referral_visits}} ([[id]], [[referrer]], [[day]], [[visitor]], [[referral]])
		 SELECT ` + newID + `, r.referrer, substr(r.created, 1, 10), 'signup:' || r.id, r.id
		 FROM {{referrals}} r JOIN (
		   SELECT s.referrer, s.day FROM
		     (SELECT [[referrer]], substr([[created]], 1, 10) AS day, COUNT(*) AS n FROM {{referrals}} GROUP BY 1, 2) s
		     LEFT JOIN (SELECT [[referrer]], [[day]], COUNT(*) AS n FROM {{referral_visits}} GROUP BY 1, 2) v
		       ON v.referrer = s.referrer AND v.day = s.day
		   WHERE s.n > COALESCE(v.n, 0)
		 ) short ON short.referrer = r.referrer AND short.day = substr(r.created, 1, 10)`,

		`INSERT INTO {{referral_daily}} ([[id]], [[referrer]], [[date]], [[visits]], [[signups]], [[successful]])
		 SELECT ` + newID + `, referrer, day, SUM(v), SUM(s), SUM(ok) FROM (
		   SELECT [[referrer]] AS referrer, [[day]] AS day, 1 AS v, 0 AS s, 0 AS ok FROM {{referral_visits}}
		   UNION ALL SELECT [[referrer]], substr([[created]], 1, 10), 0, 1, 0 FROM {{referrals}}
		   UNION ALL SELECT [[referrer]], substr([[completed_at]], 1, 10), 0, 0, 1 FROM {{referrals}}
		     WHERE [[status]] = 'successful' AND [[completed_at]] != ''
		 ) GROUP BY referrer, day`,

		`INSERT INTO {{referral_totals}} ([[id]], [[referrer]], [[visits]], [[signups]], [[pending]], [[successful]],
		   [[expired]], [[rejected]], [[credits_earned]])
		 SELECT ` + newID + `, referrer, SUM(v), SUM(s), SUM(p), SUM(ok), SUM(x), SUM(rj), SUM(c) FROM (
		   SELECT [[referrer]] AS referrer, 1 AS v, 0 AS s, 0 AS p, 0 AS ok, 0 AS x, 0 AS rj, 0 AS c FROM {{referral_visits}}
		   UNION ALL SELECT [[referrer]], 0, 1, [[status]] = 'pending', [[status]] = 'successful', [[status]] = 'expired',
		     [[status]] = 'rejected', 0 FROM {{referrals}}
		   UNION ALL SELECT [[user]], 0, 0, 0, 0, 0, 0, [[amount]] FROM {{rewards}} WHERE [[kind]] IN ('referral', 'milestone')
		 ) GROUP BY referrer`,
	} {
		if _, err := app.DB().NewQuery(q).Execute(); err != nil {
			return err
		}
	}
	return nil
}
