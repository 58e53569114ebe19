package routes_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tests"

	"linkbase/schema"
	"linkbase/stores"
	"linkbase/testutil"
)

func TestReferralStatsScenarios(t *testing.T) {
	auth := map[string]string{}
	scenarios := []tests.ApiScenario{
		{
			Name: "not logged in", Method: http.MethodGet, URL: "/api/referral-stats",
			TestAppFactory: testutil.Factory,
			ExpectedStatus: http.StatusUnauthorized, ExpectedContent: []string{`"data":{}`},
		},
		{
			Name: "a new user", Method: http.MethodGet, URL: "/api/referral-stats", Headers: auth,
			TestAppFactory: func(t testing.TB) *tests.TestApp {
				app := testutil.Factory(t)
				auth["Authorization"] = testutil.Token(t, testutil.CreateUser(t, app, "ann@example.com", "ann", nil))
				return app
			},
			ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{
				`"referral_link":"http://localhost:8090/register?referral=`, `"visits":0`, `"signups":0`,
				`"conversion_rate":0`, `"credits_earned":0`, `"credits_balance":0`,
				`"next_milestone":{"successful":5,"reward":25}`, `"last_30_days":[{"date":"` + time.Now().UTC().AddDate(0, 0, -29).Format(time.DateOnly),
			},
		},
		{
			Name: "counts of every status", Method: http.MethodGet, URL: "/api/referral-stats", Headers: auth,
			TestAppFactory: func(t testing.TB) *tests.TestApp {
				app, ann := withReferrals(t)
				auth["Authorization"] = testutil.Token(t, ann)
				return app
			},
			ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{
				`"signups":3`, `"successful":1`, `"pending":1`, `"expired":0`, `"rejected":1`,
				`"credits_earned":10`, `"credits_balance":10`, `"next_milestone":{"successful":5,"reward":25}`,
				`{"date":"` + time.Now().UTC().Format(time.DateOnly) + `","visits":0,"signups":3,"successful":1}`,
			},
		},
	}
	for _, s := range scenarios {
		s.Test(t)
	}
}

type statsBody struct {
	Code       string  `json:"referral_code"`
	Visits     int     `json:"visits"`
	Signups    int     `json:"signups"`
	Successful int     `json:"successful"`
	Pending    int     `json:"pending"`
	Rate       float64 `json:"conversion_rate"`
	Earned     int     `json:"credits_earned"`
	Balance    int     `json:"credits_balance"`
	Last30     []struct {
		Date                        string
		Visits, Signups, Successful int
	} `json:"last_30_days"`
}

func getStats(t testing.TB, h http.Handler, headers map[string]string) statsBody {
	t.Helper()
	rec := send(h, http.MethodGet, "/api/referral-stats", "", headers)
	var s statsBody
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &s) != nil {
		t.Fatalf("stats: %d %s", rec.Code, rec.Body)
	}
	return s
}

// TestStatsNeverStale checks that every kind of write shows at once in
// the (cached) stats: visits, sign-ups, verification, manual rewards,
// admin status changes and rule changes.
func TestStatsNeverStale(t *testing.T) {
	app := testutil.Factory(t)
	t.Cleanup(app.Cleanup)
	h := testutil.Handler(t, app)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	auth := authHeader(t, ann)
	code := ann.GetString(schema.UserReferralCode)

	if s := getStats(t, h, auth); s.Visits != 0 || s.Signups != 0 {
		t.Fatalf("fresh stats: %+v", s)
	}
	for i, ua := range []string{"a", "b", "b", "c"} {
		rec := send(h, http.MethodGet, "/register?referral="+strings.ToUpper(code), "", map[string]string{"User-Agent": ua})
		if rec.Code != http.StatusOK {
			t.Fatalf("visit %d: %d", i, rec.Code)
		}
	}
	// Visits count once their buffer is written, within the flush interval.
	if err := stores.Of(app).Referrals.FlushVisits(context.Background()); err != nil {
		t.Fatal(err)
	}
	s := getStats(t, h, auth)
	if s.Visits != 3 || s.Last30[29].Visits != 3 {
		t.Errorf("visits %d (today %d), want 3 distinct visitors", s.Visits, s.Last30[29].Visits)
	}

	bob := testutil.CreateUser(t, app, "bob@example.com", "bob", map[string]any{schema.UserReferredBy: ann.Id})
	if s := getStats(t, h, auth); s.Signups != 1 || s.Pending != 1 || s.Rate != 0.3333 {
		t.Errorf("after a sign-up: %+v", s)
	}
	bob.SetVerified(true)
	if err := app.Save(bob); err != nil {
		t.Fatal(err)
	}
	if s := getStats(t, h, auth); s.Successful != 1 || s.Pending != 0 || s.Earned != 10 || s.Balance != 10 || s.Last30[29].Successful != 1 {
		t.Errorf("after verification: %+v", s)
	}
	rewards, _ := app.FindCollectionByNameOrId(schema.Rewards)
	manual := newRecord(rewards, map[string]any{schema.RewardUser: ann.Id, schema.RewardKind: schema.RewardKindManual, schema.RewardAmount: 7})
	if err := app.Save(manual); err != nil {
		t.Fatal(err)
	}
	if s := getStats(t, h, auth); s.Balance != 17 || s.Earned != 10 {
		t.Errorf("after a manual reward: %+v", s)
	}
	settings, _ := app.FindAllRecords(schema.ReferralSettings)
	settings[0].Set(schema.SettingMilestones, `[{"successful": 2, "reward": 99}]`)
	if err := app.Save(settings[0]); err != nil {
		t.Fatal(err)
	}
	rec := send(h, http.MethodGet, "/api/referral-stats", "", auth)
	if !strings.Contains(rec.Body.String(), `"next_milestone":{"successful":2,"reward":99}`) {
		t.Errorf("after a rules change: %s", rec.Body)
	}
}
