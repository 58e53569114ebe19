package routes_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"linkbase/testutil"
)

type analyticsBody struct {
	Views  int     `json:"views"`
	Clicks int     `json:"clicks"`
	CTR    float64 `json:"ctr"`
	Daily  []struct {
		Date          string
		Views, Clicks int
	} `json:"daily"`
	Links []struct {
		ID     string
		Title  string
		Clicks int
	} `json:"links"`
	TopReferrers []struct {
		Host  string
		Views int
	} `json:"top_referrers"`
}

func TestAnalyticsRequests(t *testing.T) {
	var token string
	withAnn := func(t testing.TB) *tests.TestApp {
		app := testutil.Factory(t)
		token = testutil.Token(t, testutil.CreateUser(t, app, "ann@example.com", "ann", nil))
		return app
	}
	url := func(u string) func() string { return func() string { return u } }

	anonymous := tests.ApiScenario{Name: "anonymous", Method: http.MethodGet, URL: "/api/analytics",
		TestAppFactory: testutil.Factory, ExpectedStatus: http.StatusUnauthorized, ExpectedContent: []string{`"status":401`}}
	anonymous.Test(t)

	for _, bad := range []string{"0", "366", "-1", "abc", "1.5", "%00", "99999999999999999999"} {
		s := tests.ApiScenario{Name: "days=" + bad, Method: http.MethodGet, TestAppFactory: withAnn,
			ExpectedStatus: http.StatusBadRequest, ExpectedContent: []string{`"days":{"code":"days_invalid"`}}
		runLinkScenario(t, s, &token, url("/api/analytics?days="+bad), nil)
	}

	empty := tests.ApiScenario{Name: "a new user's empty analytics, 30 days by default", Method: http.MethodGet,
		TestAppFactory: withAnn, ExpectedStatus: http.StatusOK,
		ExpectedContent: []string{`"views":0`, `"clicks":0`, `"ctr":0`, `"links":[]`, `"top_referrers":[]`},
		AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
			var got analyticsBody
			if err := json.NewDecoder(res.Body).Decode(&got); err != nil || len(got.Daily) != 30 {
				t.Fatalf("daily has %d days (%v), want 30", len(got.Daily), err)
			}
		}}
	runLinkScenario(t, empty, &token, url("/api/analytics"), nil)
}
