package routes_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/schema"
	"linkbase/testutil"
)

// relaxLimits raises the sign-up rate limit and the burst review limit, as
// an admin would in the dashboard before a campaign.
func relaxLimits(t *testing.T, app core.App, burstLimit int) {
	t.Helper()
	settings := app.Settings()
	for i, r := range settings.RateLimits.Rules {
		if r.Label == "POST /api/register" || r.Label == "/api/" {
			settings.RateLimits.Rules[i].MaxRequests = 10_000
		}
	}
	if err := app.Save(settings); err != nil {
		t.Fatal(err)
	}
	rows, err := app.FindAllRecords(schema.ReferralSettings)
	if err != nil || len(rows) != 1 {
		t.Fatal(err)
	}
	rows[0].Set(schema.SettingBurstLimit, burstLimit)
	if err := app.Save(rows[0]); err != nil {
		t.Fatal(err)
	}
}

// signUpConcurrently posts n sign-ups with code at once, each from its own
// IP, and returns how many got 201.
func signUpConcurrently(t *testing.T, h http.Handler, prefix, code string, n int) int {
	t.Helper()
	var wg sync.WaitGroup
	var mu sync.Mutex
	created := 0
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := fmt.Sprintf(`{"email":"%s%d@example.com","username":"%s%d","password":"quiet-river-5512","referral_code":"%s"}`, prefix, i, prefix, i, code)
			rec := testutil.Send(h, http.MethodPost, "/api/register", body, map[string]string{"RemoteAddr": fmt.Sprintf("10.0.%d.%d:4000", i/250, i%250+1)})
			mu.Lock()
			defer mu.Unlock()
			if rec.Code == http.StatusCreated {
				created++
			} else {
				t.Errorf("sign-up %d: %d %s", i, rec.Code, rec.Body)
			}
		}()
	}
	wg.Wait()
	return created
}

func TestSpikeOfSignUpsOnOneCode(t *testing.T) {
	const n = 200
	app := testutil.Factory(t)
	t.Cleanup(app.Cleanup)
	relaxLimits(t, app, 0)
	h := testutil.Handler(t, app)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)

	if got := signUpConcurrently(t, h, "fan", ann.GetString(schema.UserReferralCode), n); got != n {
		t.Fatalf("%d of %d sign-ups succeeded", got, n)
	}
	s := getStats(t, h, authHeader(t, ann))
	if s.Signups != n || s.Pending != n || s.Successful != 0 {
		t.Errorf("after the spike: %+v", s)
	}
	var list struct {
		Total int `json:"total_items"`
		Pages int `json:"total_pages"`
		Items []struct{ Status string }
	}
	rec := testutil.Send(h, http.MethodGet, "/api/referrals?per_page=100&page=2", "", authHeader(t, ann))
	if err := json.Unmarshal(rec.Body.Bytes(), &list); err != nil || list.Total != n || list.Pages != 2 || len(list.Items) != 100 {
		t.Errorf("list: %d %s", rec.Code, rec.Body)
	}

	// Every referred user verifies at once.
	users, err := app.FindAllRecords(schema.Users)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for _, u := range users {
		if u.Id == ann.Id {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			u.SetVerified(true)
			if err := app.Save(u); err != nil {
				t.Errorf("verifying %s: %v", u.GetString(schema.UserUsername), err)
			}
		}()
	}
	wg.Wait()

	const want = n*10 + 25 + 50 + 150 // per referral and the three default milestones
	s = getStats(t, h, authHeader(t, ann))
	if s.Successful != n || s.Pending != 0 || s.Earned != want || s.Balance != want {
		t.Errorf("after verification: %+v, want %d successful and %d credits", s, n, want)
	}
	var ledger, rows int
	_ = app.DB().NewQuery("SELECT COALESCE(SUM(amount), 0), COUNT(*) FROM rewards WHERE user = {:u}").Bind(map[string]any{"u": ann.Id}).Row(&ledger, &rows)
	if ledger != want || rows != n+3 {
		t.Errorf("ledger sum %d over %d rows, want %d over %d", ledger, rows, want, n+3)
	}
}

func TestBurstOnOneCodeHoldsExactlyTheExcess(t *testing.T) {
	const n, limit = 30, 10
	app := testutil.Factory(t)
	t.Cleanup(app.Cleanup)
	relaxLimits(t, app, limit)
	h := testutil.Handler(t, app)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	if got := signUpConcurrently(t, h, "bot", ann.GetString(schema.UserReferralCode), n); got != n {
		t.Fatalf("%d of %d sign-ups succeeded", got, n)
	}
	held, _ := app.CountRecords(schema.Referrals, dbxNotEmpty(schema.ReferralReviewReason))
	if held != n-limit {
		t.Errorf("%d referrals held for review, want exactly %d", held, n-limit)
	}
}
