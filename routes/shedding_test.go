package routes_test

import (
	"net/http"
	"strconv"
	"sync"
	"testing"

	"linkbase/schema"
	"linkbase/stores"
	"linkbase/testutil"
)

// TestHashingPathsShedWhenTheQueueIsFull: while the hashing slots are
// taken and the queue would keep a request waiting past the bound, every
// path that hashes or compares a password, ours and PocketBase's, answers
// 503 with Retry-After at once instead of queueing (issue 12: 1,000
// concurrent logins queued for 30 s). Paths without a password go on.
// The bound is set to almost nothing, so one hash ahead is too many.
func TestHashingPathsShedWhenTheQueueIsFull(t *testing.T) {
	t.Setenv("LINKBASE_HASH_MAX_WAIT", "1ns")
	app := testutil.NewApp(t)
	testutil.RelaxRateLimits(t, app)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	annToken := testutil.Token(t, ann)
	admin := testutil.SuperuserToken(t, app)
	resetToken, _ := ann.NewPasswordResetToken()
	changeToken, _ := ann.NewEmailChangeToken("ann.new@example.com")
	h := testutil.Handler(t, app)

	// Take every slot: a request arriving now has a whole round of hashes
	// ahead of it.
	passwords := stores.Of(app).Passwords
	release := make(chan struct{})
	var holders sync.WaitGroup
	for range passwords.Slots().Size() {
		hashing, err := passwords.Admit(ann.Collection())
		if err != nil {
			t.Fatal(err)
		}
		holders.Go(func() { _ = hashing.Do(func() error { <-release; return nil }) })
	}

	const pw = "quiet-river-5512"
	for _, c := range []struct{ method, url, body, auth string }{
		{http.MethodPost, "/api/login", `{"identity":"ann","password":"` + testutil.Password + `"}`, ""},
		{http.MethodPost, "/api/register", `{"email":"bob@example.com","username":"bob","password":"` + pw + `"}`, ""},
		{http.MethodPost, "/api/reset-password", `{"token":"` + resetToken + `","password":"` + pw + `"}`, ""},
		{http.MethodPost, "/api/me/delete", `{"password":"` + testutil.Password + `"}`, annToken},
		{http.MethodPost, "/api/collections/users/auth-with-password", `{"identity":"ann","password":"` + testutil.Password + `"}`, ""},
		{http.MethodPost, "/api/collections/users/records", `{"email":"cleo@example.com","username":"cleo","password":"` + pw + `","passwordConfirm":"` + pw + `"}`, admin},
		{http.MethodPatch, "/api/collections/users/records/" + ann.Id, `{"oldPassword":"` + testutil.Password + `","password":"` + pw + `","passwordConfirm":"` + pw + `"}`, annToken},
		{http.MethodPost, "/api/collections/users/confirm-password-reset", `{"token":"` + resetToken + `","password":"` + pw + `","passwordConfirm":"` + pw + `"}`, ""},
		{http.MethodPost, "/api/collections/users/confirm-email-change", `{"token":"` + changeToken + `","password":"` + testutil.Password + `"}`, ""},
		{http.MethodPost, "/api/collections/users/request-otp", `{"email":"ann@example.com"}`, ""},
		{http.MethodPost, "/api/collections/users/auth-with-otp", `{"otpId":"x","password":"123456"}`, ""},
		{http.MethodPost, "/api/collections/users/auth-with-oauth2", `{"provider":"oidc","code":"x","codeVerifier":"x","redirectURL":"http://localhost/x"}`, ""},
	} {
		headers := map[string]string{}
		if c.auth != "" {
			headers["Authorization"] = c.auth
		}
		rec := testutil.Send(h, c.method, c.url, c.body, headers)
		retry, _ := strconv.Atoi(rec.Header().Get("Retry-After"))
		if rec.Code != http.StatusServiceUnavailable || retry < 1 {
			t.Errorf("%s %s: %d, Retry-After %q; want 503 with Retry-After: %s", c.method, c.url, rec.Code, rec.Header().Get("Retry-After"), rec.Body)
		}
	}

	// Nothing that hashes: not shed.
	link := `{"owner":"` + ann.Id + `","title":"Shop","url":"https://shop.example"}`
	if rec := testutil.Send(h, http.MethodPost, "/api/collections/"+schema.Links+"/records", link, map[string]string{"Authorization": annToken}); rec.Code != http.StatusOK {
		t.Errorf("a link without a password: %d %s", rec.Code, rec.Body)
	}
	if rec := testutil.Send(h, http.MethodPatch, "/api/collections/users/records/"+ann.Id, `{"bio":"hi"}`, map[string]string{"Authorization": annToken}); rec.Code != http.StatusOK {
		t.Errorf("a profile edit: %d %s", rec.Code, rec.Body)
	}

	close(release)
	holders.Wait()
	if rec := testutil.Send(h, http.MethodPost, "/api/login", `{"identity":"ann","password":"`+testutil.Password+`"}`, nil); rec.Code != http.StatusOK {
		t.Fatalf("after the queue drained: %d %s", rec.Code, rec.Body)
	}
}
