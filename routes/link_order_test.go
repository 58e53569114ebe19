package routes_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tests"

	"linkbase/stores"
	"linkbase/testutil"
)

// annsLinkIDs are the ids of ann's links in annWithLinks, by position.
func annsLinkIDs(t testing.TB, app *tests.TestApp) []string {
	t.Helper()
	var ids []string
	err := app.DB().NewQuery("SELECT l.id FROM links l JOIN users u ON u.id = l.owner WHERE u.username = 'ann' ORDER BY l.position, l.created").Column(&ids)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func idsBody(ids ...string) string {
	b, _ := json.Marshal(map[string][]string{"ids": ids})
	return string(b)
}

func TestLinkOrder(t *testing.T) {
	byTitle := func(titles ...string) []string {
		ids := make([]string, len(titles))
		for i, title := range titles {
			ids[i] = testutil.LinkID(title)
		}
		return ids
	}
	all := byTitle("running", "second", "first", "ended", "upcoming", "disabled")
	withBob := func(t testing.TB) *tests.TestApp {
		app := annWithLinks(t)
		bob := testutil.CreateUser(t, app, "bob@example.com", "bob", nil)
		testutil.SeedLink(t, app, bob, "bobs", 0, map[string]any{"id": "bobslink0000000"})
		return app
	}
	unchanged := func(t testing.TB, app *tests.TestApp, _ *http.Response) {
		n := testutil.QueryInt(t, app, `SELECT COUNT(*) FROM links WHERE (id = {:first} AND position = 1) OR (id = {:second} AND position = 2)
			OR (id = {:running} AND position = 3) OR (id IN ({:d}, {:u}, {:e}) AND position = 0) OR (id = 'bobslink0000000' AND position = 0)`,
			dbx.Params{"first": testutil.LinkID("first"), "second": testutil.LinkID("second"), "running": testutil.LinkID("running"),
				"d": testutil.LinkID("disabled"), "u": testutil.LinkID("upcoming"), "e": testutil.LinkID("ended")})
		if n != 7 {
			t.Errorf("positions changed: %v", annsLinkIDs(t, app))
		}
	}
	scenario := func(name, body string, status int, content []string, after func(testing.TB, *tests.TestApp, *http.Response)) tests.ApiScenario {
		headers, as := authAs("ann", false)
		return tests.ApiScenario{
			Name: name, Method: http.MethodPost, URL: "/api/links/order", Body: strings.NewReader(body),
			TestAppFactory: withBob, Headers: headers, BeforeTestFunc: as,
			ExpectedStatus: status, ExpectedContent: content, AfterTestFunc: after,
		}
	}
	ok := scenario("every link in a new order", idsBody(all...), http.StatusOK,
		[]string{`"items":[{`, `"id":"` + testutil.LinkID("running") + `"`, `"position":0`, `"position":5`},
		func(t testing.TB, app *tests.TestApp, res *http.Response) {
			if got := annsLinkIDs(t, app); !slices.Equal(got, all) {
				t.Errorf("stored order %v, want %v", got, all)
			}
			// The public profile follows at once (the cache is dropped).
			p, err := stores.Of(app).Links.Profile("ann")
			if err != nil || strings.Index(string(p.JSON), `"running"`) > strings.Index(string(p.JSON), `"first"`) {
				t.Errorf("the profile keeps the old order: %s %v", p.JSON, err)
			}
		})
	ok.ExpectedEvents = map[string]int{"OnRecordUpdate": 6, "OnRecordAfterUpdateSuccess": 6} // each link moved, saved as a record
	run(t, []tests.ApiScenario{
		ok,
		scenario("missing ids", `{}`, http.StatusBadRequest, []string{`"ids":{"code":"required"`}, unchanged),
		scenario("null ids", `{"ids":null}`, http.StatusBadRequest, []string{`"ids":{"code":"required"`}, unchanged),
		scenario("ids not a list", `{"ids":"`+all[0]+`"}`, http.StatusBadRequest, []string{`"ids":{"code":"invalid_type"`}, unchanged),
		scenario("ids of numbers", `{"ids":[1,2]}`, http.StatusBadRequest, []string{`"ids":{"code":"invalid_type"`}, unchanged),
		scenario("not a json object", `[1]`, http.StatusBadRequest, []string{`"status":400`}, unchanged),
		scenario("another user's link", idsBody(append(slices.Clone(all), "bobslink0000000")...), http.StatusBadRequest, []string{`"ids":{"code":"link_unknown"`}, unchanged),
		scenario("an unknown id with sql", idsBody(append(slices.Clone(all[1:]), "x' OR 1=1 --")...), http.StatusBadRequest, []string{`"ids":{"code":"link_unknown"`}, unchanged),
		scenario("a link twice", idsBody(append(slices.Clone(all), all[0])...), http.StatusBadRequest, []string{`"ids":{"code":"link_repeated"`}, unchanged),
		scenario("a link left out", idsBody(all[1:]...), http.StatusBadRequest, []string{`"ids":{"code":"link_missing"`}, unchanged),
		scenario("an empty list", `{"ids":[]}`, http.StatusBadRequest, []string{`"ids":{"code":"link_missing"`}, unchanged),
		scenario("a body over 16 KiB", `{"ids":["`+strings.Repeat("a", 17<<10)+`"]}`, http.StatusRequestEntityTooLarge, []string{`"status":413`}, unchanged),
		{
			Name: "anonymous", Method: http.MethodPost, URL: "/api/links/order", Body: strings.NewReader(idsBody(all...)),
			TestAppFactory: withBob, ExpectedStatus: http.StatusUnauthorized, ExpectedContent: []string{`"status":401`}, AfterTestFunc: unchanged,
		},
		func() tests.ApiScenario {
			s := scenario("session cookie without the CSRF token", idsBody(all...), http.StatusForbidden, []string{`"status":403`}, unchanged)
			s.Headers, s.BeforeTestFunc = authAs("ann", true)
			s.Headers["X-CSRF-Token"] = "wrong"
			return s
		}(),
	})
}

// TestConcurrentOrdersLeaveAPermutation: with the dashboard's old way, one
// PATCH of position per link, two moves made at once left positions such
// as [4,4,5,5,5,5]; orders sent at once through POST /api/links/order
// each apply whole, so the links end in one of the sent orders with
// positions 0 to n-1.
func TestConcurrentOrdersLeaveAPermutation(t *testing.T) {
	app := annWithLinks(t)
	defer app.Cleanup()
	testutil.RelaxRateLimits(t, app)
	h := testutil.Handler(t, app)
	auth := authHeader(t, testutil.FindUser(t, app, "ann"))
	ids := annsLinkIDs(t, app)

	var orders [][]string
	for i := range ids {
		orders = append(orders, append(slices.Clone(ids[i:]), ids[:i]...))
	}
	var wg sync.WaitGroup
	for _, o := range orders {
		for range 3 {
			wg.Go(func() {
				if res := testutil.Send(h, "POST", "/api/links/order", idsBody(o...), auth); res.Code != http.StatusOK {
					t.Errorf("%d %s", res.Code, res.Body.String())
				}
			})
		}
	}
	wg.Wait()

	var positions []int
	err := app.DB().NewQuery("SELECT position FROM links WHERE owner = {:o} ORDER BY position").
		Bind(dbx.Params{"o": testutil.FindUser(t, app, "ann").Id}).Column(&positions)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{0, 1, 2, 3, 4, 5}; !slices.Equal(positions, want) {
		t.Fatalf("positions %v, want %v", positions, want)
	}
	final := annsLinkIDs(t, app)
	if !slices.ContainsFunc(orders, func(o []string) bool { return slices.Equal(o, final) }) {
		t.Fatalf("stored order %v is none of those sent", final)
	}
}
