package routes_test

import (
	"net/http"
	"testing"
	"time"

	"linkbase/stores"
	"linkbase/testutil"
)

// BenchmarkForgotPassword compares the answer time for a known and an
// unknown address (SECURITY.md: they must not be told apart). The mail is
// sent off the request path, so only the answer is timed; the known
// address is throttled after its first mail, as an attacker probing it
// would be.
func BenchmarkForgotPassword(b *testing.B) {
	app := testutil.Factory(b)
	b.Cleanup(app.Cleanup)
	app.Settings().RateLimits.Enabled = false
	testutil.CreateUser(b, app, "ann@example.com", "ann", nil)
	h := testutil.Handler(b, app)

	// Alternating the two addresses in one loop pairs the measurements, so
	// the load of a shared machine falls on both alike.
	bodies := [2]string{`{"email":"nobody@example.com"}`, `{"email":"ann@example.com"}`}
	var spent [2]time.Duration
	for b.Loop() {
		for i, body := range bodies {
			start := time.Now()
			rec := do(h, http.MethodPost, "/api/forgot-password", body)
			spent[i] += time.Since(start)
			if rec.Code != http.StatusNoContent {
				b.Fatalf("status %d", rec.Code)
			}
		}
	}
	stores.Of(app).Mail.Wait()
	b.ReportMetric(float64(spent[0].Nanoseconds())/float64(b.N), "ns/unknown")
	b.ReportMetric(float64(spent[1].Nanoseconds())/float64(b.N), "ns/known")
	b.ReportMetric(float64(spent[1]-spent[0])/float64(b.N), "ns/difference")
}
