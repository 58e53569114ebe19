package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"linkbase/schema"
)

// users.socials was added hidden (1765600100_user_socials.go) until the
// users' model hook checked it; the hook now holds every write to
// linkbio.ParseSocials, so the owner reads and writes it through the
// collection API like the other profile fields.
func init() {
	m.Register(func(app core.App) error {
		return setSocialsHidden(app, false)
	}, func(app core.App) error {
		return setSocialsHidden(app, true)
	})
}

func setSocialsHidden(app core.App, hidden bool) error {
	users, err := app.FindCollectionByNameOrId(schema.Users)
	if err != nil {
		return err
	}
	users.Fields.GetByName(schema.UserSocials).SetHidden(hidden)
	return app.Save(users)
}
