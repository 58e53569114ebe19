package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"linkbase/accountstore"
	"linkbase/schema"
)

// Emails get one canonical form (trailing dots of the domain removed, the
// domain lowercased and IDNA-encoded; account.NormalizeEmail), which the
// users hooks store from now on. Existing addresses are rewritten to it,
// except where two accounts turn out to share one: those are left as they
// are, logged (Dashboard → Logs) and listed in the superuser-only
// email_duplicates collection for an admin to resolve by hand. No account
// is merged or deleted.
func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId(schema.Users)
		if err != nil {
			return err
		}
		c := core.NewBaseCollection(schema.EmailDuplicates)
		c.Fields.Add(
			&core.TextField{Name: schema.DuplicateEmail, Required: true, Max: 512},
			&core.RelationField{Name: schema.DuplicateUsers, CollectionId: users.Id, MaxSelect: 100},
			&core.JSONField{Name: schema.DuplicateStored, MaxSize: 64 << 10},
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		if err := app.Save(c); err != nil {
			return err
		}

		dups, err := accountstore.CanonicalizeEmails(app)
		if err != nil {
			return err
		}
		for _, d := range dups {
			app.Logger().Warn("Accounts share one canonical email address; resolve them in Dashboard → email_duplicates",
				"email", d.Email, "users", d.UserIDs, "stored", d.Stored)
			row := core.NewRecord(c)
			row.Set(schema.DuplicateEmail, d.Email)
			row.Set(schema.DuplicateUsers, d.UserIDs)
			row.Set(schema.DuplicateStored, d.Stored)
			if err := app.Save(row); err != nil {
				return err
			}
		}
		return nil
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId(schema.EmailDuplicates)
		if err != nil {
			return err
		}
		return app.Delete(c)
	})
}
