package routes_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"linkbase/testutil"
)

func TestRegister(t *testing.T) {
	withAnn := func(t testing.TB) *tests.TestApp {
		app := testutil.Factory(t)
		testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
		return app
	}
	scenarios := []tests.ApiScenario{
		{
			Name:   "success",
			Method: http.MethodPost, URL: "/api/register",
			Body:           strings.NewReader(`{"email":" Bob@Example.com ","username":"Bob","password":"quiet-river-5512"}`),
			ExpectedStatus: http.StatusCreated,
			ExpectedContent: []string{
				`"token":"`, `"email":"bob@example.com"`, `"username":"bob"`, `"credits":0`,
				`"verified":false`, `"referral_link":"http://localhost:8090/register?referral=`,
			},
			ExpectedEvents: map[string]int{"OnRecordCreate": 1},
		},
		{
			Name:   "every bad field at once",
			Method: http.MethodPost, URL: "/api/register",
			Body:           strings.NewReader(`{"email":"nope","username":"-x","password":"short","referral_code":"zzzzzzzz"}`),
			ExpectedStatus: http.StatusBadRequest,
			ExpectedContent: []string{
				`"email":{"code":"email_invalid"`, `"username":{"code":"username_invalid"`,
				`"password":{"code":"password_too_short"`, `"referral_code":{"code":"referral_invalid"`,
			},
			ExpectedEvents: map[string]int{"*": 0},
		},
		{
			Name:   "duplicate email and username in another letter case",
			Method: http.MethodPost, URL: "/api/register",
			Body:            strings.NewReader(`{"email":"ANN@example.COM","username":"ANN","password":"quiet-river-5512"}`),
			TestAppFactory:  withAnn,
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`"email":{"code":"email_taken","message":"Email already in use."}`, `"username":{"code":"username_taken","message":"Username already taken."}`},
			ExpectedEvents:  map[string]int{"*": 0},
		},
	}
	for _, s := range scenarios {
		if s.TestAppFactory == nil {
			s.TestAppFactory = testutil.Factory
		}
		s.Test(t)
	}
}
