package routes_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tests"

	"linkbase/routes"
	"linkbase/schema"
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

func TestAnalytics(t *testing.T) {
	app := annWithLinks(t)
	defer app.Cleanup()
	h := bioHandler(t, app)
	ann, err := app.FindFirstRecordByData(schema.Users, schema.UserUsername, "ann")
	if err != nil {
		t.Fatal(err)
	}
	auth := map[string]string{"Authorization": testutil.Token(t, ann)}
	clock := clockNow
	routes.SetClock(app, func() time.Time { return clock })

	// Yesterday: 2 views from t.co and 1 click, flushed into the rollups.
	clock = clockNow.AddDate(0, 0, -1)
	routes.SetClock(app, func() time.Time { return clock })
	bioRequest(h, http.MethodGet, "/ann", map[string]string{"Referer": "https://t.co/x"})
	bioRequest(h, http.MethodGet, "/ann", map[string]string{"Referer": "https://t.co/y"})
	bioRequest(h, http.MethodGet, "/l/"+linkID("first"), nil)
	if err := routes.FlushCounters(app); err != nil {
		t.Fatal(err)
	}
	// Today: 1 direct view, 1 from instagram and 2 clicks, still buffered.
	clock = clockNow
	routes.SetClock(app, func() time.Time { return clock })
	bioRequest(h, http.MethodGet, "/ann", nil)
	bioRequest(h, http.MethodGet, "/ann", map[string]string{"Referer": "https://www.instagram.com/ann"})
	bioRequest(h, http.MethodGet, "/l/"+linkID("second"), nil)
	bioRequest(h, http.MethodGet, "/l/"+linkID("second"), nil)

	check := func(when string) {
		var got analyticsBody
		res := bioRequest(h, http.MethodGet, "/api/analytics?days=2", auth)
		if res.status != http.StatusOK || json.Unmarshal([]byte(res.body), &got) != nil {
			t.Fatalf("%s: %d %s", when, res.status, res.body)
		}
		if got.Views != 4 || got.Clicks != 3 || got.CTR != 0.75 {
			t.Fatalf("%s: views %d, clicks %d, ctr %v; want 4, 3, 0.75", when, got.Views, got.Clicks, got.CTR)
		}
		if len(got.Daily) != 2 || got.Daily[0].Date != "2026-11-23" || got.Daily[0].Views != 2 || got.Daily[0].Clicks != 1 ||
			got.Daily[1].Date != "2026-11-24" || got.Daily[1].Views != 2 || got.Daily[1].Clicks != 2 {
			t.Fatalf("%s: daily = %+v", when, got.Daily)
		}
		perLink := map[string]int{}
		for _, l := range got.Links {
			perLink[l.Title] = l.Clicks
		}
		if len(got.Links) != 6 || perLink["first"] != 1 || perLink["second"] != 2 || perLink["running"] != 0 {
			t.Fatalf("%s: links = %+v", when, got.Links)
		}
		if len(got.TopReferrers) != 2 || got.TopReferrers[0].Host != "t.co" || got.TopReferrers[0].Views != 2 ||
			got.TopReferrers[1].Host != "www.instagram.com" || got.TopReferrers[1].Views != 1 {
			t.Fatalf("%s: top_referrers = %+v", when, got.TopReferrers)
		}

		var today analyticsBody
		json.Unmarshal([]byte(bioRequest(h, http.MethodGet, "/api/analytics?days=1", auth).body), &today)
		if today.Views != 2 || today.Clicks != 2 || len(today.Daily) != 1 {
			t.Fatalf("%s: days=1 gave %+v", when, today)
		}
	}
	check("before the flush")
	if err := routes.FlushCounters(app); err != nil {
		t.Fatal(err)
	}
	check("after the flush")
}

func TestAnalyticsRequests(t *testing.T) {
	var token string
	withAnn := func(t testing.TB) *tests.TestApp {
		app := testutil.Factory(t)
		fastPasswords(t, app)
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
