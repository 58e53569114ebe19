package routes_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"linkbase/metrics"
	"linkbase/testutil"
)

// superuserHeaders returns scenario headers and a BeforeTestFunc that fills
// them with a new superuser's token.
func superuserHeaders() (map[string]string, func(testing.TB, *tests.TestApp, *core.ServeEvent)) {
	headers := map[string]string{}
	return headers, func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
		superusers, err := app.FindCollectionByNameOrId(core.CollectionNameSuperusers)
		if err != nil {
			t.Fatal(err)
		}
		admin := core.NewRecord(superusers)
		admin.SetEmail("admin@example.com")
		admin.SetPassword(testutil.Password)
		if err := app.Save(admin); err != nil {
			t.Fatal(err)
		}
		headers["Authorization"] = testutil.Token(t, admin)
	}
}

func TestMetricsEndpoint(t *testing.T) {
	t.Setenv(metrics.TokenEnv, "scrape-me-0123456789")
	userHeaders, asAnn := authAs("ann", false)
	adminHeaders, asAdmin := superuserHeaders()
	// The figures of requests answered before the scrape, by route pattern.
	figures := []string{
		"# TYPE linkbase_http_requests_total counter",
		"# TYPE linkbase_http_request_duration_seconds histogram",
		`linkbase_http_requests_total{method="GET",route="/api/profiles/{username}",status="404"} 1`,
		`linkbase_http_request_duration_seconds_count{method="GET",route="/api/profiles/{username}"} 1`,
		"go_goroutines",
		// The stores' figures (stores/metrics.go).
		`linkbase_cache_misses_total{cache="profiles"} `,
		`linkbase_cache_hit_ratio{cache="profiles"} 0`,
		`linkbase_buffer_pending{buffer="views_and_clicks"} 0`,
		`linkbase_buffer_flush_lag_seconds{buffer="referral_visits"}`,
		"linkbase_password_hashing_queue 0",
		"linkbase_password_hashing_slots ",
		"linkbase_password_hashing_refused_total 0",
	}
	scrapeAfterARequest := func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
		mux, err := e.Router.BuildMux()
		if err != nil {
			t.Fatal(err)
		}
		mux.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/api/profiles/nobody-here", nil))
	}
	run(t, []tests.ApiScenario{
		{
			Name: "no credentials", Method: http.MethodGet, URL: "/api/metrics",
			ExpectedStatus: 401, ExpectedContent: []string{`"status":401`},
			NotExpectedContent: []string{"linkbase_http"},
		},
		{
			Name: "a user's token", Method: http.MethodGet, URL: "/api/metrics",
			Headers: userHeaders, TestAppFactory: withAnn, BeforeTestFunc: asAnn,
			ExpectedStatus: 401, ExpectedContent: []string{`"status":401`},
			ExpectedEvents: map[string]int{"*": 0},
		},
		{
			Name: "a wrong metrics token", Method: http.MethodGet, URL: "/api/metrics",
			Headers:        map[string]string{"Authorization": "Bearer scrape-me-0123456788"},
			ExpectedStatus: 401, ExpectedContent: []string{`"status":401`},
		},
		{
			Name: "the token without Bearer", Method: http.MethodGet, URL: "/api/metrics",
			Headers:        map[string]string{"Authorization": "scrape-me-0123456789"},
			ExpectedStatus: 401, ExpectedContent: []string{`"status":401`},
		},
		{
			Name: "the metrics token", Method: http.MethodGet, URL: "/api/metrics",
			Headers:        map[string]string{"Authorization": "Bearer scrape-me-0123456789"},
			BeforeTestFunc: scrapeAfterARequest,
			ExpectedStatus: 200, ExpectedContent: figures,
			NotExpectedContent: []string{"nobody-here"},
		},
		{
			Name: "a superuser", Method: http.MethodGet, URL: "/api/metrics",
			Headers: adminHeaders,
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				asAdmin(t, app, e)
				scrapeAfterARequest(t, app, e)
			},
			ExpectedStatus: 200, ExpectedContent: figures,
		},
	})
}

func TestMetricsTokenUnsetLetsOnlySuperusersIn(t *testing.T) {
	t.Setenv(metrics.TokenEnv, "")
	run(t, []tests.ApiScenario{{
		Name: "an empty bearer token", Method: http.MethodGet, URL: "/api/metrics",
		Headers:        map[string]string{"Authorization": "Bearer "},
		ExpectedStatus: 401, ExpectedContent: []string{`"status":401`},
	}})
}
