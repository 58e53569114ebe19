package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"

	"linkbase/linkbio"
	"linkbase/schema"
)

// Links are writable only by their owner. clicks is the app's counter, so
// no client may set it; owner must be the caller on create and never moves.
const (
	linksOwnerRule  = "@request.auth.collectionName = 'users' && owner = @request.auth.id"
	linksCreateRule = linksOwnerRule + " && @request.body.clicks:isset = false"
	linksUpdateRule = linksOwnerRule + " && @request.body.clicks:isset = false && @request.body.owner:isset = false"
)

func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId(schema.Users)
		if err != nil {
			return err
		}

		links := core.NewBaseCollection(schema.Links)
		links.Fields.Add(
			&core.RelationField{Name: schema.LinkOwner, CollectionId: users.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.TextField{Name: schema.LinkTitle, Required: true, Max: 100},
			&core.TextField{Name: schema.LinkURL, Required: true, Max: linkbio.MaxURLLength},
			&core.NumberField{Name: schema.LinkPosition, OnlyInt: true},
			&core.BoolField{Name: schema.LinkEnabled},
			&core.DateField{Name: schema.LinkStartsAt},
			&core.DateField{Name: schema.LinkEndsAt},
			&core.NumberField{Name: schema.LinkClicks, OnlyInt: true, Min: types.Pointer(0.0)},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		links.AddIndex("idx_links_owner_position", false, "`owner`, `position`, `created`", "")

		links.ListRule = types.Pointer(linksOwnerRule)
		links.ViewRule = types.Pointer(linksOwnerRule)
		links.CreateRule = types.Pointer(linksCreateRule)
		links.UpdateRule = types.Pointer(linksUpdateRule)
		links.DeleteRule = types.Pointer(linksOwnerRule)

		return app.Save(links)
	}, func(app core.App) error {
		links, err := app.FindCollectionByNameOrId(schema.Links)
		if err != nil {
			return err
		}
		return app.Delete(links)
	})
}
