package routes_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"linkbase/testutil"
)

func TestSecurityHeaders(t *testing.T) {
	app := testutil.NewApp(t)
	handler := testutil.Handler(t, app)
	for _, path := range []string{"/api/health", "/api/me", "/api/nope"} {
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		h := rec.Header()
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: Content-Security-Policy %q", path, csp)
		}
		if h.Get("X-Frame-Options") != "DENY" || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
			t.Errorf("%s: headers %v", path, h)
		}
	}
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/_/", nil))
	if rec.Header().Get("Content-Security-Policy") != "" {
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
		last = httptest.NewRecorder()
		handler.ServeHTTP(last, httptest.NewRequest(http.MethodPost, "/api/login", strings.NewReader(`{"identity":"ann","password":"quiet-river-5512"}`)))
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

	// Another address is not affected.
	req := httptest.NewRequest(http.MethodPost, "/api/login", strings.NewReader(`{"identity":"ann","password":"quiet-river-5512"}`))
	req.RemoteAddr = "198.51.100.7:4000"
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusUnauthorized {
		t.Fatalf("another address: %d, want 401", rec.Code)
	}
}
