package routes_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/testutil"
)

func TestSecurityHeaders(t *testing.T) {
	app := testutil.NewApp(t)
	handler := testutil.Handler(t, app)
	for _, path := range []string{"/api/health", "/api/me", "/api/nope"} {
		h := testutil.Send(handler, http.MethodGet, path, "", nil).Header()
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: Content-Security-Policy %q", path, csp)
		}
		if h.Get("X-Frame-Options") != "DENY" || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
			t.Errorf("%s: headers %v", path, h)
		}
	}
	if testutil.Send(handler, http.MethodGet, "/_/", "", nil).Header().Get("Content-Security-Policy") != "" {
		t.Error("the dashboard must keep PocketBase's own headers")
	}
}

// TestDefaultRateLimits: a fresh install limits logins per IP without any
// configuration, and says when to come back.
func TestDefaultRateLimits(t *testing.T) {
	app := testutil.NewApp(t)
	handler := testutil.Handler(t, app)
	statuses := []int{}
	var last *httptest.ResponseRecorder
	for range 11 {
		last = testutil.Send(handler, http.MethodPost, "/api/login", `{"identity":"ann","password":"quiet-river-5512"}`, nil)
		statuses = append(statuses, last.Code)
	}
	for i, s := range statuses[:10] {
		if s != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d, want 401 (statuses %v)", i+1, s, statuses)
		}
	}
	if last.Code != http.StatusTooManyRequests || last.Header().Get("Retry-After") != "60" {
		t.Fatalf("11th attempt: %d with Retry-After %q, want 429 with 60", last.Code, last.Header().Get("Retry-After"))
	}

	// Another address is not affected by this address's limit (trying
	// another account: ann's own budget is spent, across all addresses).
	rec := testutil.Send(handler, http.MethodPost, "/api/login", `{"identity":"bob","password":"quiet-river-5512"}`, map[string]string{"RemoteAddr": "198.51.100.7:4000"})
	if rec.Code != http.StatusUnauthorized {
		t.Fatalf("another address: %d, want 401", rec.Code)
	}
}

// TestUnexpectedErrorsRevealNothing: a failure deep inside answers a
// generic 500 with a request id to trace it in the logs.
func TestUnexpectedErrorsRevealNothing(t *testing.T) {
	app := testutil.NewApp(t)
	handler := testutil.Handler(t, app, func(e *core.ServeEvent) {
		e.Router.GET("/api/boom", func(re *core.RequestEvent) error {
			return re.InternalServerError("", errors.New("near /srv/linkbase/routes/x.go: SELECT secret FROM users"))
		})
	})
	rec := testutil.Send(handler, http.MethodGet, "/api/boom", "", nil)
	if rec.Code != http.StatusInternalServerError || rec.Header().Get("X-Request-Id") == "" {
		t.Fatalf("%d with X-Request-Id %q", rec.Code, rec.Header().Get("X-Request-Id"))
	}
	for _, leak := range []string{"SELECT", "secret", ".go", "/srv"} {
		if strings.Contains(rec.Body.String(), leak) {
			t.Fatalf("the answer reveals %q: %s", leak, rec.Body)
		}
	}
}

// TestRateLimitsTrustOnlyConfiguredProxyHeaders: a client cannot dodge the
// per-IP limits by sending X-Forwarded-For, unless an admin configured that
// header as the trusted proxy's; then each forwarded address counts alone.
func TestRateLimitsTrustOnlyConfiguredProxyHeaders(t *testing.T) {
	register := func(handler http.Handler, i int, forwarded string) int {
		return testutil.Send(handler, http.MethodPost, "/api/register", `{}`, map[string]string{"X-Forwarded-For": forwarded}).Code
	}

	app := testutil.NewApp(t)
	handler := testutil.Handler(t, app)
	var codes []int
	for i := range 6 {
		codes = append(codes, register(handler, i, "198.51.100."+strconv.Itoa(i)))
	}
	if codes[4] != http.StatusBadRequest || codes[5] != http.StatusTooManyRequests {
		t.Fatalf("untrusted X-Forwarded-For: %v, want 5 answers then 429 (5/min)", codes)
	}

	trusted := testutil.NewApp(t)
	trusted.Settings().TrustedProxy.Headers = []string{"X-Forwarded-For"}
	if err := trusted.Save(trusted.Settings()); err != nil {
		t.Fatal(err)
	}
	handler = testutil.Handler(t, trusted)
	for i := range 6 {
		if code := register(handler, i, "198.51.100."+strconv.Itoa(i)); code != http.StatusBadRequest {
			t.Fatalf("trusted header, address %d: %d, want 400 (its own limit)", i, code)
		}
	}
}
