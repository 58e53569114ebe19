package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"linkbase/schema"
)

// The unique indexes on users' email and referral_code are partial (WHERE
// the value != ”), so that OAuth users without an email, and rows being
// created, do not collide. SQLite uses a partial index only when the
// query's WHERE implies the index's, and "email = ?" does not imply
// "email != ”" to its planner: every lookup by email (login, the
// email_taken check, PocketBase's own auth-with-password and password
// reset) and by referral code (every sign-up, the code generator's
// collision check) scanned the whole users table. These plain indexes
// serve those lookups; uniqueness stays with the partial ones.
func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId(schema.Users)
		if err != nil {
			return err
		}
		users.AddIndex("idx_users_email_lookup", false, "`email` COLLATE NOCASE", "")
		users.AddIndex("idx_users_referral_code_lookup", false, "`referral_code`", "")
		return app.Save(users)
	}, func(app core.App) error {
		users, err := app.FindCollectionByNameOrId(schema.Users)
		if err != nil {
			return err
		}
		users.RemoveIndex("idx_users_email_lookup")
		users.RemoveIndex("idx_users_referral_code_lookup")
		return app.Save(users)
	})
}
