package routes_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

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
				bob := findUser(t, app, "bob")
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
				bob, ann := findUser(t, app, "bob"), findUser(t, app, "ann")
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
