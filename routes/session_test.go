package routes_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/security"

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
				bearer["Authorization"] = "Bearer " + testutil.Token(t, testutil.FindUser(t, app, "ann"))
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
				ann := testutil.FindUser(t, app, "ann")
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
				ann := testutil.FindUser(t, app, "ann")
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

func TestCORS(t *testing.T) {
	t.Setenv("LINKBASE_ALLOWED_ORIGINS", "https://app.example.org")
	handler := testutil.Handler(t, testutil.NewApp(t))
	for _, c := range []struct {
		name, method, origin, wantOrigin, wantCredentials string
	}{
		{"configured origin, preflight", http.MethodOptions, "https://app.example.org", "https://app.example.org", "true"},
		{"configured origin, request", http.MethodGet, "https://app.example.org", "https://app.example.org", "true"},
		{"other origin, preflight", http.MethodOptions, "https://evil.example", "*", ""},
		{"other origin, request", http.MethodGet, "https://evil.example", "*", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			headers := map[string]string{"Origin": c.origin}
			if c.method == http.MethodOptions {
				headers["Access-Control-Request-Method"] = http.MethodPost
			}
			h := testutil.Send(handler, c.method, "/api/health", "", headers).Header()
			if h.Get("Access-Control-Allow-Origin") != c.wantOrigin || h.Get("Access-Control-Allow-Credentials") != c.wantCredentials {
				t.Fatalf("Allow-Origin %q, Allow-Credentials %q; want %q, %q",
					h.Get("Access-Control-Allow-Origin"), h.Get("Access-Control-Allow-Credentials"), c.wantOrigin, c.wantCredentials)
			}
		})
	}
}

// TestRefusedTokens: every token that is not a live HS256 auth token of its
// own user, signed with that user's key, is refused by header and by cookie.
func TestRefusedTokens(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	claimsOf := func(u *core.Record) jwt.MapClaims {
		return jwt.MapClaims{"id": u.Id, "type": "auth", "collectionId": u.Collection().Id, "refreshable": true,
			"exp": time.Now().Add(time.Hour).Unix()}
	}
	keyOf := func(u *core.Record) string { return u.TokenKey() + u.Collection().AuthToken.Secret }
	sign := func(t testing.TB, claims jwt.MapClaims, key string) string {
		token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(key))
		if err != nil {
			t.Fatal(err)
		}
		return token
	}
	forge := []struct {
		name  string
		token func(t testing.TB, ann, bob *core.Record) string
	}{
		{"alg none", func(t testing.TB, ann, _ *core.Record) string {
			token, err := jwt.NewWithClaims(jwt.SigningMethodNone, claimsOf(ann)).SignedString(jwt.UnsafeAllowNoneSignatureType)
			if err != nil {
				t.Fatal(err)
			}
			return token
		}},
		{"RS256 instead of HS256", func(t testing.TB, ann, _ *core.Record) string {
			token, err := jwt.NewWithClaims(jwt.SigningMethodRS256, claimsOf(ann)).SignedString(rsaKey)
			if err != nil {
				t.Fatal(err)
			}
			return token
		}},
		{"expired", func(t testing.TB, ann, _ *core.Record) string {
			claims := claimsOf(ann)
			claims["exp"] = time.Now().Add(-time.Minute).Unix()
			return sign(t, claims, keyOf(ann))
		}},
		{"without exp", func(t testing.TB, ann, _ *core.Record) string {
			claims := claimsOf(ann)
			delete(claims, "exp")
			return sign(t, claims, keyOf(ann))
		}},
		{"signed with another user's key", func(t testing.TB, ann, bob *core.Record) string {
			return sign(t, claimsOf(ann), keyOf(bob))
		}},
		{"tampered payload", func(t testing.TB, ann, bob *core.Record) string {
			parts := strings.Split(testutil.Token(t, bob), ".")
			payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
			parts[1] = base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(payload), bob.Id, ann.Id, 1)))
			return strings.Join(parts, ".")
		}},
		{"verification token", func(t testing.TB, ann, _ *core.Record) string {
			token, _ := ann.NewVerificationToken()
			return token
		}},
		{"password reset token", func(t testing.TB, ann, _ *core.Record) string {
			token, _ := ann.NewPasswordResetToken()
			return token
		}},
		{"file token", func(t testing.TB, ann, _ *core.Record) string {
			token, _ := ann.NewFileToken()
			return token
		}},
		{"a well-formed token of another kind of key", func(t testing.TB, ann, _ *core.Record) string {
			token, _ := security.NewJWT(claimsOf(ann), "not-the-key", time.Hour)
			return token
		}},
	}
	withAnnAndBob := seeded(func(t testing.TB, app *tests.TestApp) {
		testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
		testutil.CreateUser(t, app, "bob@example.com", "bob", nil)
	})
	for _, f := range forge {
		for _, via := range []string{"header", "cookie"} {
			headers := map[string]string{}
			(&tests.ApiScenario{
				Name: f.name + " by " + via, Method: http.MethodGet, URL: "/api/me",
				TestAppFactory: withAnnAndBob, Headers: headers,
				BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
					token := f.token(t, testutil.FindUser(t, app, "ann"), testutil.FindUser(t, app, "bob"))
					if via == "header" {
						headers["Authorization"] = token
					} else {
						headers["Cookie"] = "session=" + token
					}
				},
				ExpectedStatus: http.StatusUnauthorized, ExpectedContent: []string{`"status":401`},
			}).Test(t)
		}
	}
}
