package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"linkbase/schema"
)

// Passkeys (WebAuthn): the registered credentials, and the pending
// ceremonies' challenges, stored in the database so that they are
// single-use and short-lived whichever process answers the next request.
// Both collections are superuser-only; users reach theirs through
// /api/passkeys.
func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId(schema.Users)
		if err != nil {
			return err
		}

		passkeys := core.NewBaseCollection(schema.Passkeys)
		passkeys.Fields.Add(
			&core.RelationField{Name: schema.PasskeyUser, CollectionId: users.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.TextField{Name: schema.PasskeyCredentialID, Required: true, Max: 1400},
			&core.TextField{Name: schema.PasskeyName, Required: true, Max: 64},
			&core.JSONField{Name: schema.PasskeyCredential, Required: true, MaxSize: 16 << 10, Hidden: true},
			&core.DateField{Name: schema.PasskeyLastUsed},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		passkeys.AddIndex("idx_passkeys_credential_id", true, "`"+schema.PasskeyCredentialID+"`", "")
		passkeys.AddIndex("idx_passkeys_user", false, "`"+schema.PasskeyUser+"`", "")
		if err := app.Save(passkeys); err != nil {
			return err
		}

		challenges := core.NewBaseCollection(schema.PasskeyChallenges)
		challenges.Fields.Add(
			&core.TextField{Name: schema.ChallengeKey, Required: true, Max: 128},
			&core.SelectField{Name: schema.ChallengeKind, Required: true, MaxSelect: 1, Values: []string{"register", "login"}},
			&core.RelationField{Name: schema.ChallengeUser, CollectionId: users.Id, MaxSelect: 1, CascadeDelete: true},
			&core.JSONField{Name: schema.ChallengeSession, Required: true, MaxSize: 16 << 10, Hidden: true},
			&core.DateField{Name: schema.ChallengeExpires, Required: true},
		)
		challenges.AddIndex("idx_passkey_challenges_key", true, "`"+schema.ChallengeKey+"`", "")
		challenges.AddIndex("idx_passkey_challenges_expires", false, "`"+schema.ChallengeExpires+"`", "")
		return app.Save(challenges)
	}, func(app core.App) error {
		for _, name := range []string{schema.PasskeyChallenges, schema.Passkeys} {
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
