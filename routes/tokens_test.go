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

	"linkbase/accountstore"
	"linkbase/schema"
	"linkbase/testutil"
)

const newPassword = "copper-meadow-4821"

const invalidToken = `"token":{"code":"token_invalid","message":"Invalid or expired token."}`

func TestResetPassword(t *testing.T) {
	body := `{"token":"%TOKEN%","password":"` + newPassword + `"}`
	runTokenCases(t, "/api/reset-password", []tokenCase{
		{
			name:  "valid token sets the password, verifies the address and revokes earlier sessions",
			token: resetToken, body: body, status: http.StatusNoContent,
			events: map[string]int{"OnRecordUpdate": 1},
			after: func(t testing.TB, app *tests.TestApp, ann *core.Record) {
				fresh := reload(t, app, ann)
				if !fresh.ValidatePassword(newPassword) || fresh.ValidatePassword(testutil.Password) {
					t.Fatal("the password was not replaced")
				}
				if !fresh.Verified() {
					t.Fatal("a successful reset proves the mailbox and should verify it")
				}
				if fresh.TokenKey() == ann.TokenKey() {
					t.Fatal("the token key was not rotated")
				}
			},
		},
		{
			name: "expired token",
			token: func(t testing.TB, app *tests.TestApp, ann *core.Record) string {
				return signed(t, ann, ann.Collection().PasswordResetToken.Secret, resetClaims(ann), -time.Second)
			},
			body: body, status: http.StatusBadRequest, content: []string{invalidToken},
			events: map[string]int{"*": 0}, after: passwordUnchanged,
		},
		{
			name: "replayed token after its password change",
			token: func(t testing.TB, app *tests.TestApp, ann *core.Record) string {
				token := resetToken(t, app, ann)
				ann.SetPassword("first-reset-9931")
				if err := app.Save(ann); err != nil {
					t.Fatal(err)
				}
				return token
			},
			body: body, status: http.StatusBadRequest, content: []string{invalidToken},
			after: func(t testing.TB, app *tests.TestApp, ann *core.Record) {
				if !reload(t, app, ann).ValidatePassword("first-reset-9931") {
					t.Fatal("the replayed token changed the password")
				}
			},
		},
		{
			name:  "login token used as a reset token",
			token: func(t testing.TB, app *tests.TestApp, ann *core.Record) string { return testutil.Token(t, ann) },
			body:  body, status: http.StatusBadRequest, content: []string{invalidToken}, after: passwordUnchanged,
		},
		{
			name: "verification token used as a reset token",
			token: func(t testing.TB, app *tests.TestApp, ann *core.Record) string {
				token, _ := ann.NewVerificationToken()
				return token
			},
			body: body, status: http.StatusBadRequest, content: []string{invalidToken}, after: passwordUnchanged,
		},
		{
			name: "reset token signed with the auth secret and a reset type claim",
			token: func(t testing.TB, app *tests.TestApp, ann *core.Record) string {
				return signed(t, ann, ann.Collection().AuthToken.Secret, resetClaims(ann), time.Minute)
			},
			body: body, status: http.StatusBadRequest, content: []string{invalidToken}, after: passwordUnchanged,
		},
		{
			name: "tampered token with its expiry pushed back",
			token: func(t testing.TB, app *tests.TestApp, ann *core.Record) string {
				return tamper(t, resetToken(t, app, ann), "exp", time.Now().Add(time.Hour*24*365).Unix())
			},
			body: body, status: http.StatusBadRequest, content: []string{invalidToken}, after: passwordUnchanged,
		},
		{
			name: "token with alg none",
			token: func(t testing.TB, app *tests.TestApp, ann *core.Record) string {
				token, _ := jwt.NewWithClaims(jwt.SigningMethodNone, resetClaims(ann)).SignedString(jwt.UnsafeAllowNoneSignatureType)
				return token
			},
			body: body, status: http.StatusBadRequest, content: []string{invalidToken}, after: passwordUnchanged,
		},
		{
			name: "token of a deleted user",
			token: func(t testing.TB, app *tests.TestApp, ann *core.Record) string {
				token := resetToken(t, app, ann)
				if err := app.Delete(ann); err != nil {
					t.Fatal(err)
				}
				return token
			},
			body: body, status: http.StatusBadRequest, content: []string{invalidToken}, events: map[string]int{"*": 0},
		},
		{
			name: "token of a disabled user",
			token: func(t testing.TB, app *tests.TestApp, ann *core.Record) string {
				token := resetToken(t, app, ann)
				ann.Set(schema.UserDisabled, true)
				if err := app.Save(ann); err != nil {
					t.Fatal(err)
				}
				return token
			},
			body: body, status: http.StatusBadRequest, content: []string{invalidToken}, after: passwordUnchanged,
		},
		{
			name: "token of another address after an email change",
			token: func(t testing.TB, app *tests.TestApp, ann *core.Record) string {
				token := resetToken(t, app, ann)
				ann.SetEmail("ann.new@example.com")
				if err := app.Save(ann); err != nil {
					t.Fatal(err)
				}
				return token
			},
			body: body, status: http.StatusBadRequest, content: []string{invalidToken}, after: passwordUnchanged,
		},
		{
			name: "garbage token", body: `{"token":"not.a.jwt\u0000<script>","password":"` + newPassword + `"}`,
			status: http.StatusBadRequest, content: []string{invalidToken}, after: passwordUnchanged,
		},
		{
			name: "password too short", token: resetToken,
			body: `{"token":"%TOKEN%","password":"short"}`, status: http.StatusBadRequest,
			content: []string{`"password":{"code":"password_too_short"`}, events: map[string]int{"*": 0}, after: passwordUnchanged,
		},
		{
			name: "password containing the username", token: resetToken,
			body: `{"token":"%TOKEN%","password":"my-name-is-ann-77"}`, status: http.StatusBadRequest,
			content: []string{`"password":{"code":"password_contains_identity"`}, after: passwordUnchanged,
		},
		{
			name: "common password", token: resetToken,
			body: `{"token":"%TOKEN%","password":"password123"}`, status: http.StatusBadRequest,
			content: []string{`"password":{"code":"password_too_common"`}, after: passwordUnchanged,
		},
		{
			name: "password of 72 bytes", token: resetToken,
			body: `{"token":"%TOKEN%","password":"` + strings.Repeat("é", 36) + `"}`, status: http.StatusBadRequest,
			content: []string{`"password":{"code":"password_too_long"`}, after: passwordUnchanged,
		},
		{
			name: "bad token and bad password are reported together",
			body: `{"token":"nope","password":"short"}`, status: http.StatusBadRequest,
			content: []string{invalidToken, `"password":{"code":"password_too_short"`},
		},
		{
			name: "missing fields", body: `{}`, status: http.StatusBadRequest,
			content: []string{`"token":{"code":"required"`, `"password":{"code":"required"`},
		},
		{
			name: "fields of the wrong type", body: `{"token":1,"password":true}`, status: http.StatusBadRequest,
			content: []string{`"token":{"code":"invalid_type"`, `"password":{"code":"invalid_type"`},
		},
	})
}

