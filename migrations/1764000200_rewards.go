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
		referrals, err := app.FindCollectionByNameOrId(schema.Referrals)
		if err != nil {
			return err
		}

		rewards := core.NewBaseCollection(schema.Rewards)
		rewards.Fields.Add(
			// The ledger belongs to its user and goes with them.
			&core.RelationField{Name: schema.RewardUser, CollectionId: users.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			// A ledger row outlives its referral, so a balance never changes
			// behind the ledger's back.
			&core.RelationField{Name: schema.RewardReferral, CollectionId: referrals.Id, MaxSelect: 1},
			&core.SelectField{Name: schema.RewardKind, Required: true, MaxSelect: 1, Values: []string{
				schema.RewardKindReferral, schema.RewardKindMilestone, schema.RewardKindReferred,
				schema.RewardKindManual, schema.RewardKindReversal,
			}},
			// Required on a number means non-zero; reversals are negative.
			&core.NumberField{Name: schema.RewardAmount, Required: true, OnlyInt: true},
			&core.TextField{Name: schema.RewardReason, Max: 500},
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		rewards.AddIndex("idx_rewards_referral_kind", true, "`referral`, `kind`", "`referral` != ''")
		rewards.AddIndex("idx_rewards_user_created", false, "`user`, `created`", "")

		rewards.ListRule = types.Pointer("user = @request.auth.id")
		rewards.ViewRule = types.Pointer("user = @request.auth.id")

		return app.Save(rewards)
	}, func(app core.App) error {
		rewards, err := app.FindCollectionByNameOrId(schema.Rewards)
		if err != nil {
			return err
		}
		return app.Delete(rewards)
	})
}
