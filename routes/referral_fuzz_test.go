package routes_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"linkbase/testutil"
)

// FuzzReferralEndpoints sends arbitrary query strings to the referral
// endpoints and the sign-up page: never a 500, never a panic.
func FuzzReferralEndpoints(f *testing.F) {
	for _, seed := range []string{
		"page=1&per_page=20&status=pending", "page=-1", "per_page=1e9", "status=%00", "page=99999999999999999999",
		"referral=%ff%fe", "referral=<script>", "status=' OR 1=1 --", "per_page=&page=&status=",
	} {
		f.Add(seed)
	}
	app := testutil.NewApp(f)
	app.Settings().RateLimits.Enabled = false
	if err := app.Save(app.Settings()); err != nil {
		f.Fatal(err)
	}
	h := testutil.Handler(f, app)
	ann := testutil.CreateUser(f, app, "ann@example.com", "ann", nil)
	auth := authHeader(f, ann)
	f.Fuzz(func(t *testing.T, query string) {
		for _, path := range []string{"/api/referrals", "/api/referral-stats", "/register"} {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.URL.RawQuery = query // whatever bytes a client manages to send
			req.Header.Set("Authorization", auth["Authorization"])
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code >= 500 {
				t.Errorf("GET %s?%q: %d %s", path, query, rec.Code, rec.Body)
			}
		}
	})
}