func verificationToken(t testing.TB, app *tests.TestApp, ann *core.Record) string {
	token, err := ann.NewVerificationToken()
	if err != nil {
		t.Fatal(err)
	}
	return token
}

func verified(want bool) func(t testing.TB, app *tests.TestApp, ann *core.Record) {
	return func(t testing.TB, app *tests.TestApp, ann *core.Record) {
		if got := reload(t, app, ann).Verified(); got != want {
			t.Fatalf("verified = %v, want %v", got, want)
		}
	}
}

func TestVerifyEmail(t *testing.T) {
	body := `{"token":"%TOKEN%"}`
	runTokenCases(t, "/api/verify-email", []tokenCase{
		{
			name: "valid token verifies the address in one update", token: verificationToken, body: body,
			status: http.StatusNoContent, events: map[string]int{"OnRecordUpdate": 1}, after: verified(true),
		},
		{
			name: "already verified is a no-op",
			token: func(t testing.TB, app *tests.TestApp, ann *core.Record) string {
				ann.SetVerified(true)
				if err := app.Save(ann); err != nil {
					t.Fatal(err)
				}
				return verificationToken(t, app, ann)
			},
			body: body, status: http.StatusNoContent, events: map[string]int{"OnRecordUpdate": 0}, after: verified(true),
		},
		{
			name: "a used token",
			token: func(t testing.TB, app *tests.TestApp, ann *core.Record) string {
				token := verificationToken(t, app, ann)
				if err := accountstore.MarkVerified(app, ann.Id, token); err != nil {
					t.Fatal(err)
				}
				return token
			},
			body: body, status: http.StatusBadRequest, content: []string{invalidToken}, events: map[string]int{"OnRecordUpdate": 0},
		},
		{
			name: "expired token",
			token: func(t testing.TB, app *tests.TestApp, ann *core.Record) string {
				return signed(t, ann, ann.Collection().VerificationToken.Secret, jwt.MapClaims{
					core.TokenClaimType: core.TokenTypeVerification, core.TokenClaimId: ann.Id,
					core.TokenClaimCollectionId: ann.Collection().Id, core.TokenClaimEmail: ann.Email(),
				}, -time.Second)
			},
			body: body, status: http.StatusBadRequest, content: []string{invalidToken}, after: verified(false),
		},
		{
			name: "reset token used as a verification token", token: resetToken, body: body,
			status: http.StatusBadRequest, content: []string{invalidToken}, after: verified(false),
		},
		{
			name:  "login token used as a verification token",
			token: func(t testing.TB, app *tests.TestApp, ann *core.Record) string { return testutil.Token(t, ann) },
			body:  body, status: http.StatusBadRequest, content: []string{invalidToken}, after: verified(false),
		},
		{
			name: "tampered token",
			token: func(t testing.TB, app *tests.TestApp, ann *core.Record) string {
				return tamper(t, verificationToken(t, app, ann), core.TokenClaimEmail, "eve@example.com")
			},
			body: body, status: http.StatusBadRequest, content: []string{invalidToken}, after: verified(false),
		},
		{
			name: "missing token", body: `{}`, status: http.StatusBadRequest,
			content: []string{`"token":{"code":"required"`}, events: map[string]int{"*": 0},
		},
	})
}

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
