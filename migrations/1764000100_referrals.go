package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"

	"linkbase/schema"
)

func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId(schema.Users)
		if err != nil {
			return err
		}

		referrals := core.NewBaseCollection(schema.Referrals)
		referrals.Fields.Add(
			// A deleted referrer takes their referrals with them.
			&core.RelationField{Name: schema.ReferralReferrer, CollectionId: users.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			// A deleted referred user leaves the referral (and any reward it
			// earned) in the referrer's history, with the relation emptied.
			&core.RelationField{Name: schema.ReferralReferredUser, CollectionId: users.Id, MaxSelect: 1},
			&core.TextField{Name: schema.ReferralCodeUsed, Required: true, Max: 32},
			&core.SelectField{Name: schema.ReferralStatus, Required: true, MaxSelect: 1, Values: []string{
				schema.StatusPending, schema.StatusSuccessful, schema.StatusExpired, schema.StatusRejected,
			}},
			&core.TextField{Name: schema.ReferralReviewReason, Max: 500},
			&core.DateField{Name: schema.ReferralCompletedAt},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		referrals.AddIndex("idx_referrals_referred_user", true, "`referred_user`", "`referred_user` != ''")
		referrals.AddIndex("idx_referrals_referrer_created", false, "`referrer`, `created`", "")
		referrals.AddIndex("idx_referrals_referrer_status", false, "`referrer`, `status`", "")
		referrals.AddIndex("idx_referrals_status_created", false, "`status`, `created`", "")

		referrals.ListRule = types.Pointer("referrer = @request.auth.id")
		referrals.ViewRule = types.Pointer("referrer = @request.auth.id")
		// Writes: superusers only (dashboard) and the app's own hooks.

		return app.Save(referrals)
	}, func(app core.App) error {
		referrals, err := app.FindCollectionByNameOrId(schema.Referrals)
		if err != nil {
			return err
		}
		return app.Delete(referrals)
	})
}
