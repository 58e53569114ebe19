package migrations

import (
	"crypto/rand"
	"encoding/hex"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"linkbase/schema"
)

// secrets holds values the app generates once per install and never ships
// in the repo, such as the salt of IP and visitor hashes. Superusers only.
func init() {
	m.Register(func(app core.App) error {
		c := core.NewBaseCollection(schema.Secrets)
		c.Fields.Add(
			&core.TextField{Name: schema.SecretName, Required: true, Max: 64},
			&core.TextField{Name: schema.SecretValue, Required: true, Max: 256, Hidden: true},
		)
		c.AddIndex("idx_secrets_name", true, "`name`", "")
		if err := app.Save(c); err != nil {
			return err
		}
		salt := make([]byte, 32)
		if _, err := rand.Read(salt); err != nil {
			return err
		}
		row := core.NewRecord(c)
		row.Set(schema.SecretName, schema.SecretIPSalt)
		row.Set(schema.SecretValue, hex.EncodeToString(salt))
		return app.Save(row)
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId(schema.Secrets)
		if err != nil {
			return err
		}
		return app.Delete(c)
	})
}
