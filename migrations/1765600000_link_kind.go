package migrations

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"linkbase/linkbio"
	"linkbase/schema"
)

// Links get a kind: a link (a button to its URL) or a header (a section
// title with no URL). url stops being required by the schema, since a
// header has none; the links' model hook requires it of links
// (linkbio.CheckBlock). Every existing row is a link.
func init() {
	m.Register(func(app core.App) error {
		links, err := app.FindCollectionByNameOrId(schema.Links)
		if err != nil {
			return err
		}
		links.Fields.Add(&core.SelectField{Name: schema.LinkKind, Values: linkbio.Kinds, MaxSelect: 1})
		if url, ok := links.Fields.GetByName(schema.LinkURL).(*core.TextField); ok {
			url.Required = false
		}
		if err := app.Save(links); err != nil {
			return err
		}
		_, err = app.DB().Update(schema.Links, dbx.Params{schema.LinkKind: linkbio.KindLink},
			dbx.HashExp{schema.LinkKind: ""}).Execute()
		return err
	}, func(app core.App) error {
		links, err := app.FindCollectionByNameOrId(schema.Links)
		if err != nil {
			return err
		}
		links.Fields.RemoveByName(schema.LinkKind)
		if url, ok := links.Fields.GetByName(schema.LinkURL).(*core.TextField); ok {
			url.Required = true
		}
		return app.Save(links)
	})
}
