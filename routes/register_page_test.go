package routes_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"linkbase/schema"
	"linkbase/stores"
	"linkbase/testutil"
)

func TestRegisterPage(t *testing.T) {
	scenarios := []tests.ApiScenario{
		{
			Name: "code filled in", Method: http.MethodGet, URL: "/register?referral=K3X9Q2MW",
			TestAppFactory: withReferrerAnn(nil, nil),
			ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{
				`name="referral_code" value="k3x9q2mw"`, `<script type="module" src="/js/register.js"></script>`,
			},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				for h, want := range map[string]string{
					"Content-Security-Policy": "script-src 'self'", "X-Frame-Options": "DENY",
					"X-Content-Type-Options": "nosniff", "Content-Type": "text/html",
				} {
					if !strings.Contains(res.Header.Get(h), want) {
						t.Errorf("%s: %q, want %q in it", h, res.Header.Get(h), want)
					}
				}
				if !strings.Contains(res.Header.Get("Set-Cookie"), "lb_visitor=") {
					t.Error("no visitor cookie")
				}
				if stores.Of(app).Referrals.PendingVisits() != 1 {
					t.Errorf("%d visits queued, want 1", stores.Of(app).Referrals.PendingVisits())
				}
			},
		},
		{
			Name: "html in the code is escaped and not counted", Method: http.MethodGet,
			URL:                "/register?referral=%22%3E%3Cscript%3Ealert(1)%3C/script%3E",
			TestAppFactory:     testutil.Factory,
			ExpectedStatus:     http.StatusOK,
			ExpectedContent:    []string{`value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"`},
			NotExpectedContent: []string{"<script>alert"},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if stores.Of(app).Referrals.PendingVisits() != 0 {
					t.Error("a malformed code was counted")
				}
			},
		},
		{
			Name: "no code", Method: http.MethodGet, URL: "/register",
			TestAppFactory: testutil.Factory, ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{`name="referral_code" value=""`},
		},
	}
	for _, s := range scenarios {
		s.Test(t)
	}
}

func visitRows(t testing.TB, app core.App) int {
	t.Helper()
	n, err := app.CountRecords(schema.ReferralVisits)
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func TestVisitsOncePerVisitorPerDay(t *testing.T) {
	app := testutil.NewApp(t)
	h := testutil.Handler(t, app)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	url := "/register?referral=" + ann.GetString(schema.UserReferralCode)

	first := send(h, http.MethodGet, url, "", map[string]string{"RemoteAddr": "198.51.100.1:1000", "User-Agent": "ua"})
	var cookie string
	for _, c := range first.Result().Cookies() {
		if c.Name == "lb_visitor" {
			cookie = c.Name + "=" + c.Value
		}
	}
	if cookie == "" {
		t.Fatal("no visitor cookie")
	}
	// The same IP and user agent, the same cookie from another IP, and an
	// unknown code add nothing; another user agent is another visitor.
	send(h, http.MethodGet, url, "", map[string]string{"RemoteAddr": "198.51.100.1:2000", "User-Agent": "ua"})
	send(h, http.MethodGet, url, "", map[string]string{"RemoteAddr": "203.0.113.9:1000", "User-Agent": "other", "Cookie": cookie})
	send(h, http.MethodGet, "/register?referral=zzzzzzzz", "", nil)
	send(h, http.MethodGet, url, "", map[string]string{"RemoteAddr": "198.51.100.1:1000", "User-Agent": "ua2"})

	if err := stores.Of(app).Referrals.FlushVisits(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := visitRows(t, app); n != 2 {
		t.Errorf("%d visits stored, want 2", n)
	}
	// A visitor queued again after a flush (or a restart) is written
	// again, and the unique index keeps them counted once.
	send(h, http.MethodGet, url, "", map[string]string{"RemoteAddr": "198.51.100.1:1000", "User-Agent": "ua"})
	if err := stores.Of(app).Referrals.FlushVisits(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := visitRows(t, app); n != 2 {
		t.Errorf("after a second flush %d visits stored, want still 2", n)
	}
	var stored string
	_ = app.DB().NewQuery("SELECT visitor FROM referral_visits LIMIT 1").Row(&stored)
	if strings.Contains(stored, "198.51.100.1") || len(stored) != 32 {
		t.Errorf("stored visitor %q is not a salted hash", stored)
	}
}

func TestVisitsFlushedOnTerminate(t *testing.T) {
	app := testutil.NewApp(t)
	h := testutil.Handler(t, app)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	send(h, http.MethodGet, "/register?referral="+ann.GetString(schema.UserReferralCode), "", nil)
	if visitRows(t, app) != 0 {
		t.Fatal("the hot path wrote to the database")
	}
	err := app.OnTerminate().Trigger(&core.TerminateEvent{App: app}, func(e *core.TerminateEvent) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if n := visitRows(t, app); n != 1 {
		t.Errorf("%d visits after terminate, want 1", n)
	}
}
