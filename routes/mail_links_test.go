package routes_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/mails"
	"github.com/pocketbase/pocketbase/tests"

	"linkbase/schema"
	"linkbase/testutil"
)

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
