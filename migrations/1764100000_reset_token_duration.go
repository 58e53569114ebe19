package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"linkbase/schema"
)

// passwordResetTokenSeconds is how long a reset link works (SECURITY.md).
// It is the users collection's own option, so an admin can change it in
// the dashboard (Collections → users → Options → Tokens).
const passwordResetTokenSeconds = 30 * 60

func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId(schema.Users)
		if err != nil {
			return err
		}
		users.PasswordResetToken.Duration = passwordResetTokenSeconds
		return app.Save(users)
	}, nil)
}
