package routes_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"linkbase/testutil"
)

// TestRobotsTxt: /robots.txt is the pb_public file (robots.txt is a
// reserved username, so no profile can take its place), as plain text.
func TestRobotsTxt(t *testing.T) {
	s := tests.ApiScenario{
		Name: "robots.txt", Method: http.MethodGet, URL: "/robots.txt", TestAppFactory: testutil.Factory,
		ExpectedStatus:  http.StatusOK,
		ExpectedContent: []string{"User-agent: *", "Disallow: /api/", "Disallow: /l/", "Disallow: /dashboard"},
		AfterTestFunc: func(t testing.TB, _ *tests.TestApp, res *http.Response) {
			if ct := res.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
		},
	}
	s.Test(t)
}
