package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"linkbase/schema"
)

// referral_visits holds one row per referrer, UTC day and visitor (a salted
// hash, never a raw IP); the unique index is what makes "one visit per
// visitor per day" exact, whatever the in-memory dedupe forgets.
func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId(schema.Users)
		if err != nil {
			return err
		}
		visits := core.NewBaseCollection(schema.ReferralVisits)
		visits.Fields.Add(
			&core.RelationField{Name: schema.VisitReferrer, CollectionId: users.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.TextField{Name: schema.VisitDay, Required: true, Max: 10},
			&core.TextField{Name: schema.VisitVisitor, Required: true, Max: 64},
		)
		visits.AddIndex("idx_referral_visits_unique", true, "`referrer`, `day`, `visitor`", "")
		return app.Save(visits)
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId(schema.ReferralVisits)
		if err != nil {
			return err
		}
		return app.Delete(c)
	})
}
