package linkstore_test

import (
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pocketbase/dbx"

	"linkbase/schema"
	"linkbase/testutil"
)

func TestProfileShowsHeadersAndSocials(t *testing.T) {
	app, links, ann := annWithLinks(t, nil)
	testutil.SeedLink(t, app, ann, "Shop", 0, map[string]any{schema.LinkKind: "header", schema.LinkURL: ""})
	ann.Set(schema.UserSocials, `[{"platform":"instagram","url":"https://instagram.com/ann"},{"platform":"email","url":"ann@example.com"}]`)
	if err := app.Save(ann); err != nil {
		t.Fatal(err)
	}
	p, err := links.Profile("ann")
	if err != nil {
		t.Fatal(err)
	}
	if got := titles(p); got != "Shop,first,second,running" {
		t.Fatalf("blocks %q", got)
	}
	header := p.Data.Links[0]
	if header.Kind != "header" || header.URL != "" || header.ClickURL != "" || p.Data.Links[1].Kind != "link" {
		t.Fatalf("blocks %+v", p.Data.Links)
	}
	for _, want := range []string{
		`"socials":[{"platform":"instagram","url":"https://instagram.com/ann"},{"platform":"email","url":"mailto:ann@example.com"}]`,
		`{"id":"` + header.ID + `","kind":"header","title":"Shop","url":"","click_url":""}`,
	} {
		if !strings.Contains(string(p.JSON), want) {
			t.Errorf("JSON lacks %s:\n%s", want, p.JSON)
		}
	}
	page := string(p.Page)
	for _, want := range []string{
		`<ul class="socials" aria-label="Social links">`,
		`<a href="https://instagram.com/ann" aria-label="Instagram"`, `<a href="mailto:ann@example.com" aria-label="Email"`,
		`<svg class="icon"`, `<h2>Shop</h2>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	// The header opens the section that holds every link after it.
	if strings.Index(page, "<h2>Shop</h2>") > strings.Index(page, ">first</a>") {
		t.Error("the header is not above its links")
	}
	if strings.Count(page, `<a class="link"`) != 3 {
		t.Errorf("a header is drawn as a link:\n%s", page)
	}
}

func TestReorder(t *testing.T) {
	app, links, ann := annWithLinks(t, nil)
	bob := testutil.CreateUser(t, app, "bob@example.com", "bob", nil)
	bobs := testutil.SeedLink(t, app, bob, "bobs", 0, nil)
	ids := ownLinks(t, app, ann.Id)
	before, _ := links.Profile("ann")

	reversed := slices.Clone(ids)
	slices.Reverse(reversed)
	got, err := links.Reorder(ann.Id, reversed)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range got {
		if r.Id != reversed[i] || r.GetInt(schema.LinkPosition) != i {
			t.Fatalf("answer %d: %s at %d", i, r.Id, r.GetInt(schema.LinkPosition))
		}
	}
	if now := ownLinks(t, app, ann.Id); !slices.Equal(now, reversed) {
		t.Fatalf("stored order %v, want %v", now, reversed)
	}
	if after, _ := links.Profile("ann"); after.ETag == before.ETag || titles(after) != "running,second,first" {
		t.Fatalf("the cached profile did not follow: %s", titles(after))
	}

	for name, bad := range map[string][]string{
		"another user's link": append(slices.Clone(ids), bobs.Id),
		"a link twice":        append(slices.Clone(ids[:len(ids)-1]), ids[0]),
		"a link left out":     ids[1:],
	} {
		if _, err := links.Reorder(ann.Id, bad); err == nil {
			t.Errorf("%s: accepted", name)
		}
		if now := ownLinks(t, app, ann.Id); !slices.Equal(now, reversed) {
			t.Fatalf("%s changed the order to %v", name, now)
		}
	}
	if p := testutil.QueryInt(t, app, "SELECT position FROM links WHERE id = {:id}", dbx.Params{"id": bobs.Id}); p != 0 {
		t.Fatalf("bob's link moved to %d", p)
	}
}

// TestConcurrentOrdersLeaveOneWhole: orders sent at once each rewrite every
// position in one transaction, so the stored order is one of them, with
// positions 0 to n-1. Writing one position per request (the dashboard's
// way before POST /api/links/order) leaves a mix, with repeated positions.
func TestConcurrentOrdersLeaveOneWhole(t *testing.T) {
	app, links, ann := annWithLinks(t, nil)
	ids := ownLinks(t, app, ann.Id)
	var orders [][]string
	for i := range len(ids) {
		o := append(slices.Clone(ids[i:]), ids[:i]...) // every rotation
		orders = append(orders, o)
		o = slices.Clone(o)
		slices.Reverse(o)
		orders = append(orders, o)
	}
	var wg sync.WaitGroup
	for _, o := range orders {
		wg.Go(func() {
			if _, err := links.Reorder(ann.Id, o); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()

	var positions []int
	if err := app.DB().NewQuery("SELECT position FROM links WHERE owner = {:o} ORDER BY position").Bind(dbx.Params{"o": ann.Id}).Column(&positions); err != nil {
		t.Fatal(err)
	}
	for i, p := range positions {
		if p != i {
			t.Fatalf("positions %v, want 0 to %d", positions, len(ids)-1)
		}
	}
	final := ownLinks(t, app, ann.Id)
	if !slices.ContainsFunc(orders, func(o []string) bool { return slices.Equal(o, final) }) {
		t.Fatalf("stored order %v is none of those sent", final)
	}
}

// ownLinks are owner's link ids by position.
func ownLinks(t *testing.T, app interface{ DB() dbx.Builder }, owner string) []string {
	t.Helper()
	var ids []string
	err := app.DB().NewQuery("SELECT id FROM links WHERE owner = {:o} ORDER BY position, created").Bind(dbx.Params{"o": owner}).Column(&ids)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}
