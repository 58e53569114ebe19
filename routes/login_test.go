package routes_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"linkbase/loginguard"
	"linkbase/schema"
	"linkbase/testutil"
)

const invalidCredentials = `{"data":{},"message":"Invalid login credentials.","status":401}`

func TestLogin(t *testing.T) {
	// longPassword is allowed (71 bytes, 36 characters); with anything
	// appended, bcrypt would compare only its 72-byte prefix.
	longPassword := strings.Repeat("é", 35) + "k"
	withLong := seeded(func(t testing.TB, app *tests.TestApp) {
		u := testutil.CreateUser(t, app, "long@example.com", "long", nil)
		u.SetPassword(longPassword)
		if err := app.Save(u); err != nil {
			t.Fatal(err)
		}
		testutil.CreateUser(t, app, "off@example.com", "off", map[string]any{schema.UserDisabled: true})
	})
	login := func(identity, password string) *strings.Reader {
		return body(`{"identity":"` + identity + `","password":"` + password + `"}`)
	}
	run(t, []tests.ApiScenario{
		{
			Name: "by email in another case", Method: http.MethodPost, URL: "/api/login",
			Body: login(" ANN@Example.com", testutil.Password), TestAppFactory: withAnn,
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"token":"`, `"username":"ann"`, `"email":"ann@example.com"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if s := cookieOf(res, "session"); s == nil || !s.HttpOnly || s.Value == "" {
					t.Errorf("want a session cookie, got %+v", s)
				}
				if c := cookieOf(res, "csrf_token"); c == nil || c.Value == "" {
					t.Errorf("want a csrf_token cookie, got %+v", c)
				}
			},
		},
		{
			Name: "by username in another case", Method: http.MethodPost, URL: "/api/login",
			Body: login("Ann", testutil.Password), TestAppFactory: withAnn,
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"username":"ann"`},
		},
		{
			Name: "wrong password", Method: http.MethodPost, URL: "/api/login",
			Body: login("ann", "not-the-password-1"), TestAppFactory: withAnn,
			ExpectedStatus: http.StatusUnauthorized, ExpectedContent: []string{invalidCredentials},
			AfterTestFunc: noCookies,
		},
		{
			Name: "unknown user gets the same answer", Method: http.MethodPost, URL: "/api/login",
			Body: login("nobody@example.com", "not-the-password-1"), TestAppFactory: withAnn,
			ExpectedStatus: http.StatusUnauthorized, ExpectedContent: []string{invalidCredentials},
			AfterTestFunc: noCookies,
		},
		{
			Name: "disabled user gets the same answer", Method: http.MethodPost, URL: "/api/login",
			Body: login("off", testutil.Password), TestAppFactory: withLong,
			ExpectedStatus: http.StatusUnauthorized, ExpectedContent: []string{invalidCredentials},
		},
		{
			Name: "71-byte password", Method: http.MethodPost, URL: "/api/login",
			Body: login("long", longPassword), TestAppFactory: withLong,
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"username":"long"`},
		},
		{
			Name: "stored password plus one character", Method: http.MethodPost, URL: "/api/login",
			Body: login("long", longPassword+"x"), TestAppFactory: withLong,
			ExpectedStatus: http.StatusUnauthorized, ExpectedContent: []string{invalidCredentials},
		},
		{
			Name: "stored password plus NUL", Method: http.MethodPost, URL: "/api/login",
			Body: login("long", longPassword+`\u0000`), TestAppFactory: withLong,
			ExpectedStatus: http.StatusUnauthorized, ExpectedContent: []string{invalidCredentials},
		},
		{
			Name: "stored password plus two characters", Method: http.MethodPost, URL: "/api/login",
			Body: login("long", longPassword+"xy"), TestAppFactory: withLong,
			ExpectedStatus: http.StatusUnauthorized, ExpectedContent: []string{invalidCredentials},
		},
		{
			Name: "sdk login with the stored password plus one character", Method: http.MethodPost,
			URL:  "/api/collections/users/auth-with-password",
			Body: login("long", longPassword+"x"), TestAppFactory: withLong,
			ExpectedStatus: http.StatusBadRequest, ExpectedContent: []string{`"message":"Failed to authenticate."`},
		},
		{
			Name: "sdk login by username in another case", Method: http.MethodPost,
			URL:  "/api/collections/users/auth-with-password",
			Body: login("ANN", testutil.Password), TestAppFactory: withAnn,
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"token":"`, `"username":"ann"`},
		},
		{
			Name: "sdk login of a disabled user answers like wrong credentials", Method: http.MethodPost,
			URL:  "/api/collections/users/auth-with-password",
			Body: login("off", testutil.Password), TestAppFactory: withLong,
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`{"data":{},"message":"Failed to authenticate.","status":400}`},
		},
		{
			Name: "missing fields", Method: http.MethodPost, URL: "/api/login",
			Body:           body(`{"identity":" "}`),
			ExpectedStatus: http.StatusBadRequest, ExpectedContent: []string{`"identity":{"code":"required"`, `"password":{"code":"required"`},
		},
		{
			Name: "wrong JSON types", Method: http.MethodPost, URL: "/api/login",
			Body:           body(`{"identity":["ann"],"password":12345678}`),
			ExpectedStatus: http.StatusBadRequest, ExpectedContent: []string{`"identity":{"code":"invalid_type"`, `"password":{"code":"invalid_type"`},
		},
		{
			Name: "cross-site login", Method: http.MethodPost, URL: "/api/login",
			Body: login("ann", testutil.Password), TestAppFactory: withAnn,
			Headers:        map[string]string{"Origin": "null"},
			ExpectedStatus: http.StatusForbidden, ExpectedContent: []string{`Cross-site`},
		},
		{
			Name: "the app URL's own origin", Method: http.MethodPost, URL: "/api/login",
			Body: login("ann", testutil.Password), TestAppFactory: withAnn,
			Headers: map[string]string{"Origin": "https://links.example.com"},
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				app.Settings().Meta.AppURL = "https://links.example.com/"
			},
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"username":"ann"`},
		},
	})
}

func noCookies(t testing.TB, _ *tests.TestApp, res *http.Response) {
	if len(res.Cookies()) != 0 {
		t.Errorf("want no cookies on a failed login, got %v", res.Cookies())
	}
}

// TestLoginBackOff: failed logins back off per account and address, the
// same way for unknown accounts, without locking out the real user
// elsewhere; the SDK's login shares the count.
func TestLoginBackOff(t *testing.T) {
	app := testutil.NewApp(t)
	testutil.RelaxRateLimits(t, app) // the per-IP limits are tested elsewhere
	testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	handler := testutil.Handler(t, app)
	login := func(path, identity, password, ip string) *httptest.ResponseRecorder {
		return testutil.Send(handler, http.MethodPost, path, `{"identity":"`+identity+`","password":"`+password+`"}`, map[string]string{"RemoteAddr": ip + ":5000"})
	}
	const attacker, owner = "203.0.113.9", "198.51.100.20"

	for i := range loginguard.MaxFailures - 1 {
		if rec := login("/api/login", "ann", "wrong-guess-"+strconv.Itoa(i), attacker); rec.Code != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d, want 401", i+1, rec.Code)
		}
	}
	// The tenth failure comes through the SDK's endpoint: one count for both.
	if rec := login("/api/collections/users/auth-with-password", "ANN@example.com", "wrong-guess-x", attacker); rec.Code != http.StatusBadRequest {
		t.Fatalf("SDK failure: %d, want 400", rec.Code)
	}
	for _, path := range []string{"/api/login", "/api/collections/users/auth-with-password"} {
		rec := login(path, "ann", testutil.Password, attacker)
		retry, _ := strconv.Atoi(rec.Header().Get("Retry-After"))
		if rec.Code != http.StatusTooManyRequests || retry < 1 || retry > int(loginguard.Window.Seconds()) {
			t.Fatalf("%s after %d failures: %d, Retry-After %q; want 429 within the window", path, loginguard.MaxFailures, rec.Code, rec.Header().Get("Retry-After"))
		}
	}
	if rec := login("/api/login", "ann", testutil.Password, owner); rec.Code != http.StatusOK {
		t.Fatalf("the owner from another address: %d, want 200", rec.Code)
	}

	// Unknown accounts back off the same way, so a 429 reveals nothing.
	for range loginguard.MaxFailures {
		login("/api/login", "nobody", "wrong-guess", attacker)
	}
	if rec := login("/api/login", "nobody", "wrong-guess", attacker); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("unknown account after %d failures: %d, want 429", loginguard.MaxFailures, rec.Code)
	}

	// A success clears the count.
	for range loginguard.MaxFailures - 1 {
		login("/api/login", "ann", "wrong-guess", owner)
	}
	if rec := login("/api/login", "ann", testutil.Password, owner); rec.Code != http.StatusOK {
		t.Fatalf("login after 9 failures: %d", rec.Code)
	}
	for range loginguard.MaxFailures - 1 {
		if rec := login("/api/login", "ann", "wrong-guess", owner); rec.Code != http.StatusUnauthorized {
			t.Fatalf("the count was not cleared by the success: %d", rec.Code)
		}
	}
}
