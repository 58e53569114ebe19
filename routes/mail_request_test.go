package routes_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"linkbase/schema"
	"linkbase/testutil"
)

// withAnnAndDan seeds ann (unverified) and disabled dan (fields apply to ann).
func withAnnAndDan(fields map[string]any) func(t testing.TB) *tests.TestApp {
	return func(t testing.TB) *tests.TestApp {
		app := testutil.Factory(t)
		app.Settings().Meta.AppURL = "https://links.example.com"
		testutil.CreateUser(t, app, "ann@example.com", "ann", fields)
		testutil.CreateUser(t, app, "dan@example.com", "dan", map[string]any{schema.UserDisabled: true})
		return app
	}
}

func expectMails(n int, to string) func(t testing.TB, app *tests.TestApp, res *http.Response) {
	return func(t testing.TB, app *tests.TestApp, res *http.Response) {
		if got := app.TestMailer.TotalSend(); got != n {
			t.Fatalf("sent %d mails, want %d", got, n)
		}
		if n > 0 && app.TestMailer.LastMessage().To[0].Address != to {
			t.Fatalf("mail went to %v, want %s", app.TestMailer.LastMessage().To, to)
		}
	}
}

func TestForgotPassword(t *testing.T) {
	scenarios := []tests.ApiScenario{
		{
			Name:   "unknown address sends no mail",
			Method: http.MethodPost, URL: "/api/forgot-password",
			Body:           strings.NewReader(`{"email":"nobody@example.com"}`),
			ExpectedStatus: http.StatusNoContent,
			ExpectedEvents: map[string]int{"OnMailerSend": 0},
			AfterTestFunc:  expectMails(0, ""),
		},
		{
			// The request's Host is httptest's example.com, not the app URL.
			Name:   "known address gets one mail with a link to the reset page on the app url",
			Method: http.MethodPost, URL: "/api/forgot-password",
			Body:           strings.NewReader(`{"email":" ANN@example.com "}`),
			ExpectedStatus: http.StatusNoContent,
			ExpectedEvents: map[string]int{"OnMailerSend": 1},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				expectMails(1, "ann@example.com")(t, app, res)
				msg := app.TestMailer.LastMessage()
				mailToken(t, msg, "https://links.example.com", "/reset-password")
				for _, part := range []string{msg.Text, msg.HTML} {
					if !strings.Contains(part, "30 minutes") {
						t.Fatalf("the mail does not say how long the link works:\n%s", part)
					}
				}
			},
		},
		{
			Name:   "disabled account gets no mail",
			Method: http.MethodPost, URL: "/api/forgot-password",
			Body:           strings.NewReader(`{"email":"dan@example.com"}`),
			ExpectedStatus: http.StatusNoContent,
			AfterTestFunc:  expectMails(0, ""),
		},
		{
			Name:   "malformed address",
			Method: http.MethodPost, URL: "/api/forgot-password",
			Body:            strings.NewReader(`{"email":"ann@@example"}`),
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`"email":{"code":"email_invalid"`},
			ExpectedEvents:  map[string]int{"*": 0},
		},
		{
			Name:   "missing address",
			Method: http.MethodPost, URL: "/api/forgot-password",
			Body:            strings.NewReader(`{}`),
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`"email":{"code":"required"`},
		},
		{
			Name:   "address of the wrong type",
			Method: http.MethodPost, URL: "/api/forgot-password",
			Body:            strings.NewReader(`{"email":["ann@example.com"]}`),
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`"email":{"code":"invalid_type"`},
		},
		{
			Name:   "address of 10k characters",
			Method: http.MethodPost, URL: "/api/forgot-password",
			Body:            strings.NewReader(`{"email":"` + strings.Repeat("a", 10000) + `@example.com"}`),
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`"email":{"code":"email_invalid"`},
		},
		{
			Name:   "sql metacharacters are just a malformed address",
			Method: http.MethodPost, URL: "/api/forgot-password",
			Body:            strings.NewReader(`{"email":"' OR 1=1 --"}`),
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`"email":{"code":"email_invalid"`},
		},
		{
			Name:   "not json",
			Method: http.MethodPost, URL: "/api/forgot-password",
			Body:           strings.NewReader(`email=ann@example.com`),
			ExpectedStatus: http.StatusBadRequest,
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = withAnnAndDan(nil)
		s.BeforeTestFunc = waitForMails
		if len(s.ExpectedContent) == 0 && s.ExpectedStatus == http.StatusBadRequest {
			s.ExpectedContent = []string{`"status":400`}
		}
		s.Test(t)
	}
}

func TestRequestVerification(t *testing.T) {
	scenarios := []tests.ApiScenario{
		{
			Name:   "unverified account gets one mail with a link to the verification page",
			Method: http.MethodPost, URL: "/api/request-verification",
			Body:           strings.NewReader(`{"email":"ann@example.com"}`),
			TestAppFactory: withAnnAndDan(nil),
			ExpectedStatus: http.StatusNoContent,
			ExpectedEvents: map[string]int{"OnMailerSend": 1},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				expectMails(1, "ann@example.com")(t, app, res)
				mailToken(t, app.TestMailer.LastMessage(), "https://links.example.com", "/verify-email")
			},
		},
		{
			Name:   "verified account gets no mail",
			Method: http.MethodPost, URL: "/api/request-verification",
			Body:           strings.NewReader(`{"email":"ann@example.com"}`),
			TestAppFactory: withAnnAndDan(map[string]any{"verified": true}),
			ExpectedStatus: http.StatusNoContent,
			AfterTestFunc:  expectMails(0, ""),
		},
		{
			Name:   "unknown address sends no mail",
			Method: http.MethodPost, URL: "/api/request-verification",
			Body:           strings.NewReader(`{"email":"nobody@example.com"}`),
			TestAppFactory: withAnnAndDan(nil),
			ExpectedStatus: http.StatusNoContent,
			AfterTestFunc:  expectMails(0, ""),
		},
		{
			Name:   "malformed address",
			Method: http.MethodPost, URL: "/api/request-verification",
			Body:            strings.NewReader(`{"email":"nope"}`),
			TestAppFactory:  withAnnAndDan(nil),
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`"email":{"code":"email_invalid"`},
		},
	}
	for _, s := range scenarios {
		s.BeforeTestFunc = waitForMails
		s.Test(t)
	}
}
