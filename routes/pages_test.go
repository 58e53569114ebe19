package routes_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"linkbase/testutil"
)

func TestAccountPages(t *testing.T) {
	t.Setenv("LINKBASE_PUBLIC_DIR", "../pb_public")
	noReferrer := func(t testing.TB, app *tests.TestApp, res *http.Response) {
		for name, want := range map[string]string{
			"Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
		} {
			if got := res.Header.Get(name); got != want {
				t.Errorf("%s = %q, want %q", name, got, want)
			}
		}
	}
	scenarios := []tests.ApiScenario{
		{
			Name:   "reset page with a token",
			Method: http.MethodGet, URL: "/reset-password?token=abc",
			ExpectedStatus:     http.StatusOK,
			ExpectedContent:    []string{`<form id="reset-form"`, `<script type="module" src="/reset-password.js">`, `autocomplete="new-password"`},
			NotExpectedContent: []string{"<style", "<script>", " style="},
			AfterTestFunc:      noReferrer,
		},
		{
			Name:   "verification page",
			Method: http.MethodGet, URL: "/verify-email?token=abc",
			ExpectedStatus:     http.StatusOK,
			ExpectedContent:    []string{`<script type="module" src="/verify-email.js">`, `role="status"`},
			NotExpectedContent: []string{"<style", "<script>", " style="},
			AfterTestFunc:      noReferrer,
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = testutil.Factory
		s.Test(t)
	}
}
