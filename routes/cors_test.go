package routes_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"linkbase/testutil"
)

func TestCORS(t *testing.T) {
	t.Setenv("LINKBASE_ALLOWED_ORIGINS", "https://app.example.org")
	handler := testutil.Handler(t, testutil.NewApp(t))
	for _, c := range []struct {
		name, method, origin, wantOrigin, wantCredentials string
	}{
		{"configured origin, preflight", http.MethodOptions, "https://app.example.org", "https://app.example.org", "true"},
		{"configured origin, request", http.MethodGet, "https://app.example.org", "https://app.example.org", "true"},
		{"other origin, preflight", http.MethodOptions, "https://evil.example", "*", ""},
		{"other origin, request", http.MethodGet, "https://evil.example", "*", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			req := httptest.NewRequest(c.method, "/api/health", nil)
			req.Header.Set("Origin", c.origin)
			if c.method == http.MethodOptions {
				req.Header.Set("Access-Control-Request-Method", http.MethodPost)
			}
			rec := httptest.NewRecorder()
			handler.ServeHTTP(rec, req)
			h := rec.Header()
			if h.Get("Access-Control-Allow-Origin") != c.wantOrigin || h.Get("Access-Control-Allow-Credentials") != c.wantCredentials {
				t.Fatalf("Allow-Origin %q, Allow-Credentials %q; want %q, %q",
					h.Get("Access-Control-Allow-Origin"), h.Get("Access-Control-Allow-Credentials"), c.wantOrigin, c.wantCredentials)
			}
		})
	}
}
