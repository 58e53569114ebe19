package routes_test

import (
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/mails"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/mailer"

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

func TestRegisterSendsVerificationMail(t *testing.T) {
	s := tests.ApiScenario{
		Name:   "registration mails a verification link",
		Method: http.MethodPost, URL: "/api/register",
		Body:            strings.NewReader(`{"email":"bob@example.com","username":"bob","password":"quiet-river-5512"}`),
		TestAppFactory:  testutil.Factory,
		BeforeTestFunc:  waitForMails,
		ExpectedStatus:  http.StatusCreated,
		ExpectedContent: []string{`"verified":false`},
		ExpectedEvents:  map[string]int{"OnMailerSend": 1},
		AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
			expectMails(1, "bob@example.com")(t, app, res)
			mailToken(t, app.TestMailer.LastMessage(), "http://localhost:8090", "/verify-email")
		},
	}
	s.Test(t)
}

// TestPocketBaseMailsLinkToLinkbasePages checks the mails of PocketBase's
// own request endpoints (the SDK's requestPasswordReset and
// requestVerification), sent here synchronously through the same function.
func TestPocketBaseMailsLinkToLinkbasePages(t *testing.T) {
	app := withAnnAndDan(nil)(t)
	t.Cleanup(app.Cleanup)
	ann, err := app.FindAuthRecordByEmail(schema.Users, "ann@example.com")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		send func(core.App, *core.Record) error
		link string
	}{
		{mails.SendRecordPasswordReset, "https://links.example.com/reset-password?token="},
		{mails.SendRecordVerification, "https://links.example.com/verify-email?token="},
	} {
		if err := c.send(app, ann); err != nil {
			t.Fatal(err)
		}
		if html := app.TestMailer.LastMessage().HTML; !strings.Contains(html, c.link) {
			t.Errorf("no link to %s in:\n%s", c.link, html)
		}
	}
}

// brokenMailer fails every send, as an unreachable SMTP server does.
type brokenMailer struct{ attempts atomic.Int32 }

func (m *brokenMailer) Send(*mailer.Message) error {
	m.attempts.Add(1)
	return errors.New("dial tcp 127.0.0.1:25: connection refused")
}

// TestFailedSendKeepsTheAnswer checks that a mail that cannot be sent
// changes no answer, and that it does not hold the throttle, so asking
// again tries again.
func TestFailedSendKeepsTheAnswer(t *testing.T) {
	app := testutil.Factory(t)
	t.Cleanup(app.Cleanup)
	broken := &brokenMailer{}
	app.OnMailerSend().Bind(&hook.Handler[*core.MailerEvent]{
		Func: func(e *core.MailerEvent) error {
			e.Mailer = broken
			return e.Next()
		},
		Priority: -99998, // after TestApp swaps in its TestMailer
	})
	h := serve(t, app)

	if rec := testutil.Send(h, http.MethodPost, "/api/register", `{"email":"bob@example.com","username":"bob","password":"quiet-river-5512"}`, nil); rec.Code != http.StatusCreated {
		t.Fatalf("register: %d %s", rec.Code, rec.Body)
	}
	for range 2 {
		if rec := testutil.Send(h, http.MethodPost, "/api/forgot-password", `{"email":"bob@example.com"}`, nil); rec.Code != http.StatusNoContent {
			t.Fatalf("forgot-password: %d %s", rec.Code, rec.Body)
		}
	}
	if got := broken.attempts.Load(); got != 3 {
		t.Fatalf("%d send attempts, want 3 (registration, then each failed reset retried)", got)
	}
}

// TestMailEndpointsRateLimited checks the default per-IP limits of the
// mail endpoints (SECURITY.md: 3 per minute for the mail requests).
func TestMailEndpointsRateLimited(t *testing.T) {
	for _, path := range []string{"/api/forgot-password", "/api/request-verification"} {
		t.Run(path, func(t *testing.T) {
			app := testutil.Factory(t)
			t.Cleanup(app.Cleanup)
			h := serve(t, app)
			for i := range 4 {
				want := http.StatusNoContent
				if i == 3 {
					want = http.StatusTooManyRequests
				}
				if rec := testutil.Send(h, http.MethodPost, path, `{"email":"nobody@example.com"}`, nil); rec.Code != want {
					t.Fatalf("request %d: status %d, want %d", i+1, rec.Code, want)
				}
			}
		})
	}
}

// FuzzResetPassword feeds arbitrary bodies to POST /api/reset-password:
// whatever arrives, the answer is a 4xx (the token is never valid here),
// never a 500 or a panic.
func FuzzResetPassword(f *testing.F) {
	for _, seed := range []string{
		`{"token":"a.b.c","password":"copper-meadow-4821"}`, `{"token":1}`, `[]`, `"x"`, `{"token":"\u0000"}`,
		`{"token":"eyJhbGciOiJub25lIn0.eyJpZCI6IngifQ.","password":"` + "\xff" + `"}`, `{`, ``,
	} {
		f.Add(seed)
	}
	app := testutil.Factory(f)
	f.Cleanup(app.Cleanup)
	app.Settings().RateLimits.Enabled = false
	h := serve(f, app)
	f.Fuzz(func(t *testing.T, body string) {
		rec := testutil.Send(h, http.MethodPost, "/api/reset-password", body, nil)
		if rec.Code < 400 || rec.Code >= 500 {
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body)
		}
	})
}
