package migrations_test

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/linkbio"
	"linkbase/schema"
	"linkbase/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }

// TestBlockFields: links have a kind (link or header) and an optional url
// in the schema; users have a socials list, shown (1765800000) once the
// users' model hook checked it; the day rollups have their breakdowns.
func TestBlockFields(t *testing.T) {
	app := testutil.NewApp(t)
	links, err := app.FindCollectionByNameOrId(schema.Links)
	if err != nil {
		t.Fatal(err)
	}
	kind, ok := links.Fields.GetByName(schema.LinkKind).(*core.SelectField)
	if !ok || len(kind.Values) != 2 || kind.Values[0] != linkbio.KindLink || kind.Values[1] != linkbio.KindHeader {
		t.Fatalf("links.kind = %#v", links.Fields.GetByName(schema.LinkKind))
	}
	if url := links.Fields.GetByName(schema.LinkURL).(*core.TextField); url.Required {
		t.Error("links.url is still required: a header could not be saved")
	}
	users, err := app.FindCollectionByNameOrId(schema.Users)
	if err != nil {
		t.Fatal(err)
	}
	socials, ok := users.Fields.GetByName(schema.UserSocials).(*core.JSONField)
	if !ok || socials.Hidden || socials.MaxSize < 12*(linkbio.MaxURLLength+40) {
		t.Fatalf("users.socials = %#v", users.Fields.GetByName(schema.UserSocials))
	}
	daily, err := app.FindCollectionByNameOrId(schema.ProfileDaily)
	if err != nil || daily.Fields.GetByName(schema.DailyUniqueViews) == nil {
		t.Fatalf("profile_daily.unique_views missing (%v)", err)
	}
	for name, index := range map[string]string{
		schema.ViewDaily: "idx_view_daily_profile_date_dimension_value", schema.ProfileVisitors: "idx_profile_visitors_unique",
	} {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			t.Fatal(err)
		}
		if idx := c.GetIndex(index); idx == "" || c.ListRule != nil || c.ViewRule != nil {
			t.Errorf("%s: index %q, rules %v %v: want a unique index and superusers only", name, idx, c.ListRule, c.ViewRule)
		}
	}
}

// TestLinkKindBackfill runs the kind migration down and up over links made
// before it: each comes back a link.
func TestLinkKindBackfill(t *testing.T) {
	app := testutil.NewApp(t)
	var mig *core.Migration
	for _, item := range core.AppMigrations.Items() {
		if item.File == "1765600000_link_kind.go" {
			mig = item
		}
	}
	if mig == nil {
		t.Fatal("migration 1765600000_link_kind.go not registered")
	}
	if err := mig.Down(app); err != nil {
		t.Fatal(err)
	}
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	links, _ := app.FindCollectionByNameOrId(schema.Links)
	link := core.NewRecord(links)
	link.Load(map[string]any{schema.LinkOwner: ann.Id, schema.LinkTitle: "Shop", schema.LinkURL: "https://shop.example"})
	if err := app.Save(link); err != nil {
		t.Fatal(err)
	}
	if err := mig.Up(app); err != nil {
		t.Fatal(err)
	}
	got, err := app.FindRecordById(schema.Links, link.Id)
	if err != nil || got.GetString(schema.LinkKind) != linkbio.KindLink {
		t.Fatalf("kind after the migration = %q, %v; want link", got.GetString(schema.LinkKind), err)
	}
}
