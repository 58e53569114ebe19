package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"linkbase/schema"
)

// Users get socials, the icon row of their page: a JSON list of
// {"platform", "url"} (linkbio.ParseSocials), at most one per platform,
// so 32 KiB holds the longest allowed list. The field starts hidden (only
// superusers read or write it, and clients' values are dropped) until the
// users' model hook that checks it is in place; a later migration shows it.
func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId(schema.Users)
		if err != nil {
			return err
		}
		users.Fields.Add(&core.JSONField{Name: schema.UserSocials, MaxSize: 32 << 10, Hidden: true})
		return app.Save(users)
	}, func(app core.App) error {
		users, err := app.FindCollectionByNameOrId(schema.Users)
		if err != nil {
			return err
		}
		users.Fields.RemoveByName(schema.UserSocials)
		return app.Save(users)
	})
}
