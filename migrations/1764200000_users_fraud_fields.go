package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"linkbase/schema"
)

// The referral program's fraud signals compare a referred user's IP hash
// with the referrer's recent sign-up and login IP hashes. The fields are
// hidden: PocketBase neither shows them to nor takes them from anyone but
// superusers.
func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId(schema.Users)
		if err != nil {
			return err
		}
		users.Fields.Add(
			&core.TextField{Name: schema.UserSignupIPHash, Max: 64, Hidden: true},
			&core.TextField{Name: schema.UserLoginIPHash, Max: 64, Hidden: true},
			&core.DateField{Name: schema.UserLoginAt, Hidden: true},
		)
		return app.Save(users)
	}, nil)
}
