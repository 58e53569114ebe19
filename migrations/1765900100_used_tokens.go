package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"linkbase/schema"
)

// used_tokens makes every mailed token single-use in the database itself:
// consuming one inserts its hash under a unique index inside the
// transaction that acts on it, so of any number of concurrent uses, on
// our routes or PocketBase's, in one process or many sharing the primary
// database, exactly one commits. Superusers only; rows go once the token
// has expired (hooks/users.go's purge job).
func init() {
	m.Register(func(app core.App) error {
		c := core.NewBaseCollection(schema.UsedTokens)
		c.Fields.Add(
			&core.TextField{Name: schema.UsedTokenHash, Required: true, Max: 64},
			&core.DateField{Name: schema.UsedTokenExpires, Required: true},
		)
		c.AddIndex("idx_used_tokens_hash", true, "`"+schema.UsedTokenHash+"`", "")
		c.AddIndex("idx_used_tokens_expires", false, "`"+schema.UsedTokenExpires+"`", "")
		return app.Save(c)
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId(schema.UsedTokens)
		if err != nil {
			return err
		}
		return app.Delete(c)
	})
}
