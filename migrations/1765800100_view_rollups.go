package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"

	"linkbase/schema"
)

// The analytics' breakdowns, written like the other rollups only by the
// view and click flusher and read by GET /api/analytics:
//
//   - profile_daily.unique_views: the day's distinct visitors;
//   - view_daily: a profile's views of a day by device, browser and
//     utm_source, one row per value (a bounded set: three devices, seven
//     browsers, and sources capped per day with the rest as "other");
//   - profile_visitors: who has been counted today, one row per profile,
//     day and visitor (a salted hash that also covers the profile and the
//     day, so rows cannot be linked across them), kept only while it can
//     still dedupe (today and yesterday) and pruned by the flusher.
func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId(schema.Users)
		if err != nil {
			return err
		}
		profile := func() *core.RelationField {
			return &core.RelationField{Name: schema.DailyProfile, CollectionId: users.Id, MaxSelect: 1, Required: true, CascadeDelete: true}
		}
		date := func() *core.TextField {
			return &core.TextField{Name: schema.DailyDate, Required: true, Max: 10}
		}
		count := func(name string) *core.NumberField {
			return &core.NumberField{Name: name, OnlyInt: true, Min: types.Pointer(0.0)}
		}

		profileDaily, err := app.FindCollectionByNameOrId(schema.ProfileDaily)
		if err != nil {
			return err
		}
		profileDaily.Fields.Add(count(schema.DailyUniqueViews))

		viewDaily := core.NewBaseCollection(schema.ViewDaily)
		viewDaily.Fields.Add(profile(), date(),
			&core.TextField{Name: schema.DailyDimension, Required: true, Max: 16},
			&core.TextField{Name: schema.DailyValue, Required: true, Max: 64},
			count(schema.DailyViews))
		viewDaily.AddIndex("idx_view_daily_profile_date_dimension_value", true, "`profile`, `date`, `dimension`, `value`", "")

		visitors := core.NewBaseCollection(schema.ProfileVisitors)
		visitors.Fields.Add(profile(), date(), &core.TextField{Name: schema.VisitorID, Required: true, Max: 64})
		visitors.AddIndex("idx_profile_visitors_unique", true, "`profile`, `date`, `visitor`", "")
		visitors.AddIndex("idx_profile_visitors_date", false, "`date`", "")

		for _, c := range []*core.Collection{profileDaily, viewDaily, visitors} {
			if err := app.Save(c); err != nil {
				return err
			}
		}
		return nil
	}, func(app core.App) error {
		for _, name := range []string{schema.ProfileVisitors, schema.ViewDaily} {
			c, err := app.FindCollectionByNameOrId(name)
			if err != nil {
				return err
			}
			if err := app.Delete(c); err != nil {
				return err
			}
		}
		profileDaily, err := app.FindCollectionByNameOrId(schema.ProfileDaily)
		if err != nil {
			return err
		}
		profileDaily.Fields.RemoveByName(schema.DailyUniqueViews)
		return app.Save(profileDaily)
	})
}
