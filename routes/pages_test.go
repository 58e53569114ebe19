package routes_test

import (
	"io/fs"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	pbpublic "linkbase/pb_public"
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

func TestWebPages(t *testing.T) {
	noCache := func(t testing.TB, app *tests.TestApp, res *http.Response) {
		if res.Header.Get("Cache-Control") != "no-store" || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			t.Errorf("headers %v", res.Header)
		}
		if !strings.Contains(res.Header.Get("Content-Security-Policy"), "script-src 'self'") {
			t.Errorf("no CSP: %v", res.Header)
		}
	}
	inline := []string{"<style", "<script>", " style=", " onclick=", " onload=", "javascript:"}
	scenarios := []tests.ApiScenario{
		{
			Name: "login page", Method: http.MethodGet, URL: "/login",
			ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{`<form id="login-form"`, `<label for="identity">Email or username</label>`,
				`autocomplete="current-password"`, `<script type="module" src="/assets/login.js">`, `href="/forgot-password"`},
			NotExpectedContent: inline, AfterTestFunc: noCache,
		},
		{
			Name: "forgot password page", Method: http.MethodGet, URL: "/forgot-password",
			ExpectedStatus:     http.StatusOK,
			ExpectedContent:    []string{`<form id="forgot-form"`, `type="email"`, `src="/assets/forgot-password.js"`},
			NotExpectedContent: inline, AfterTestFunc: noCache,
		},
		{
			Name: "dashboard shell needs no session to load", Method: http.MethodGet, URL: "/dashboard",
			ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{`src="/assets/dashboard.js"`, `id="referral-link"`, `id="copy-referral"`,
				`id="referral-chart"`, `id="referrals-table"`, `id="rewards-table"`, `id="profile-form"`, `id="link-form"`, `id="analytics-chart"`},
			NotExpectedContent: inline, AfterTestFunc: noCache,
		},
		{
			Name: "OAuth2 callback page", Method: http.MethodGet, URL: "/oauth2-callback?code=abc&state=xyz",
			ExpectedStatus:     http.StatusOK,
			ExpectedContent:    []string{`src="/assets/oauth2-callback.js"`, `role="status"`, `<meta name="referrer" content="no-referrer">`},
			NotExpectedContent: inline, AfterTestFunc: noCache,
		},
		{
			Name: "email change confirmation page", Method: http.MethodGet, URL: "/confirm-email-change?token=abc",
			ExpectedStatus:     http.StatusOK,
			ExpectedContent:    []string{`src="/assets/confirm-email-change.js"`, `autocomplete="current-password"`},
			NotExpectedContent: inline, AfterTestFunc: noCache,
		},
		{
			Name: "dashboard security section", Method: http.MethodGet, URL: "/dashboard",
			ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{`src="/assets/dash-security.js"`, `id="passkey-form"`, `id="email-change-form"`,
				`id="notify-referrals"`, `href="/api/me/export" download`, `id="delete-form"`},
			NotExpectedContent: inline, AfterTestFunc: noCache,
		},
		{
			Name: "a page's path with a trailing segment is not the page", Method: http.MethodGet, URL: "/login/x",
			ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"status":404`},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = testutil.Factory
		s.Test(t)
	}
}

// TestPageAssets checks that every script, stylesheet and module import
// the pages name exists in pb_public (main.go serves the folder; the
// browser tests in e2e/ load them under the real CSP).
func TestPageAssets(t *testing.T) {
	ref := regexp.MustCompile(`(?:src|href)="(/assets/[^"]+)"|from "(/[^"]+)"`)
	files := map[string]bool{}
	err := fs.WalkDir(pbpublic.FS(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(path, ".html") || strings.HasSuffix(path, ".js")) {
			return err
		}
		data, err := fs.ReadFile(pbpublic.FS(), path)
		for _, m := range ref.FindAllStringSubmatch(string(data), -1) {
			files[m[1]+m[2]] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 8 {
		t.Fatalf("found only %d referenced assets: %v", len(files), files)
	}
	for path := range files {
		if _, err := fs.Stat(pbpublic.FS(), strings.TrimPrefix(path, "/")); err != nil {
			t.Errorf("%s is referenced but missing: %v", path, err)
		}
	}
}
