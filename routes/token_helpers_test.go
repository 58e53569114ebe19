package routes_test

import (
	"encoding/base64"
	"encoding/json"
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

// tokenCase is a request whose body needs a token of a seeded user ann.
type tokenCase struct {
	name    string
	token   func(t testing.TB, app *tests.TestApp, ann *core.Record) string
	body    string // %TOKEN% stands for the token
	status  int
	content []string
	events  map[string]int
	after   func(t testing.TB, app *tests.TestApp, ann *core.Record)
}

// run turns each case into an ApiScenario on a fresh app with ann.
func runTokenCases(t *testing.T, url string, cases []tokenCase) {
	for _, tc := range cases {
		var token string
		var ann *core.Record
		s := tests.ApiScenario{
			Name: tc.name, Method: http.MethodPost, URL: url,
			Body: &lazyBody{make: func() string { return strings.ReplaceAll(tc.body, "%TOKEN%", token) }},
			TestAppFactory: func(t testing.TB) *tests.TestApp {
				app := testutil.Factory(t)
				ann = testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
				if tc.token != nil {
					token = tc.token(t, app, ann)
				}
				return app
			},
			ExpectedStatus:  tc.status,
			ExpectedContent: tc.content,
			ExpectedEvents:  tc.events,
		}
		if tc.after != nil {
			s.AfterTestFunc = func(t testing.TB, app *tests.TestApp, res *http.Response) { tc.after(t, app, ann) }
		}
		s.Test(t)
	}
}

func resetToken(t testing.TB, app *tests.TestApp, ann *core.Record) string {
	token, err := ann.NewPasswordResetToken()
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// signed signs claims with ann's key for tokenType, as PocketBase does,
// valid for d (negative: already expired).
func signed(t testing.TB, ann *core.Record, secret string, claims jwt.MapClaims, d time.Duration) string {
	token, err := security.NewJWT(claims, ann.TokenKey()+secret, d)
	if err != nil {
		t.Fatal(err)
	}
	return token
}

func resetClaims(ann *core.Record) jwt.MapClaims {
	return jwt.MapClaims{
		core.TokenClaimType: core.TokenTypePasswordReset, core.TokenClaimId: ann.Id,
		core.TokenClaimCollectionId: ann.Collection().Id, core.TokenClaimEmail: ann.Email(),
	}
}

// tamper rewrites a claim of token's payload and keeps its signature.
func tamper(t testing.TB, token, claim string, value any) string {
	parts := strings.Split(token, ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	claims := map[string]any{}
	if err := json.Unmarshal(payload, &claims); err != nil {
		t.Fatal(err)
	}
	claims[claim] = value
	payload, _ = json.Marshal(claims)
	parts[1] = base64.RawURLEncoding.EncodeToString(payload)
	return strings.Join(parts, ".")
}

func reload(t testing.TB, app core.App, user *core.Record) *core.Record {
	t.Helper()
	fresh, err := app.FindRecordById(schema.Users, user.Id)
	if err != nil {
		t.Fatal(err)
	}
	return fresh
}

func passwordUnchanged(t testing.TB, app *tests.TestApp, ann *core.Record) {
	if !reload(t, app, ann).ValidatePassword(testutil.Password) {
		t.Fatal("the password changed")
	}
}
