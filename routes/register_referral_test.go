package routes_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"linkbase/referral"
	"linkbase/refstore"
	"linkbase/schema"
	"linkbase/testutil"
)

// annsCode is the code every scenario below gives ann, so bodies can name it.
const annsCode = "k3x9q2mw"

func withReferrerAnn(fields map[string]any, after func(testing.TB, *tests.TestApp, *core.Record)) func(testing.TB) *tests.TestApp {
	return func(t testing.TB) *tests.TestApp {
		app := testutil.Factory(t)
		all := map[string]any{schema.UserReferralCode: annsCode}
		for k, v := range fields {
			all[k] = v
		}
		ann := testutil.CreateUser(t, app, "a.nn@gmail.com", "ann", all)
		if after != nil {
			after(t, app, ann)
		}
		return app
	}
}

func registerBody(email, code string) *strings.Reader {
	return strings.NewReader(`{"email":"` + email + `","username":"newbie","password":"quiet-river-5512","referral_code":"` + code + `"}`)
}

func TestRegisterWithReferralCode(t *testing.T) {
	scenarios := []tests.ApiScenario{
		{
			Name:   "valid code in another letter case",
			Method: http.MethodPost, URL: "/api/register", Body: registerBody("bob@example.com", " K3X9Q2MW "),
			TestAppFactory: withReferrerAnn(nil, nil),
			ExpectedStatus: http.StatusCreated, ExpectedContent: []string{`"username":"newbie"`, `"credits":0`},
			ExpectedEvents: map[string]int{"OnRecordCreate": 2}, // the user and the pending referral
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				bob, err := app.FindAuthRecordByEmail(schema.Users, "bob@example.com")
				if err != nil {
					t.Fatal(err)
				}
				ref, err := app.FindFirstRecordByData(schema.Referrals, schema.ReferralReferredUser, bob.Id)
				if err != nil || ref.GetString(schema.ReferralStatus) != schema.StatusPending || ref.GetString(schema.ReferralCodeUsed) != annsCode {
					t.Errorf("pending referral: %v %v", ref, err)
				}
				if bob.GetString(schema.UserReferredBy) != ref.GetString(schema.ReferralReferrer) || bob.GetString(schema.UserSignupIPHash) == "" {
					t.Errorf("referred_by %q, signup_ip_hash %q", bob.GetString(schema.UserReferredBy), bob.GetString(schema.UserSignupIPHash))
				}
			},
		},
		{
			Name:   "unknown code",
			Method: http.MethodPost, URL: "/api/register", Body: registerBody("bob@example.com", "zzzzzzzz"),
			TestAppFactory:  withReferrerAnn(nil, nil),
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`"referral_code":{"code":"referral_invalid","message":"Invalid referral code."}`},
			ExpectedEvents:  map[string]int{"*": 0},
		},
		{
			Name:   "code of a malformed shape",
			Method: http.MethodPost, URL: "/api/register", Body: registerBody("bob@example.com", "<script>' OR 1=1 --"),
			TestAppFactory:  withReferrerAnn(nil, nil),
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`"code":"referral_invalid"`},
		},
		{
			Name:   "code of a disabled user",
			Method: http.MethodPost, URL: "/api/register", Body: registerBody("bob@example.com", annsCode),
			TestAppFactory:  withReferrerAnn(map[string]any{schema.UserDisabled: true}, nil),
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`"referral_code":{"code":"referral_expired","message":"Referral code has expired."}`},
		},
		{
			Name:   "code that was regenerated",
			Method: http.MethodPost, URL: "/api/register", Body: registerBody("bob@example.com", annsCode),
			TestAppFactory: withReferrerAnn(nil, func(t testing.TB, app *tests.TestApp, ann *core.Record) {
				ann.Set(schema.UserReferralCode, "zzzz2222")
				if err := app.Save(ann); err != nil {
					t.Fatal(err)
				}
			}),
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`"code":"referral_expired"`},
		},
		{
			Name:   "referral code of a deleted user",
			Method: http.MethodPost, URL: "/api/register", Body: registerBody("bob@example.com", annsCode),
			TestAppFactory: withReferrerAnn(nil, func(t testing.TB, app *tests.TestApp, ann *core.Record) {
				if err := app.Delete(ann); err != nil {
					t.Fatal(err)
				}
			}),
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`"code":"referral_expired"`},
		},
		{
			Name:   "own mailbox with a plus tag and gmail dots",
			Method: http.MethodPost, URL: "/api/register", Body: registerBody("ANN+promo@googlemail.com", annsCode),
			TestAppFactory:  withReferrerAnn(nil, nil),
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`"referral_code":{"code":"referral_self","message":"You cannot refer yourself."}`},
			ExpectedEvents:  map[string]int{"*": 0},
		},
		{
			Name:   "wrongly typed code",
			Method: http.MethodPost, URL: "/api/register",
			Body:            strings.NewReader(`{"email":"bob@example.com","username":"newbie","password":"quiet-river-5512","referral_code":123}`),
			TestAppFactory:  withReferrerAnn(nil, nil),
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`"referral_code":{"code":"invalid_type"`},
		},
	}
	for _, s := range scenarios {
		s.Test(t)
	}
}

func TestRegenerateCode(t *testing.T) {
	auth, cookieAuth := map[string]string{}, map[string]string{}
	scenarios := []tests.ApiScenario{
		{
			Name: "not logged in", Method: http.MethodPost, URL: "/api/referral-code/regenerate",
			TestAppFactory: testutil.Factory, ExpectedStatus: http.StatusUnauthorized, ExpectedContent: []string{`"data":{}`},
		},
		{
			Name: "new code, old one expired", Method: http.MethodPost, URL: "/api/referral-code/regenerate", Headers: auth,
			TestAppFactory: withReferrerAnn(nil, func(t testing.TB, app *tests.TestApp, ann *core.Record) {
				auth["Authorization"] = testutil.Token(t, ann)
			}),
			ExpectedStatus:     http.StatusOK,
			ExpectedContent:    []string{`"username":"ann"`, `"referral_code":"`, `"referral_link":"http://localhost:8090/register?referral=`},
			NotExpectedContent: []string{annsCode},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				// (the register scenarios show how an expired code answers)
				if _, err := refstore.FindReferrerByCode(app, annsCode); !errors.Is(err, referral.ErrCodeExpired) {
					t.Errorf("old code after regeneration: %v, want ErrCodeExpired", err)
				}
			},
		},
		{
			Name: "cookie auth without csrf token", Method: http.MethodPost, URL: "/api/referral-code/regenerate",
			Headers: cookieAuth,
			TestAppFactory: withReferrerAnn(nil, func(t testing.TB, app *tests.TestApp, ann *core.Record) {
				cookieAuth["Cookie"] = "session=" + testutil.Token(t, ann)
			}),
			ExpectedStatus: http.StatusForbidden, ExpectedContent: []string{`"status":403`},
		},
	}
	for _, s := range scenarios {
		s.Test(t)
	}
}
