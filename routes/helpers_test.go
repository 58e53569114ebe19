package routes_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"linkbase/csrf"
	"linkbase/schema"
	"linkbase/testutil"
)

// seeded returns a TestAppFactory whose app holds the users made by seed.
func seeded(seed func(t testing.TB, app *tests.TestApp)) func(t testing.TB) *tests.TestApp {
	return func(t testing.TB) *tests.TestApp {
		app := testutil.Factory(t)
		seed(t, app)
		return app
	}
}

// annID is the fixed id of the user "ann" of withAnn.
const annID = "ann000000000001"

// withAnn is an app with the user ann@example.com / ann.
var withAnn = seeded(func(t testing.TB, app *tests.TestApp) {
	testutil.CreateUser(t, app, "ann@example.com", "ann", map[string]any{"id": annID})
})

// findUser loads a user by username, failing the test if there is none.
func findUser(t testing.TB, app core.App, username string) *core.Record {
	t.Helper()
	user, err := app.FindFirstRecordByData(schema.Users, schema.UserUsername, username)
	if err != nil {
		t.Fatalf("user %s: %v", username, err)
	}
	return user
}

// cookieOf returns the Set-Cookie of name in res, or nil.
func cookieOf(res *http.Response, name string) *http.Cookie {
	for _, c := range res.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// sessionHeaders authenticates a scenario by cookie, with the CSRF token
// the server issues for that session.
func sessionHeaders(t testing.TB, app core.App, token string) map[string]string {
	t.Helper()
	csrfToken, err := csrf.TokenFor(app, token)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"Cookie":       "session=" + token + "; csrf_token=" + csrfToken,
		"X-CSRF-Token": csrfToken,
	}
}

func body(s string) *strings.Reader { return strings.NewReader(s) }

func run(t *testing.T, scenarios []tests.ApiScenario) {
	t.Helper()
	for _, s := range scenarios {
		if s.TestAppFactory == nil {
			s.TestAppFactory = testutil.Factory
		}
		s.Test(t)
	}
}

// authAs returns scenario headers and a BeforeTestFunc that fills them, once
// the scenario's app exists, with a token of username: in the Authorization
// header, or (cookie) in the session cookie with a matching CSRF token.
func authAs(username string, cookie bool) (map[string]string, func(testing.TB, *tests.TestApp, *core.ServeEvent)) {
	headers := map[string]string{}
	return headers, func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
		token := testutil.Token(t, findUser(t, app, username))
		if cookie {
			for k, v := range sessionHeaders(t, app, token) {
				if _, set := headers[k]; !set {
					headers[k] = v
				}
			}
			return
		}
		headers["Authorization"] = token
	}
}
