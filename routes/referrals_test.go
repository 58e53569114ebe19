package routes_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"linkbase/schema"
	"linkbase/testutil"
)

// withReferrals seeds ann with three referred users: bob (successful),
// cat (pending) and dan (rejected), in that order.
func withReferrals(t testing.TB) (*tests.TestApp, *core.Record) {
	app := testutil.Factory(t)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	for _, u := range []struct{ name, status string }{{"bob", schema.StatusSuccessful}, {"cat", ""}, {"dan", schema.StatusRejected}} {
		user := testutil.CreateUser(t, app, u.name+"@example.com", u.name, map[string]any{schema.UserReferredBy: ann.Id})
		if u.status != "" {
			setStatus(t, app, user.Id, u.status)
		}
	}
	return app, ann
}

func TestReferralsList(t *testing.T) {
	auth := map[string]string{} // filled by the factory, read when the request is sent
	factory := func(t testing.TB) *tests.TestApp {
		app, ann := withReferrals(t)
		auth["Authorization"] = testutil.Token(t, ann)
		return app
	}
	scenarios := []tests.ApiScenario{
		{
			Name: "not logged in", Method: http.MethodGet, URL: "/api/referrals",
			ExpectedStatus: http.StatusUnauthorized, ExpectedContent: []string{`"data":{}`},
		},
		{
			Name: "newest first without emails", Method: http.MethodGet, URL: "/api/referrals",
			ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{
				`"page":1`, `"per_page":20`, `"total_items":3`, `"total_pages":1`,
				`"username":"dan","status":"rejected"`, `"username":"bob","status":"successful"`, `"completed_at":"20`,
			},
			NotExpectedContent: []string{"@example.com", "email"},
		},
		{
			Name: "status filter", Method: http.MethodGet, URL: "/api/referrals?status=pending",
			ExpectedStatus:     http.StatusOK,
			ExpectedContent:    []string{`"total_items":1`, `"username":"cat","status":"pending"`, `"completed_at":null`},
			NotExpectedContent: []string{`"bob"`, `"dan"`},
		},
		{
			Name: "second page of one", Method: http.MethodGet, URL: "/api/referrals?page=2&per_page=1",
			ExpectedStatus:     http.StatusOK,
			ExpectedContent:    []string{`"page":2`, `"per_page":1`, `"total_items":3`, `"total_pages":3`, `"username":"cat"`},
			NotExpectedContent: []string{`"bob"`, `"dan"`},
		},
		{
			Name: "page past the end is empty", Method: http.MethodGet, URL: "/api/referrals?page=9",
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"items":[]`},
		},
		{
			Name: "every bad parameter at once", Method: http.MethodGet, URL: "/api/referrals?page=0&per_page=101&status=paid",
			ExpectedStatus: http.StatusBadRequest,
			ExpectedContent: []string{
				`"page":{"code":"page_invalid"`, `"per_page":{"code":"per_page_invalid"`, `"status":{"code":"status_invalid"`,
			},
		},
		{
			Name: "non-numeric and sql-looking parameters", Method: http.MethodGet, URL: "/api/referrals?page=1%27%20OR%201=1&per_page=abc&status=%3Cb%3E",
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`"page_invalid"`, `"per_page_invalid"`, `"status_invalid"`},
		},
	}
	for i, s := range scenarios {
		s.TestAppFactory = factory
		if i > 0 {
			s.Headers = auth
		}
		s.Test(t)
	}
}

func TestReferralsListShowsOnlyOwnReferrals(t *testing.T) {
	app, _ := withReferrals(t)
	t.Cleanup(app.Cleanup)
	h := testutil.Handler(t, app)
	eve := testutil.CreateUser(t, app, "eve@example.com", "eve", nil)
	rec := send(h, http.MethodGet, "/api/referrals", "", authHeader(t, eve))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"total_items":0`) {
		t.Errorf("another user's list: %d %s", rec.Code, rec.Body)
	}
}

func TestReferralsListOrder(t *testing.T) {
	app, ann := withReferrals(t)
	t.Cleanup(app.Cleanup)
	body := send(testutil.Handler(t, app), http.MethodGet, "/api/referrals", "", authHeader(t, ann)).Body.String()
	dan, cat, bob := strings.Index(body, `"dan"`), strings.Index(body, `"cat"`), strings.Index(body, `"bob"`)
	if !(0 <= dan && dan < cat && cat < bob) {
		t.Errorf("want dan, cat, bob (newest first), got %s", body)
	}
}
