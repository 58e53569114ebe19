package migrations

import (
	"crypto/rand"
	"encoding/hex"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"linkbase/schema"
)

// The session key binds each browser session's CSRF token to its session
// token (an HMAC), generated once per install beside the IP salt.
func init() {
	m.Register(func(app core.App) error {
		secrets, err := app.FindCollectionByNameOrId(schema.Secrets)
		if err != nil {
			return err
		}
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return err
		}
		row := core.NewRecord(secrets)
		row.Set(schema.SecretName, schema.SecretSessionKey)
		row.Set(schema.SecretValue, hex.EncodeToString(key))
		return app.Save(row)
	}, func(app core.App) error {
		row, err := app.FindFirstRecordByData(schema.Secrets, schema.SecretName, schema.SecretSessionKey)
		if err != nil {
			return nil
		}
		return app.Delete(row)
	})
}
