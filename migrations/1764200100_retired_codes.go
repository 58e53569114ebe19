package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"linkbase/referral"
	"linkbase/schema"
)

// retired_codes remembers every code that was replaced or whose owner was
// deleted, so that it answers referral_expired and is never handed out
// again. owner is a plain text id rather than a relation, so the row
// outlives a deleted owner. Superusers only.
func init() {
	m.Register(func(app core.App) error {
		retired := core.NewBaseCollection(schema.RetiredCodes)
		retired.Fields.Add(
			&core.TextField{Name: schema.RetiredCode, Required: true, Max: 32, Pattern: referral.CodePattern},
			&core.TextField{Name: schema.RetiredOwner, Max: 32},
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		retired.AddIndex("idx_retired_codes_code", true, "`code`", "")
		return app.Save(retired)
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId(schema.RetiredCodes)
		if err != nil {
			return err
		}
		return app.Delete(c)
	})
}
