package migrations

import (
	"strings"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"linkbase/schema"
)

// PocketBase's email-change mail (the SDK's requestEmailChange, and the
// dashboard's "Change email") links to the admin UI's confirmation screen
// by default; point it at Linkbase's page, as 1764100100 did for the
// reset and verification mails.
func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId(schema.Users)
		if err != nil {
			return err
		}
		users.ConfirmEmailChangeTemplate.Body = strings.ReplaceAll(users.ConfirmEmailChangeTemplate.Body,
			"/_/#/auth/confirm-email-change/"+core.EmailPlaceholderToken, "/confirm-email-change?token="+core.EmailPlaceholderToken)
		return app.Save(users)
	}, nil)
}
