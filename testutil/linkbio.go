package testutil

import (
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"linkbase/schema"
	"linkbase/state"
)

// LinkbioNow is the time the AnnWithLinks fixture is set at.
var LinkbioNow = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

// SeedLink saves a link of owner through the model hooks, with the URL
// https://example.com/<title>; fields may set more values.
func SeedLink(t testing.TB, app core.App, owner *core.Record, title string, position int, fields map[string]any) *core.Record {
	t.Helper()
	links, err := app.FindCollectionByNameOrId(schema.Links)
	if err != nil {
		t.Fatal(err)
	}
	link := core.NewRecord(links)
	link.Set(schema.LinkOwner, owner.Id)
	link.Set(schema.LinkTitle, title)
	link.Set(schema.LinkURL, "https://example.com/"+title)
	link.Set(schema.LinkPosition, position)
	link.Set(schema.LinkEnabled, true)
	for k, v := range fields {
		link.Set(k, v)
	}
	if err := app.Save(link); err != nil {
		t.Fatalf("saving link %q: %v", title, err)
	}
	return link
}

// LinkID is the fixed record id of the link titled title in AnnWithLinks.
func LinkID(title string) string {
	return (title + "000000000000000")[:15]
}

// AnnWithLinks returns a factory of test apps whose stores read clock (a
// new one at LinkbioNow when nil), holding the user ann with links that
// are shown at LinkbioNow (second, first by position, and running) and
// links that are not (disabled, upcoming in an hour, ended).
func AnnWithLinks(clock *state.ManualClock) func(t testing.TB) *tests.TestApp {
	return func(t testing.TB) *tests.TestApp {
		c := clock
		if c == nil {
			c = state.NewManualClock(LinkbioNow)
		}
		app := FactoryAt(c.Now)(t)
		ann := CreateUser(t, app, "ann@example.com", "ann", map[string]any{
			schema.UserDisplayName: "Ann Example", schema.UserBio: "Hello there",
			schema.UserTheme: `{"background":"#112233","button_style":"pill"}`,
		})
		SeedLink(t, app, ann, "second", 2, map[string]any{"id": LinkID("second")})
		SeedLink(t, app, ann, "first", 1, map[string]any{"id": LinkID("first")})
		SeedLink(t, app, ann, "disabled", 0, map[string]any{"id": LinkID("disabled"), schema.LinkEnabled: false})
		SeedLink(t, app, ann, "upcoming", 0, map[string]any{"id": LinkID("upcoming"), schema.LinkStartsAt: LinkbioNow.Add(time.Hour)})
		SeedLink(t, app, ann, "ended", 0, map[string]any{"id": LinkID("ended"), schema.LinkEndsAt: LinkbioNow})
		SeedLink(t, app, ann, "running", 3, map[string]any{"id": LinkID("running"), schema.LinkStartsAt: LinkbioNow.Add(-time.Hour), schema.LinkEndsAt: LinkbioNow.Add(time.Hour)})
		return app
	}
}
