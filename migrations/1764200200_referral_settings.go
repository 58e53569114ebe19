package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"

	"linkbase/referral"
	"linkbase/schema"
)

// referral_settings is a single row of reward and fraud rules that an admin
// edits in the dashboard (superusers only); hooks keep it single and
// valid. The defaults are seeded here.
func init() {
	m.Register(func(app core.App) error {
		c := core.NewBaseCollection(schema.ReferralSettings)
		c.Fields.Add(
			&core.NumberField{Name: schema.SettingPerReferral, OnlyInt: true, Min: types.Pointer(0.0)},
			&core.JSONField{Name: schema.SettingMilestones, MaxSize: 4096},
			&core.NumberField{Name: schema.SettingReferredBonus, OnlyInt: true, Min: types.Pointer(0.0)},
			&core.NumberField{Name: schema.SettingLifetimeCap, OnlyInt: true, Min: types.Pointer(0.0)},
			&core.NumberField{Name: schema.SettingExpiryDays, OnlyInt: true, Required: true, Min: types.Pointer(1.0)},
			&core.NumberField{Name: schema.SettingBurstLimit, OnlyInt: true, Min: types.Pointer(0.0)},
			&core.NumberField{Name: schema.SettingBurstMinutes, OnlyInt: true, Min: types.Pointer(0.0)},
			&core.NumberField{Name: schema.SettingIPWindowDays, OnlyInt: true, Min: types.Pointer(0.0)},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		if err := app.Save(c); err != nil {
			return err
		}

		d := referral.DefaultRules()
		row := core.NewRecord(c)
		row.Set(schema.SettingPerReferral, d.PerReferral)
		row.Set(schema.SettingMilestones, d.Milestones)
		row.Set(schema.SettingReferredBonus, d.ReferredBonus)
		row.Set(schema.SettingLifetimeCap, d.LifetimeCap)
		row.Set(schema.SettingExpiryDays, d.ExpiryDays)
		row.Set(schema.SettingBurstLimit, d.BurstLimit)
		row.Set(schema.SettingBurstMinutes, int(d.BurstWindow.Minutes()))
		row.Set(schema.SettingIPWindowDays, int(d.IPWindow.Hours()/24))
		return app.Save(row)
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId(schema.ReferralSettings)
		if err != nil {
			return err
		}
		return app.Delete(c)
	})
}
