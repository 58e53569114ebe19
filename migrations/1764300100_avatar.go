package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"linkbase/schema"
)

// avatarMaxSize is the largest avatar upload, in bytes.
const avatarMaxSize = 2 << 20

func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId(schema.Users)
		if err != nil {
			return err
		}
		avatar, ok := users.Fields.GetByName(schema.UserAvatar).(*core.FileField)
		if !ok {
			avatar = &core.FileField{Name: schema.UserAvatar}
		}
		avatar.MaxSelect = 1
		avatar.MaxSize = avatarMaxSize
		// No SVG: an SVG opened on its own can run script in the app's origin.
		avatar.MimeTypes = []string{"image/jpeg", "image/png", "image/webp", "image/gif"}
		// 100x100 for lists, 400x400 for the public page (a 200px circle on
		// a 2x screen).
		avatar.Thumbs = []string{"100x100", "400x400"}
		users.Fields.Add(avatar)
		return app.Save(users)
	}, nil)
}
