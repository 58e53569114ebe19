package routes_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"linkbase/schema"
	"linkbase/testutil"
)

// TestBlocksAndSocialsThroughTheCollectionAPI: what the SDK and the
// dashboard send, held to the blocks and socials rules, and what the
// public profile then shows.
func TestBlocksAndSocialsThroughTheCollectionAPI(t *testing.T) {
	linkCount := func(want int) func(testing.TB, *tests.TestApp, *http.Response) {
		return func(t testing.TB, app *tests.TestApp, _ *http.Response) {
			if n, _ := app.CountRecords(schema.Links); int(n) != want {
				t.Errorf("%d links stored, want %d", n, want)
			}
		}
	}
	createBlock := func(name, fields string, status int, content []string, after func(testing.TB, *tests.TestApp, *http.Response)) tests.ApiScenario {
		headers, as := authAs("ann", false)
		return tests.ApiScenario{
			Name: name, Method: http.MethodPost, URL: "/api/collections/links/records",
			Body: body(`{"owner":"` + annID + `",` + fields), TestAppFactory: withAnn, Headers: headers, BeforeTestFunc: as,
			ExpectedStatus: status, ExpectedContent: content, AfterTestFunc: after,
		}
	}
	patchSocials := func(name, socials string, status int, content []string) tests.ApiScenario {
		headers, as := authAs("ann", true)
		return tests.ApiScenario{
			Name: name, Method: http.MethodPatch, URL: "/api/collections/users/records/" + annID,
			Body: body(`{"socials":` + socials + `}`), TestAppFactory: withAnn, Headers: headers, BeforeTestFunc: as,
			ExpectedStatus: status, ExpectedContent: content,
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				got := testutil.FindUser(t, app, "ann").GetString(schema.UserSocials)
				if status != http.StatusOK && got != "null" && got != "" {
					t.Errorf("refused socials stored: %s", got)
				}
			},
		}
	}
	run(t, []tests.ApiScenario{
		createBlock("a section header", `"kind":"header","title":"Shop"}`, http.StatusOK,
			[]string{`"kind":"header"`, `"title":"Shop"`, `"url":""`, `"position":0`}, linkCount(1)),
		createBlock("a link sent without a kind", `"title":"Site","url":"https://ann.example"}`, http.StatusOK,
			[]string{`"kind":"link"`}, linkCount(1)),
		createBlock("a header with a url", `"kind":"header","title":"Shop","url":"https://ann.example"}`, http.StatusBadRequest,
			[]string{`"url":{"code":"header_url"`}, linkCount(0)),
		createBlock("an unknown kind", `"kind":"<img>","title":"Shop","url":"https://ann.example"}`, http.StatusBadRequest,
			[]string{`"kind":{"code":"kind_invalid"`}, linkCount(0)),
		createBlock("a link without a url", `"kind":"link","title":"Site"}`, http.StatusBadRequest,
			[]string{`"url":{"code":"url_invalid"`}, linkCount(0)),
		// PocketBase keeps the last value of a list sent to a single select.
		createBlock("a kind sent as a list", `"kind":["header","link"],"title":"Shop"}`, http.StatusBadRequest,
			[]string{`"url":{"code":"url_invalid"`}, linkCount(0)),
		patchSocials("socials are checked, normalised and shown to their owner",
			`[{"platform":"email","url":"ann@example.com"},{"platform":"x","url":"https://x.com/ann"}]`, http.StatusOK,
			[]string{`"socials":[{"platform":"email","url":"mailto:ann@example.com"},{"platform":"x","url":"https://x.com/ann"}]`}),
		patchSocials("every bad entry at once", `[{"platform":"x","url":"javascript:alert(1)"},{"platform":"myspace","url":"https://a.example"},{"platform":"email","url":"https://ann.example"}]`,
			http.StatusBadRequest, []string{`"socials":{"0":{"url":{"code":"social_url_scheme"`, `"1":{"platform":{"code":"platform_invalid"`, `"2":{"url":{"code":"social_email"`}),
		patchSocials("not a list", `"https://x.com/ann"`, http.StatusBadRequest, []string{`"socials":{"code":"socials_invalid"`}),
		patchSocials("too many", `[`+strings.Repeat(`{"platform":"x","url":"https://x.com/a"},`, 12)+`{"platform":"x","url":"https://x.com/a"}]`,
			http.StatusBadRequest, []string{`"socials":{"code":"too_many_socials"`}),
		patchSocials("a nul byte", `[{"platform":"x","url":"https://x.com/\u0000"}]`, http.StatusBadRequest, []string{`"socials":{"0":{"url":{"code":"url_invalid"`}),
		func() tests.ApiScenario {
			headers, as := authAs("bob", false)
			return tests.ApiScenario{
				Name: "another user cannot read ann's socials", Method: http.MethodGet, URL: "/api/collections/users/records/" + annID,
				TestAppFactory: seeded(func(t testing.TB, app *tests.TestApp) {
					testutil.CreateUser(t, app, "ann@example.com", "ann", map[string]any{"id": annID, schema.UserSocials: `[{"platform":"x","url":"https://x.com/ann"}]`})
					testutil.CreateUser(t, app, "bob@example.com", "bob", nil)
				}),
				Headers: headers, BeforeTestFunc: as,
				ExpectedStatus: http.StatusNotFound, NotExpectedContent: []string{"x.com"},
			}
		}(),
	})
}

func TestProfileShowsBlocksAndSocials(t *testing.T) {
	app := annWithLinks(t)
	defer app.Cleanup()
	ann := testutil.FindUser(t, app, "ann")
	testutil.SeedLink(t, app, ann, "Music", 0, map[string]any{schema.LinkKind: "header", schema.LinkURL: "", "id": testutil.LinkID("music")})
	ann.Set(schema.UserSocials, `[{"platform":"spotify","url":"https://open.spotify.com/artist/ann"}]`)
	if err := app.Save(ann); err != nil {
		t.Fatal(err)
	}
	h := testutil.Handler(t, app)
	profile := testutil.Send(h, "GET", "/api/profiles/ann", "", nil).Body.String()
	for _, want := range []string{
		`"socials":[{"platform":"spotify","url":"https://open.spotify.com/artist/ann"}]`,
		`{"id":"` + testutil.LinkID("music") + `","kind":"header","title":"Music","url":"","click_url":""}`,
		`"kind":"link","title":"first"`,
	} {
		if !strings.Contains(profile, want) {
			t.Errorf("profile lacks %s:\n%s", want, profile)
		}
	}
	page := testutil.Send(h, "GET", "/ann", "", nil).Body.String()
	for _, want := range []string{`<h2>Music</h2>`, `aria-label="Spotify"`, `href="https://open.spotify.com/artist/ann"`, `<svg class="icon"`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	// A header is no click target.
	if res := testutil.Send(h, "GET", "/l/"+testutil.LinkID("music"), "", nil); res.Code != http.StatusNotFound {
		t.Fatalf("following a header: %d", res.Code)
	}
}
