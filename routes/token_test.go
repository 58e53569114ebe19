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

	"linkbase/testutil"
)

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
					token := f.token(t, findUser(t, app, "ann"), findUser(t, app, "bob"))
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
