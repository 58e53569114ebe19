package migrations

import (
	"strings"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"linkbase/schema"
)

// PocketBase's own mail endpoints (the SDK's requestPasswordReset and
// requestVerification) link to the admin dashboard's confirmation screens
// by default; point them at Linkbase's pages instead, so a user gets the
// same page whichever way the mail was asked for.
func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId(schema.Users)
		if err != nil {
			return err
		}
		users.ResetPasswordTemplate.Body = strings.ReplaceAll(users.ResetPasswordTemplate.Body,
			"/_/#/auth/confirm-password-reset/"+core.EmailPlaceholderToken, "/reset-password?token="+core.EmailPlaceholderToken)
		users.VerificationTemplate.Body = strings.ReplaceAll(users.VerificationTemplate.Body,
			"/_/#/auth/confirm-verification/"+core.EmailPlaceholderToken, "/verify-email?token="+core.EmailPlaceholderToken)
		return app.Save(users)
	}, nil)
}
