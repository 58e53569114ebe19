package routes_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"linkbase/schema"
	"linkbase/stores"
	"linkbase/testutil"
)

// BenchmarkRegisterPageVisit measures the sign-up page's hot path with a
// new visitor on every request (render, hash, dedupe, queue; flushes in
// batches of 500 happen in the background).
func BenchmarkRegisterPageVisit(b *testing.B) {
	app := testutil.NewApp(b)
	h := testutil.Handler(b, app)
	ann := testutil.CreateUser(b, app, "ann@example.com", "ann", nil)
	url := "/register?referral=" + ann.GetString(schema.UserReferralCode)
	for i := 0; b.Loop(); i++ {
		if rec := send(h, http.MethodGet, url, "", map[string]string{"User-Agent": fmt.Sprint("ua", i)}); rec.Code != http.StatusOK {
			b.Fatal(rec.Code)
		}
	}
	b.StopTimer()
	if err := stores.Of(app).Referrals.FlushVisits(context.Background()); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkReferralStats compares GET /api/referral-stats served from the
// cache with the same request after an invalidation each time.
func BenchmarkReferralStats(b *testing.B) {
	for _, cached := range []bool{true, false} {
		b.Run(fmt.Sprint("cached=", cached), func(b *testing.B) {
			app := testutil.NewApp(b)
			h := testutil.Handler(b, app)
			app.Settings().RateLimits.Enabled = false // measure the handler, not the limiter
			if err := app.Save(app.Settings()); err != nil {
				b.Fatal(err)
			}
			ann := testutil.CreateUser(b, app, "ann@example.com", "ann", nil)
			auth := authHeader(b, ann)
			for b.Loop() {
				if !cached {
					stores.Of(app).Referrals.InvalidateStats(ann.Id)
				}
				if rec := send(h, http.MethodGet, "/api/referral-stats", "", auth); rec.Code != http.StatusOK {
					b.Fatal(rec.Code)
				}
			}
		})
	}
}
