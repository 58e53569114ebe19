package routes_test

import (
	"linkbase/testutil"
	"net/http"
	"testing"
)

// TestMailEndpointsRateLimited checks the default per-IP limits of the
// mail endpoints (SECURITY.md: 3 per minute for the mail requests).
func TestMailEndpointsRateLimited(t *testing.T) {
	for _, path := range []string{"/api/forgot-password", "/api/request-verification"} {
		t.Run(path, func(t *testing.T) {
			app := testutil.Factory(t)
			t.Cleanup(app.Cleanup)
			h := serve(t, app)
			for i := range 4 {
				want := http.StatusNoContent
				if i == 3 {
					want = http.StatusTooManyRequests
				}
				if rec := do(h, http.MethodPost, path, `{"email":"nobody@example.com"}`); rec.Code != want {
					t.Fatalf("request %d: status %d, want %d", i+1, rec.Code, want)
				}
			}
		})
	}
}

// FuzzResetPassword feeds arbitrary bodies to POST /api/reset-password:
// whatever arrives, the answer is a 4xx (the token is never valid here),
// never a 500 or a panic.
func FuzzResetPassword(f *testing.F) {
	for _, seed := range []string{
		`{"token":"a.b.c","password":"copper-meadow-4821"}`, `{"token":1}`, `[]`, `"x"`, `{"token":"\u0000"}`,
		`{"token":"eyJhbGciOiJub25lIn0.eyJpZCI6IngifQ.","password":"` + "\xff" + `"}`, `{`, ``,
	} {
		f.Add(seed)
	}
	app := testutil.Factory(f)
	f.Cleanup(app.Cleanup)
	app.Settings().RateLimits.Enabled = false
	h := serve(f, app)
	f.Fuzz(func(t *testing.T, body string) {
		rec := do(h, http.MethodPost, "/api/reset-password", body)
		if rec.Code < 400 || rec.Code >= 500 {
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body)
		}
	})
}
