package routes_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

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
