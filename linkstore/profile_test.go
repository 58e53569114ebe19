package linkstore_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/linkstore"
	"linkbase/schema"
	"linkbase/state"
	"linkbase/testutil"
)

func titles(p *linkstore.Profile) string {
	var out []string
	for _, l := range p.Data.Links {
		out = append(out, l.Title)
	}
	return strings.Join(out, ",")
}

func TestProfileShowsLiveLinksInOrder(t *testing.T) {
	_, links, ann := annWithLinks(t, nil)
	p, err := links.Profile("ann")
	if err != nil {
		t.Fatal(err)
	}
	if got := titles(p); got != "first,second,running" {
		t.Fatalf("links %q, want first,second,running", got)
	}
	if p.OwnerID != ann.Id || p.PageURL != "http://localhost:8090/ann" || p.ETag == "" {
		t.Fatalf("profile %+v", p)
	}
	for _, part := range []string{string(p.JSON), string(p.Page), string(p.CSS)} {
		if part == "" {
			t.Fatal("a representation was not rendered")
		}
	}
	if !strings.Contains(string(p.Page), p.ETag) {
		t.Fatal("the page does not link the stylesheet of its version")
	}
	if again, _ := links.Profile("ANN"); again != p {
		t.Fatal("another letter case is not the same cached profile")
	}
}

func TestProfileNotFound(t *testing.T) {
	app, links, _ := annWithLinks(t, nil)
	testutil.CreateUser(t, app, "dan@example.com", "dan", map[string]any{schema.UserDisabled: true})
	for _, name := range []string{"nobody", " ann", "ann ", "<script>", "", "dan"} {
		if _, err := links.Profile(name); !errors.Is(err, linkstore.ErrNotFound) {
			t.Errorf("Profile(%q) = %v, want ErrNotFound", name, err)
		}
	}
}

func TestProfileCacheInvalidation(t *testing.T) {
	app, links, ann := annWithLinks(t, nil)
	get := func() *linkstore.Profile {
		t.Helper()
		p, err := links.Profile("ann")
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	cached := get()

	// A write that bypasses the record hooks is not seen: the answer comes
	// from the cache, not the database.
	if _, err := app.DB().NewQuery("UPDATE users SET display_name = 'Sneaky' WHERE id = {:id}").Bind(dbx.Params{"id": ann.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	if get() != cached {
		t.Fatal("the profile was not served from the cache")
	}

	link := func(id string) *core.Record {
		l, err := app.FindRecordById(schema.Links, id)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	setLink := func(title, field string, value any) func() error {
		return func() error {
			l := link(testutil.LinkID(title))
			l.Set(field, value)
			return app.Save(l)
		}
	}
	writes := []struct {
		name  string
		write func() error
		want  string
		gone  string
	}{
		{"user update", func() error { ann.Set(schema.UserBio, "New bio"); return app.Save(ann) }, `"bio":"New bio"`, ""},
		{"link create", func() error { testutil.SeedLink(t, app, ann, "brandnew", 9, nil); return nil }, `"title":"brandnew"`, ""},
		{"link update", setLink("first", schema.LinkTitle, "renamed"), `"title":"renamed"`, ""},
		{"link disabled", setLink("second", schema.LinkEnabled, false), "", `"title":"second"`},
		{"link delete", func() error { return app.Delete(link(testutil.LinkID("running"))) }, "", `"title":"running"`},
		{"socials update", func() error {
			ann.Set(schema.UserSocials, `[{"platform":"github","url":"https://github.com/ann"}]`)
			return app.Save(ann)
		}, `"socials":[{"platform":"github","url":"https://github.com/ann"}]`, ""},
		{"username change", func() error { ann.Set(schema.UserUsername, "annie"); return app.Save(ann) }, "", `"username":"ann"`},
	}
	for _, w := range writes {
		before := get()
		if err := w.write(); err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		after, err := links.Profile(before.Data.Username)
		if w.name == "username change" {
			if !errors.Is(err, linkstore.ErrNotFound) {
				t.Fatalf("the old username still answers: %v", err)
			}
			after, err = links.Profile("annie")
		}
		if err != nil {
			t.Fatalf("after %s: %v", w.name, err)
		}
		if w.want != "" && !strings.Contains(string(after.JSON), w.want) {
			t.Fatalf("after %s the profile lacks %s: %s", w.name, w.want, after.JSON)
		}
		if w.gone != "" && strings.Contains(string(after.JSON), w.gone) {
			t.Fatalf("after %s the profile still has %s: %s", w.name, w.gone, after.JSON)
		}
		if after.ETag == before.ETag {
			t.Fatalf("after %s the ETag did not change", w.name)
		}
	}
	if err := app.Delete(ann); err != nil {
		t.Fatal(err)
	}
	if _, err := links.Profile("annie"); !errors.Is(err, linkstore.ErrNotFound) {
		t.Fatalf("deleted user's profile: %v", err)
	}
}

func TestProfileCacheFollowsTheSchedule(t *testing.T) {
	clock := state.NewManualClock(testutil.LinkbioNow)
	_, links, _ := annWithLinks(t, clock)
	p, err := links.Profile("ann")
	if err != nil || titles(p) != "first,second,running" {
		t.Fatalf("at noon: %q, %v", titles(p), err)
	}
	// No write happens; the cached entry expires when "upcoming" starts and
	// "running" ends, an hour later.
	clock.Advance(time.Hour)
	if p, _ = links.Profile("ann"); titles(p) != "upcoming,first,second" {
		t.Fatalf("an hour later: %q", titles(p))
	}
	if _, err := links.Follow(testutil.LinkID("upcoming"), false); err != nil {
		t.Fatalf("following a started link: %v", err)
	}
}
