package migrations

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"

	"linkbase/referral"
	"linkbase/schema"
)

// Review that scales (issue 13): referrals record when their user
// verified, also when held; the settings row gains the farm limit, the
// review window and its default, and the attribution window; users keep
// what their sign-up came from (hidden, for the farm signals), indexed for
// those counts; a visit row can stand for the sign-up that claimed it.
func init() {
	m.Register(func(app core.App) error {
		settings, err := app.FindCollectionByNameOrId(schema.ReferralSettings)
		if err != nil {
			return err
		}
		settings.Fields.Add(
			&core.NumberField{Name: schema.SettingFarmLimit, OnlyInt: true, Min: types.Pointer(0.0)},
			&core.NumberField{Name: schema.SettingReviewDays, OnlyInt: true, Min: types.Pointer(1.0)},
			&core.SelectField{Name: schema.SettingReviewDefault, Required: true, MaxSelect: 1, Values: []string{referral.DecisionSuccessful, referral.DecisionRejected}},
			&core.NumberField{Name: schema.SettingAttributionDays, OnlyInt: true, Min: types.Pointer(0.0)},
		)
		if err := app.Save(settings); err != nil {
			return err
		}
		d := referral.DefaultRules()
		if _, err := app.DB().Update(schema.ReferralSettings, dbx.Params{
			schema.SettingFarmLimit:       d.FarmLimit,
			schema.SettingReviewDays:      d.ReviewDays,
			schema.SettingReviewDefault:   d.ReviewDefault,
			schema.SettingAttributionDays: d.AttributionDays,
		}, nil).Execute(); err != nil {
			return err
		}

		referrals, err := app.FindCollectionByNameOrId(schema.Referrals)
		if err != nil {
			return err
		}
		referrals.Fields.Add(&core.DateField{Name: schema.ReferralVerifiedAt})
		// The list filtered by status pages by (created, rowid) within one
		// referrer and status; this index serves that and what the
		// (referrer, status) index served.
		referrals.RemoveIndex("idx_referrals_referrer_status")
		referrals.AddIndex("idx_referrals_referrer_status_created", false, "`referrer`, `status`, `created`", "")
		if err := app.Save(referrals); err != nil {
			return err
		}
		// A held referral whose user already verified was waiting for an
		// admin: the review window counts it as verified from now on.
		now := types.NowDateTime().String()
		if _, err := app.DB().NewQuery(
			"UPDATE {{referrals}} SET [[verified_at]] = {:now} WHERE [[status]] = 'pending' AND [[review_reason]] != ''" +
				" AND [[referred_user]] IN (SELECT [[id]] FROM {{users}} WHERE [[verified]] = TRUE)").
			Bind(dbx.Params{"now": now}).Execute(); err != nil {
			return err
		}

		users, err := app.FindCollectionByNameOrId(schema.Users)
		if err != nil {
			return err
		}
		users.Fields.Add(
			&core.TextField{Name: schema.UserSignupVisitor, Max: 64, Hidden: true},
			&core.TextField{Name: schema.UserSignupDevice, Max: 64, Hidden: true},
		)
		// Plain indexes: SQLite cannot use a partial one for "= {:param}".
		users.AddIndex("idx_users_signup_ip_hash", false, "`signup_ip_hash`, `created`", "")
		users.AddIndex("idx_users_signup_device", false, "`signup_device`, `created`", "")
		if err := app.Save(users); err != nil {
			return err
		}

		visits, err := app.FindCollectionByNameOrId(schema.ReferralVisits)
		if err != nil {
			return err
		}
		visits.Fields.Add(&core.TextField{Name: schema.VisitReferral, Max: 15})
		return app.Save(visits)
	}, nil)
}
