package routes_test

import (
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"linkbase/schema"
	"linkbase/testutil"
)

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

// TestVerifyEmailConcurrently checks that many requests with one token make
// exactly one false -> true transition, the event the referral system
// turns a referral successful on.
func TestVerifyEmailConcurrently(t *testing.T) {
	app := testutil.Factory(t)
	t.Cleanup(app.Cleanup)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	token := verificationToken(t, app, ann)

	var transitions atomic.Int32
	app.OnRecordUpdate(schema.Users).BindFunc(func(e *core.RecordEvent) error {
		was := e.Record.Original().Verified()
		if err := e.Next(); err != nil {
			return err
		}
		if !was && e.Record.Verified() {
			transitions.Add(1)
		}
		return nil
	})

	h := serve(t, app)
	const requests = 20
	var ok atomic.Int32
	var wg sync.WaitGroup
	for range requests {
		wg.Go(func() {
			if rec := do(h, http.MethodPost, "/api/verify-email", `{"token":"`+token+`"}`); rec.Code == http.StatusNoContent {
				ok.Add(1)
			} else {
				t.Errorf("status %d: %s", rec.Code, rec.Body)
			}
		})
	}
	wg.Wait()
	if ok.Load() != requests || transitions.Load() != 1 {
		t.Fatalf("%d of %d requests succeeded with %d transitions, want all with exactly 1", ok.Load(), requests, transitions.Load())
	}
}

// TestResetPasswordConcurrently checks that one reset token works exactly
// once, however many requests race with it.
func TestResetPasswordConcurrently(t *testing.T) {
	app := testutil.Factory(t)
	t.Cleanup(app.Cleanup)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	token := resetToken(t, app, ann)
	h := serve(t, app)

	const requests = 8
	var ok, refused atomic.Int32
	var wg sync.WaitGroup
	for i := range requests {
		wg.Go(func() {
			password := newPassword + string(rune('a'+i))
			switch rec := do(h, http.MethodPost, "/api/reset-password", `{"token":"`+token+`","password":"`+password+`"}`); rec.Code {
			case http.StatusNoContent:
				ok.Add(1)
			case http.StatusBadRequest:
				refused.Add(1)
			default:
				t.Errorf("status %d: %s", rec.Code, rec.Body)
			}
		})
	}
	wg.Wait()
	if ok.Load() != 1 || refused.Load() != requests-1 {
		t.Fatalf("%d resets succeeded and %d were refused, want 1 and %d", ok.Load(), refused.Load(), requests-1)
	}
}
