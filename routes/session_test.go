package routes_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"linkbase/schema"
	"linkbase/testutil"
)

func TestMe(t *testing.T) {
	byHeader, asAnn := authAs("ann", false)
	byCookie, asAnnCookie := authAs("ann", true)
	bearer := map[string]string{}
	deleted := map[string]string{}
	disabled := map[string]string{}
	run(t, []tests.ApiScenario{
		{
			Name: "by header", Method: http.MethodGet, URL: "/api/me",
			TestAppFactory: withAnn, Headers: byHeader, BeforeTestFunc: asAnn,
			ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{`"username":"ann"`, `"email":"ann@example.com"`, `"referral_code":"`,
				`"referral_link":"http://localhost:8090/register?referral=`, `"display_name":""`, `"avatar_url":""`, `"created":"20`},
			NotExpectedContent: []string{`"password`, `tokenKey`},
		},
		{
			Name: "by session cookie without a CSRF token (safe method)", Method: http.MethodGet, URL: "/api/me",
			TestAppFactory: withAnn, Headers: byCookie, BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				asAnnCookie(t, app, e)
				delete(byCookie, "X-CSRF-Token")
			},
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"username":"ann"`},
		},
		{
			Name: "with a Bearer prefix", Method: http.MethodGet, URL: "/api/me",
			TestAppFactory: withAnn, Headers: bearer, BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				bearer["Authorization"] = "Bearer " + testutil.Token(t, findUser(t, app, "ann"))
			},
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"username":"ann"`},
		},
		{
			Name: "without auth", Method: http.MethodGet, URL: "/api/me",
			ExpectedStatus: http.StatusUnauthorized, ExpectedContent: []string{`"status":401`},
		},
		{
			Name: "with a garbage cookie", Method: http.MethodGet, URL: "/api/me",
			Headers:        map[string]string{"Cookie": "session=abc.def.ghi"},
			ExpectedStatus: http.StatusUnauthorized, ExpectedContent: []string{`"status":401`},
		},
		{
			Name: "token of a deleted user", Method: http.MethodGet, URL: "/api/me",
			TestAppFactory: withAnn, Headers: deleted, BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				ann := findUser(t, app, "ann")
				deleted["Authorization"] = testutil.Token(t, ann)
				if err := app.Delete(ann); err != nil {
					t.Fatal(err)
				}
			},
			ExpectedStatus: http.StatusUnauthorized, ExpectedContent: []string{`"status":401`},
		},
		{
			Name: "token of a user disabled after login", Method: http.MethodGet, URL: "/api/me",
			TestAppFactory: withAnn, Headers: disabled, BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				ann := findUser(t, app, "ann")
				disabled["Authorization"] = testutil.Token(t, ann)
				ann.Set(schema.UserDisabled, true)
				if err := app.Save(ann); err != nil {
					t.Fatal(err)
				}
			},
			ExpectedStatus: http.StatusUnauthorized, ExpectedContent: []string{`"status":401`},
		},
	})
}

func TestLogout(t *testing.T) {
	byHeader, asAnn := authAs("ann", false)
	byCookie, asAnnCookie := authAs("ann", true)
	noCSRF, asAnnNoCSRF := authAs("ann", true)
	noCSRF["X-CSRF-Token"] = "wrong"
	run(t, []tests.ApiScenario{
		{
			Name: "clears both cookies", Method: http.MethodPost, URL: "/api/logout",
			TestAppFactory: withAnn, Headers: byCookie, BeforeTestFunc: asAnnCookie,
			ExpectedStatus: http.StatusNoContent,
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				for _, name := range []string{"session", "csrf_token"} {
					if c := cookieOf(res, name); c == nil || c.Value != "" || c.MaxAge >= 0 {
						t.Errorf("cookie %s not cleared: %+v", name, c)
					}
				}
			},
		},
		{
			Name: "without a session still clears the cookies", Method: http.MethodPost, URL: "/api/logout",
			ExpectedStatus: http.StatusNoContent,
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if cookieOf(res, "session") == nil {
					t.Error("want the session cookie cleared")
				}
			},
		},
		{
			Name: "cookie session with a wrong CSRF token", Method: http.MethodPost, URL: "/api/logout",
			TestAppFactory: withAnn, Headers: noCSRF, BeforeTestFunc: asAnnNoCSRF,
			ExpectedStatus: http.StatusForbidden, ExpectedContent: []string{`CSRF`},
		},
		{
			Name: "everywhere revokes older tokens", Method: http.MethodPost, URL: "/api/logout",
			Body: body(`{"everywhere":true}`), TestAppFactory: withAnn, Headers: byHeader, BeforeTestFunc: asAnn,
			ExpectedStatus: http.StatusNoContent,
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if _, err := app.FindAuthRecordByToken(byHeader["Authorization"], core.TokenTypeAuth); err == nil {
					t.Error("the token from before logout-everywhere still works")
				}
			},
		},
		{
			Name: "everywhere without a session", Method: http.MethodPost, URL: "/api/logout",
			Body:           body(`{"everywhere":true}`),
			ExpectedStatus: http.StatusUnauthorized, ExpectedContent: []string{`"status":401`},
		},
		{
			Name: "everywhere of the wrong type", Method: http.MethodPost, URL: "/api/logout",
			Body:           body(`{"everywhere":"yes"}`),
			ExpectedStatus: http.StatusBadRequest, ExpectedContent: []string{`"everywhere":{"code":"invalid_type","message":"Must be a boolean."}`},
		},
	})
}

// TestCSRF sends a cookie-authenticated profile update through
// PocketBase's collection API: the session middleware applies to it too.
func TestCSRF(t *testing.T) {
	for _, c := range []struct {
		name    string
		status  int
		headers map[string]string
	}{
		{"cookie with the CSRF token", http.StatusOK, nil},
		{"cookie without the CSRF header", http.StatusForbidden, map[string]string{"X-CSRF-Token": ""}},
		{"cookie with a CSRF header that does not match", http.StatusForbidden, map[string]string{"X-CSRF-Token": "other"}},
		{"cookie with a foreign Origin", http.StatusForbidden, map[string]string{"Origin": "https://evil.example"}},
		{"cookie with Sec-Fetch-Site cross-site", http.StatusForbidden, map[string]string{"Sec-Fetch-Site": "cross-site"}},
		{"cookie from the request's own origin", http.StatusOK, map[string]string{"Origin": "http://example.com", "Sec-Fetch-Site": "same-origin"}},
	} {
		headers, as := authAs("ann", true)
		for k, v := range c.headers {
			headers[k] = v
		}
		want := `"status":403`
		if c.status == http.StatusOK {
			want = `"display_name":"Ann"`
		}
		s := tests.ApiScenario{
			Name: c.name, Method: http.MethodPatch, URL: "/api/collections/users/records/" + annID,
			Body: body(`{"display_name":"Ann"}`), TestAppFactory: withAnn, Headers: headers, BeforeTestFunc: as,
			ExpectedStatus: c.status, ExpectedContent: []string{want},
		}
		s.Test(t)
	}
}

func TestAllowedOriginsFromEnv(t *testing.T) {
	t.Setenv("LINKBASE_ALLOWED_ORIGINS", "https://app.example.org, https://other.example/")
	headers, as := authAs("ann", true)
	headers["Origin"] = "https://other.example"
	(&tests.ApiScenario{
		Name: "configured origin", Method: http.MethodPatch, URL: "/api/collections/users/records/" + annID,
		Body: body(`{"display_name":"Ann"}`), TestAppFactory: withAnn, Headers: headers, BeforeTestFunc: as,
		ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"display_name":"Ann"`},
	}).Test(t)
}
