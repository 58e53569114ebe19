package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"

	"linkbase/schema"
)

// The daily rollups are written only by the counter flusher (SQL upserts on
// their unique indexes) and read by GET /api/analytics; superusers see them
// in the dashboard.
func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId(schema.Users)
		if err != nil {
			return err
		}
		links, err := app.FindCollectionByNameOrId(schema.Links)
		if err != nil {
			return err
		}
		owner := func(name string) *core.RelationField {
			return &core.RelationField{Name: name, CollectionId: users.Id, MaxSelect: 1, Required: true, CascadeDelete: true}
		}
		count := func(name string) *core.NumberField {
			return &core.NumberField{Name: name, OnlyInt: true, Min: types.Pointer(0.0)}
		}
		date := func() *core.TextField {
			return &core.TextField{Name: schema.DailyDate, Required: true, Max: 10}
		}

		linkDaily := core.NewBaseCollection(schema.LinkDaily)
		linkDaily.Fields.Add(
			&core.RelationField{Name: schema.DailyLink, CollectionId: links.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			owner(schema.DailyOwner), date(), count(schema.DailyClicks),
		)
		linkDaily.AddIndex("idx_link_daily_link_date", true, "`link`, `date`", "")
		linkDaily.AddIndex("idx_link_daily_owner_date", false, "`owner`, `date`", "")

		profileDaily := core.NewBaseCollection(schema.ProfileDaily)
		profileDaily.Fields.Add(owner(schema.DailyProfile), date(), count(schema.DailyViews), count(schema.DailyClicks))
		profileDaily.AddIndex("idx_profile_daily_profile_date", true, "`profile`, `date`", "")

		referrerDaily := core.NewBaseCollection(schema.ReferrerDaily)
		referrerDaily.Fields.Add(
			owner(schema.DailyProfile), date(),
			&core.TextField{Name: schema.DailyHost, Max: 253}, count(schema.DailyViews),
		)
		referrerDaily.AddIndex("idx_referrer_daily_profile_date_host", true, "`profile`, `date`, `host`", "")

		for _, c := range []*core.Collection{linkDaily, profileDaily, referrerDaily} {
			if err := app.Save(c); err != nil {
				return err
			}
		}
		return nil
	}, func(app core.App) error {
		for _, name := range []string{schema.ReferrerDaily, schema.ProfileDaily, schema.LinkDaily} {
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
