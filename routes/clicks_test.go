package routes_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
)

func TestClick(t *testing.T) {
	scenarios := []tests.ApiScenario{
		{
			Name:   "shown link redirects to its url",
			Method: http.MethodGet, URL: "/l/" + linkID("first"),
			ExpectedStatus: http.StatusFound,
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if loc := res.Header.Get("Location"); loc != "https://example.com/first" {
					t.Errorf("Location = %q", loc)
				}
				if res.Header.Get("Cache-Control") != "no-store" {
					t.Errorf("Cache-Control = %q", res.Header.Get("Cache-Control"))
				}
			},
		},
		{Name: "disabled link", Method: http.MethodGet, URL: "/l/" + linkID("disabled"), ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"status":404`}},
		{Name: "link before its start", Method: http.MethodGet, URL: "/l/" + linkID("upcoming"), ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"status":404`}},
		{Name: "link after its end", Method: http.MethodGet, URL: "/l/" + linkID("ended"), ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"status":404`}},
		{Name: "unknown link", Method: http.MethodGet, URL: "/l/nosuchlink0000", ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"status":404`}},
		{Name: "link id with sql metacharacters", Method: http.MethodGet, URL: "/l/x'%20OR%201=1--", ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"status":404`}},
	}
	for _, s := range scenarios {
		s.TestAppFactory = annWithLinks
		s.Test(t)
	}
}

// sumInt reads one integer with a bound query.
func sumInt(t testing.TB, app core.App, query string, params dbx.Params) int {
	t.Helper()
	var n int
	if err := app.DB().NewQuery(query).Bind(params).Row(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
