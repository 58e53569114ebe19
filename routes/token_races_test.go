package routes_test

import (
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/schema"
	"linkbase/testutil"
)

// tokenRace sends requests at once, request i built by build(i), and
// counts the 204s and the 400s; any other answer fails the test.
func tokenRace(t *testing.T, h http.Handler, requests int, build func(i int) (url, body string)) (ok, refused int32) {
	t.Helper()
	var okN, refusedN atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range requests {
		url, body := build(i)
		wg.Go(func() {
			<-start
			switch rec := testutil.Send(h, http.MethodPost, url, body, nil); rec.Code {
			case http.StatusNoContent:
				okN.Add(1)
			case http.StatusBadRequest:
				refusedN.Add(1)
			default:
				t.Errorf("%s: status %d: %s", url, rec.Code, rec.Body)
			}
		})
	}
	close(start)
	wg.Wait()
	return okN.Load(), refusedN.Load()
}

// TestResetTokenWorksOnceOnEveryRoute: 20 concurrent resets with one
// token, half through our route and half through PocketBase's
// confirm-password-reset: exactly one succeeds (issue 12 saw 10–17).
func TestResetTokenWorksOnceOnEveryRoute(t *testing.T) {
	for _, mix := range []struct {
		name  string
		ourOf func(i int) bool
	}{
		{"PocketBase's route alone", func(int) bool { return false }},
		{"our route alone", func(int) bool { return true }},
		{"both routes at once", func(i int) bool { return i%2 == 0 }},
	} {
		t.Run(mix.name, func(t *testing.T) {
			app := testutil.Factory(t)
			t.Cleanup(app.Cleanup)
			ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
			token := resetToken(t, app, ann)
			testutil.RelaxRateLimits(t, app) // the per-IP limits are not what is tested
			h := serve(t, app)
			ok, refused := tokenRace(t, h, 20, func(i int) (string, string) {
				password := fmt.Sprintf("%s-%d", newPassword, i)
				if mix.ourOf(i) {
					return "/api/reset-password", `{"token":"` + token + `","password":"` + password + `"}`
				}
				return "/api/collections/users/confirm-password-reset",
					`{"token":"` + token + `","password":"` + password + `","passwordConfirm":"` + password + `"}`
			})
			if ok != 1 || refused != 19 {
				t.Fatalf("%d resets succeeded and %d were refused, want 1 and 19", ok, refused)
			}
			if reload(t, app, ann).ValidatePassword(testutil.Password) {
				t.Fatal("the old password still works")
			}
		})
	}
}

// TestVerificationTokenWorksOnceOnEveryRoute: 20 concurrent
// verifications with one token, through our route and PocketBase's
// confirm-verification: exactly one succeeds, with one false -> true
// transition (the event that completes a referral).
func TestVerificationTokenWorksOnceOnEveryRoute(t *testing.T) {
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
	testutil.RelaxRateLimits(t, app) // the per-IP limits are not what is tested
	h := serve(t, app)
	ok, refused := tokenRace(t, h, 20, func(i int) (string, string) {
		if i%2 == 0 {
			return "/api/verify-email", `{"token":"` + token + `"}`
		}
		return "/api/collections/users/confirm-verification", `{"token":"` + token + `"}`
	})
	if ok != 1 || refused != 19 || transitions.Load() != 1 {
		t.Fatalf("%d succeeded, %d refused, %d transitions; want 1, 19, 1", ok, refused, transitions.Load())
	}
}

// TestEmailChangeTokenWorksOnce: 20 concurrent confirmations of one
// email-change token through PocketBase's confirm-email-change: exactly
// one succeeds.
func TestEmailChangeTokenWorksOnce(t *testing.T) {
	app := testutil.Factory(t)
	t.Cleanup(app.Cleanup)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	token, err := ann.NewEmailChangeToken("ann.new@example.com")
	if err != nil {
		t.Fatal(err)
	}
	testutil.RelaxRateLimits(t, app) // the per-IP limits are not what is tested
	h := serve(t, app)
	ok, refused := tokenRace(t, h, 20, func(int) (string, string) {
		return "/api/collections/users/confirm-email-change", `{"token":"` + token + `","password":"` + testutil.Password + `"}`
	})
	if ok != 1 || refused != 19 {
		t.Fatalf("%d email changes succeeded and %d were refused, want 1 and 19", ok, refused)
	}
	if got := reload(t, app, ann).Email(); got != "ann.new@example.com" {
		t.Fatalf("email = %q", got)
	}
}

// TestUsedTokenIsRefusedOnTheOtherRoute: a token used on one route is
// refused on the other afterwards, and a failed attempt (a password the
// policy refuses) does not use it up.
func TestUsedTokenIsRefusedOnTheOtherRoute(t *testing.T) {
	app := testutil.Factory(t)
	t.Cleanup(app.Cleanup)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	token := resetToken(t, app, ann)
	testutil.RelaxRateLimits(t, app) // the per-IP limits are not what is tested
	h := serve(t, app)

	weak := testutil.Send(h, http.MethodPost, "/api/collections/users/confirm-password-reset",
		`{"token":"`+token+`","password":"password123","passwordConfirm":"password123"}`, nil)
	if weak.Code != http.StatusBadRequest {
		t.Fatalf("a common password: %d %s", weak.Code, weak.Body)
	}
	if rec := testutil.Send(h, http.MethodPost, "/api/reset-password", `{"token":"`+token+`","password":"`+newPassword+`"}`, nil); rec.Code != http.StatusNoContent {
		t.Fatalf("the token after a refused password: %d %s", rec.Code, rec.Body)
	}
	again := testutil.Send(h, http.MethodPost, "/api/collections/users/confirm-password-reset",
		`{"token":"`+token+`","password":"`+newPassword+`x","passwordConfirm":"`+newPassword+`x"}`, nil)
	if again.Code != http.StatusBadRequest {
		t.Fatalf("a used token on PocketBase's route: %d %s", again.Code, again.Body)
	}
}
