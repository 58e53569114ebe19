package routes_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"linkbase/referral"
	"linkbase/refstore"
	"linkbase/schema"
	"linkbase/testutil"
)

func TestRegister(t *testing.T) {
	withOff := seeded(func(t testing.TB, app *tests.TestApp) {
		testutil.CreateUser(t, app, "ann.lee@gmail.com", "ann", map[string]any{schema.UserReferralCode: "k3x9q2mw"})
		testutil.CreateUser(t, app, "off@example.com", "off", map[string]any{schema.UserReferralCode: "qqqqqqqq", schema.UserDisabled: true})
	})
	run(t, []tests.ApiScenario{
		{
			Name:   "success",
			Method: http.MethodPost, URL: "/api/register",
			Body:           body(`{"email":" Bob@Example.com ","username":"Bob","password":"quiet-river-5512"}`),
			ExpectedStatus: http.StatusCreated,
			ExpectedContent: []string{
				`"token":"`, `"email":"bob@example.com"`, `"username":"bob"`, `"credits":0`,
				`"verified":false`, `"referral_link":"http://localhost:8090/register?referral=`,
			},
			ExpectedEvents: map[string]int{"OnRecordCreate": 1, "OnModelCreate": 1},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				session := cookieOf(res, "session")
				if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode ||
					session.Path != "/" || session.MaxAge <= 0 || session.Secure {
					t.Errorf("session cookie attributes: %+v", session)
				}
				csrf := cookieOf(res, "csrf_token")
				if csrf == nil || csrf.HttpOnly || len(csrf.Value) < 32 || csrf.SameSite != http.SameSiteLaxMode {
					t.Errorf("csrf cookie attributes: %+v", csrf)
				}
			},
		},
		{
			Name:   "unknown body fields are ignored",
			Method: http.MethodPost, URL: "/api/register",
			Body:           body(`{"email":"bob@example.com","username":"bob","password":"quiet-river-5512","credits":999,"verified":true,"referral_code":"","referred_by":"x","disabled":false,"tokenKey":"k","role":"admin"}`),
			ExpectedStatus: http.StatusCreated, ExpectedContent: []string{`"credits":0`, `"verified":false`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				bob := testutil.FindUser(t, app, "bob")
				if bob.GetInt(schema.UserCredits) != 0 || bob.Verified() || bob.GetString(schema.UserReferredBy) != "" || bob.TokenKey() == "k" {
					t.Errorf("a client-supplied field was stored: %v", bob.PublicExport())
				}
			},
		},
		{
			Name:   "secure cookie when the app URL is https",
			Method: http.MethodPost, URL: "/api/register",
			Body: body(`{"email":"bob@example.com","username":"bob","password":"quiet-river-5512"}`),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				app.Settings().Meta.AppURL = "https://links.example.com"
			},
			ExpectedStatus: http.StatusCreated, ExpectedContent: []string{`"referral_link":"https://links.example.com/register?referral=`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if s := cookieOf(res, "session"); s == nil || !s.Secure {
					t.Errorf("want a Secure session cookie, got %+v", s)
				}
			},
		},
		{
			Name:   "every bad field at once",
			Method: http.MethodPost, URL: "/api/register",
			Body:           body(`{"email":"nope","username":"-x","password":"short","referral_code":"zzzzzzzz"}`),
			ExpectedStatus: http.StatusBadRequest,
			ExpectedContent: []string{
				`"message":"Failed to register."`,
				`"email":{"code":"email_invalid"`, `"username":{"code":"username_invalid"`,
				`"password":{"code":"password_too_short"`, `"referral_code":{"code":"referral_invalid","message":"Invalid referral code."}`,
			},
			ExpectedEvents: map[string]int{"*": 0},
		},
		{
			Name:   "missing fields",
			Method: http.MethodPost, URL: "/api/register",
			Body:            body(`{}`),
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`"email":{"code":"required"`, `"username":{"code":"required"`, `"password":{"code":"required"`},
			ExpectedEvents:  map[string]int{"*": 0},
		},
		{
			Name:   "duplicate email and username in another letter case",
			Method: http.MethodPost, URL: "/api/register",
			Body:            body(`{"email":"ANN@example.COM","username":"ANN","password":"quiet-river-5512"}`),
			TestAppFactory:  withAnn,
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`"email":{"code":"email_taken","message":"Email already in use."}`, `"username":{"code":"username_taken","message":"Username already taken."}`},
			ExpectedEvents:  map[string]int{"*": 0},
		},
		{
			Name:   "reserved username",
			Method: http.MethodPost, URL: "/api/register",
			Body:            body(`{"email":"bob@example.com","username":"Admin","password":"quiet-river-5512"}`),
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`"username":{"code":"username_reserved"`},
		},
		{
			Name:   "password policy codes",
			Method: http.MethodPost, URL: "/api/register",
			Body:            body(`{"email":"bob@example.com","username":"bobsleigh","password":"my-bobsleigh-99"}`),
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`"password":{"code":"password_contains_identity"`},
		},
		{
			Name:   "common password",
			Method: http.MethodPost, URL: "/api/register",
			Body:            body(`{"email":"bob@example.com","username":"bob","password":"Sunshine1"}`),
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`"password":{"code":"password_too_common"`},
		},
		{
			Name:   "password of 72 bytes",
			Method: http.MethodPost, URL: "/api/register",
			Body:            body(`{"email":"bob@example.com","username":"bob","password":"` + strings.Repeat("é", 36) + `"}`),
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`"password":{"code":"password_too_long"`},
		},
		{
			Name:   "valid referral code in capitals",
			Method: http.MethodPost, URL: "/api/register",
			Body:           body(`{"email":"bob@example.com","username":"bob","password":"quiet-river-5512","referral_code":" K3X9Q2MW "}`),
			TestAppFactory: withOff,
			ExpectedStatus: http.StatusCreated, ExpectedContent: []string{`"username":"bob"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				bob, ann := testutil.FindUser(t, app, "bob"), testutil.FindUser(t, app, "ann")
				if bob.GetString(schema.UserReferredBy) != ann.Id {
					t.Fatalf("referred_by = %q, want ann", bob.GetString(schema.UserReferredBy))
				}
				n, _ := app.CountRecords(schema.Referrals, dbx.HashExp{"referrer": ann.Id, "referred_user": bob.Id, "status": "pending", "code_used": "k3x9q2mw"})
				if n != 1 {
					t.Fatalf("want one pending referral, got %d", n)
				}
			},
		},
		{
			Name:   "self-referral through a gmail alias",
			Method: http.MethodPost, URL: "/api/register",
			Body:            body(`{"email":"annlee+new@googlemail.com","username":"ann2","password":"quiet-river-5512","referral_code":"k3x9q2mw"}`),
			TestAppFactory:  withOff,
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`"referral_code":{"code":"referral_self","message":"You cannot refer yourself."}`},
			ExpectedEvents:  map[string]int{"*": 0},
		},
		{
			Name:   "code of a disabled user",
			Method: http.MethodPost, URL: "/api/register",
			Body:            body(`{"email":"bob@example.com","username":"bob","password":"quiet-river-5512","referral_code":"qqqqqqqq"}`),
			TestAppFactory:  withOff,
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`"referral_code":{"code":"referral_expired","message":"Referral code has expired."}`},
		},
		{
			Name:   "cross-site request by Origin",
			Method: http.MethodPost, URL: "/api/register",
			Body:           body(`{"email":"bob@example.com","username":"bob","password":"quiet-river-5512"}`),
			Headers:        map[string]string{"Origin": "https://evil.example"},
			ExpectedStatus: http.StatusForbidden, ExpectedContent: []string{`"message":"Cross-site request refused."`},
			ExpectedEvents: map[string]int{"*": 0},
		},
		{
			Name:   "cross-site request by Sec-Fetch-Site",
			Method: http.MethodPost, URL: "/api/register",
			Body:           body(`{"email":"bob@example.com","username":"bob","password":"quiet-river-5512"}`),
			Headers:        map[string]string{"Sec-Fetch-Site": "cross-site"},
			ExpectedStatus: http.StatusForbidden, ExpectedContent: []string{`Cross-site`},
		},
		{
			Name:   "same-origin browser request",
			Method: http.MethodPost, URL: "/api/register",
			Body:           body(`{"email":"bob@example.com","username":"bob","password":"quiet-river-5512"}`),
			Headers:        map[string]string{"Origin": "http://example.com", "Sec-Fetch-Site": "same-origin"},
			ExpectedStatus: http.StatusCreated, ExpectedContent: []string{`"username":"bob"`},
		},
		{
			Name:   "body over 16 KiB",
			Method: http.MethodPost, URL: "/api/register",
			Body:           body(`{"email":"bob@example.com","username":"bob","password":"` + strings.Repeat("a", 17<<10) + `"}`),
			ExpectedStatus: http.StatusRequestEntityTooLarge, ExpectedContent: []string{`"status":413`},
			ExpectedEvents: map[string]int{"*": 0},
		},
	})
}

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

// TestConcurrentRegistrations races many sign-ups for one email, and for
// one username: exactly one wins, every other gets the *_taken error, and
// none a 500.
func TestConcurrentRegistrations(t *testing.T) {
	const n = 30
	for _, c := range []struct {
		name, code string
		body       func(i int) string
		stored     dbx.Expression
	}{
		{"one email", "email_taken", func(i int) string {
			return fmt.Sprintf(`{"email":"same@example.com","username":"user%02d","password":"quiet-river-5512"}`, i)
		}, dbx.HashExp{"email": "same@example.com"}},
		{"one username", "username_taken", func(i int) string {
			return fmt.Sprintf(`{"email":"user%02d@example.com","username":"Same","password":"quiet-river-5512"}`, i)
		}, dbx.HashExp{"username": "same"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			app := testutil.NewApp(t)
			testutil.RelaxRateLimits(t, app)
			handler := testutil.Handler(t, app)

			var mu sync.Mutex
			statuses := map[int]int{}
			taken := 0
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					rec := testutil.Send(handler, http.MethodPost, "/api/register", c.body(i), nil)
					mu.Lock()
					defer mu.Unlock()
					statuses[rec.Code]++
					if rec.Code == http.StatusBadRequest && strings.Contains(rec.Body.String(), `"code":"`+c.code+`"`) {
						taken++
					}
				}()
			}
			wg.Wait()

			if statuses[http.StatusCreated] != 1 || taken != n-1 {
				t.Fatalf("statuses %v, %d with %s; want one 201 and %d %s", statuses, taken, c.code, n-1, c.code)
			}
			if stored, _ := app.CountRecords(schema.Users, c.stored); stored != 1 {
				t.Fatalf("%d users stored, want 1", stored)
			}
		})
	}
}
