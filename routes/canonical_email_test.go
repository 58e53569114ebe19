package routes_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"linkbase/referral"
	"linkbase/schema"
	"linkbase/testutil"
)

// TestCanonicalEmails: an address with a trailing dot, capitals or a
// Unicode domain is the same address, on every path: sign-up, the
// self-referral and disposable checks, PocketBase's login and record API.
func TestCanonicalEmails(t *testing.T) {
	superuser := map[string]string{}
	asSuperuser := func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
		superuser["Authorization"] = testutil.SuperuserToken(t, app)
	}
	withFraud := seeded(func(t testing.TB, app *tests.TestApp) {
		testutil.CreateUser(t, app, "a@example.com", "ann", nil)
		testutil.CreateUser(t, app, "fraud.test@gmail.com", "fraud", map[string]any{schema.UserReferralCode: "k3x9q2mw"})
	})
	run(t, []tests.ApiScenario{
		{
			Name:   "the same address with a trailing dot is taken",
			Method: http.MethodPost, URL: "/api/register",
			Body:            body(`{"email":"a@example.com.","username":"ann2","password":"quiet-river-5512"}`),
			TestAppFactory:  withFraud,
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`"email":{"code":"email_taken"`},
			ExpectedEvents:  map[string]int{"OnRecordCreate": 0},
		},
		{
			Name:   "the same address in capitals with dots is taken",
			Method: http.MethodPost, URL: "/api/register",
			Body:            body(`{"email":"A@EXAMPLE.com..","username":"ann2","password":"quiet-river-5512"}`),
			TestAppFactory:  withFraud,
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`"email":{"code":"email_taken"`},
		},
		{
			Name:   "an address is stored in its canonical form",
			Method: http.MethodPost, URL: "/api/register",
			Body:            body(`{"email":"Bob@BÜCHER.de.","username":"bob","password":"quiet-river-5512"}`),
			ExpectedStatus:  http.StatusCreated,
			ExpectedContent: []string{`"email":"bob@xn--bcher-kva.de"`},
		},
		{
			Name:   "a trailing dot is still self-referral",
			Method: http.MethodPost, URL: "/api/register",
			Body:            body(`{"email":"fraud.test@gmail.com.","username":"fraud2","password":"quiet-river-5512","referral_code":"k3x9q2mw"}`),
			TestAppFactory:  withFraud,
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`"referral_code":{"code":"referral_self"`},
			ExpectedEvents:  map[string]int{"OnRecordCreate": 0},
		},
		{
			Name:   "a disposable domain with a trailing dot is held for review",
			Method: http.MethodPost, URL: "/api/register",
			Body:            body(`{"email":"x@mailinator.com.","username":"xavier","password":"quiet-river-5512","referral_code":"k3x9q2mw"}`),
			TestAppFactory:  withFraud,
			ExpectedStatus:  http.StatusCreated,
			ExpectedContent: []string{`"email":"x@mailinator.com"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				x := testutil.FindUser(t, app, "xavier")
				ref, err := app.FindFirstRecordByData(schema.Referrals, schema.ReferralReferredUser, x.Id)
				if err != nil || ref.GetString(schema.ReferralReviewReason) != referral.ReasonDisposable {
					t.Fatalf("referral review reason = %q (%v), want %q", ref.GetString(schema.ReferralReviewReason), err, referral.ReasonDisposable)
				}
			},
		},
		{
			Name:   "PocketBase's login finds the account by any form of its address",
			Method: http.MethodPost, URL: "/api/collections/users/auth-with-password",
			Body:            body(`{"identity":"A@Example.com.","password":"` + testutil.Password + `"}`),
			TestAppFactory:  withFraud,
			ExpectedStatus:  http.StatusOK,
			ExpectedContent: []string{`"token":"`},
		},
		{
			Name:   "the record API stores the canonical form (model hook)",
			Method: http.MethodPost, URL: "/api/collections/users/records",
			Body:    body(`{"email":"Cleo@Example.COM.","username":"cleo","password":"quiet-river-5512","passwordConfirm":"quiet-river-5512"}`),
			Headers: superuser, BeforeTestFunc: asSuperuser,
			ExpectedStatus:  http.StatusOK,
			ExpectedContent: []string{`"username":"cleo"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if got := testutil.FindUser(t, app, "cleo").Email(); got != "cleo@example.com" {
					t.Fatalf("stored email %q, want cleo@example.com", got)
				}
			},
		},
		{
			Name:   "the record API refuses the same address with a trailing dot",
			Method: http.MethodPost, URL: "/api/collections/users/records",
			Body:           body(`{"email":"a@example.com.","username":"ann2","password":"quiet-river-5512","passwordConfirm":"quiet-river-5512"}`),
			TestAppFactory: withFraud,
			Headers:        superuser, BeforeTestFunc: asSuperuser,
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`"email":{"code":"validation_not_unique"`},
		},
	})
}
