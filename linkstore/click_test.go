package linkstore_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"linkbase/linkstore"
	"linkbase/schema"
	"linkbase/state"
	"linkbase/stores"
	"linkbase/testutil"
)

func TestFollow(t *testing.T) {
	app, links, _ := annWithLinks(t, nil)
	if url, err := links.Follow(testutil.LinkID("first"), false); err != nil || url != "https://example.com/first" {
		t.Fatalf("a shown link: %q, %v", url, err)
	}
	// A URL written past the hooks (raw SQL, a row older than the rule) is
	// never followed.
	if _, err := app.DB().NewQuery("UPDATE links SET url = 'javascript:alert(1)' WHERE id = {:id}").
		Bind(dbx.Params{"id": testutil.LinkID("second")}).Execute(); err != nil {
		t.Fatal(err)
	}
	if _, err := links.Follow(testutil.LinkID("second"), false); !errors.Is(err, linkstore.ErrNotFound) {
		t.Errorf("a stored javascript: URL: %v, want ErrNotFound", err)
	}
	for _, id := range []string{testutil.LinkID("disabled"), testutil.LinkID("upcoming"), testutil.LinkID("ended"), "nosuchlink0000", "x' OR 1=1--"} {
		if _, err := links.Follow(id, false); !errors.Is(err, linkstore.ErrNotFound) {
			t.Errorf("Follow(%q) = %v, want ErrNotFound", id, err)
		}
	}
}

// TestFollowFollowsEveryWrite follows a link (filling the cache), then
// makes each write that changes where or whether it leads, and follows it
// again at once.
func TestFollowFollowsEveryWrite(t *testing.T) {
	clock := state.NewManualClock(time.Now())
	app := testutil.NewAppAt(t, clock.Now)
	links := stores.Of(app).Links
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	link := testutil.SeedLink(t, app, ann, "shop", 1, nil)
	follow := func(step, want string) {
		t.Helper()
		url, err := links.Follow(link.Id, false)
		if want == "" && !errors.Is(err, linkstore.ErrNotFound) || want != "" && (err != nil || url != want) {
			t.Fatalf("%s: %q, %v; want %q", step, url, err, want)
		}
	}
	save := func() {
		t.Helper()
		if err := app.Save(link); err != nil {
			t.Fatal(err)
		}
	}

	follow("first click", "https://example.com/shop")
	follow("cached click", "https://example.com/shop")
	link.Set(schema.LinkURL, "https://example.com/sale")
	save()
	follow("after a new URL", "https://example.com/sale")
	link.Set(schema.LinkEnabled, false)
	save()
	follow("after switching the link off", "")
	link.Set(schema.LinkEnabled, true)
	link.Set(schema.LinkEndsAt, clock.Now().Add(time.Hour))
	save()
	follow("switched on again", "https://example.com/sale")
	clock.Advance(2 * time.Hour)
	follow("after its schedule ended (cached schedule, live clock)", "")
	clock.Advance(-2 * time.Hour)

	ann.Set(schema.UserDisabled, true)
	if err := app.Save(ann); err != nil {
		t.Fatal(err)
	}
	follow("after the owner was disabled", "")
	ann.Set(schema.UserDisabled, false)
	if err := app.Save(ann); err != nil {
		t.Fatal(err)
	}
	follow("owner enabled again", "https://example.com/sale")
	if err := app.Delete(link); err != nil {
		t.Fatal(err)
	}
	follow("after the link's deletion", "")
}

// TestCachedTargetsTouchNoLinkTable follows a link 100 times with an edit
// of it before every tenth: exactly those ten read the links table.
func TestCachedTargetsTouchNoLinkTable(t *testing.T) {
	app := testutil.NewApp(t)
	links := stores.Of(app).Links
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	link := testutil.SeedLink(t, app, ann, "shop", 1, nil)
	sqlLog := testutil.RecordSQL(t, app)

	misses := 0
	for i := range 100 {
		if i%10 == 0 {
			link.Set(schema.LinkTitle, "shop "+string(rune('a'+i/10)))
			if err := app.Save(link); err != nil {
				t.Fatal(err)
			}
			sqlLog.Take()
		}
		if _, err := links.Follow(link.Id, true); err != nil {
			t.Fatalf("click %d: %v", i, err)
		}
		for _, stmt := range sqlLog.Take() {
			if strings.Contains(stmt, "links") {
				misses++
			}
		}
	}
	if misses != 10 {
		t.Errorf("%d of 100 clicks read the links table, want the 10 after an edit", misses)
	}
	if s := stores.Of(app).CacheStats(); len(s) == 0 {
		t.Fatal("no cache figures")
	}
}
