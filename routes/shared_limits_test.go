package routes_test

import (
	"net/http"
	"strconv"
	"testing"

	"linkbase/stores"
	"linkbase/testutil"
)

// twoNodes are two apps sharing one Redis, as two cluster nodes do (their
// databases are apart here; the limits never read them).
func twoNodes(t *testing.T, rateLimits bool) []http.Handler {
	t.Helper()
	rdb := testutil.Redis(t)
	t.Setenv(stores.RedisURLEnv, "redis://"+rdb.Options().Addr+"/0")
	var nodes []http.Handler
	for range 2 {
		app := testutil.NewApp(t)
		if !rateLimits {
			testutil.RelaxRateLimits(t, app)
		}
		nodes = append(nodes, testutil.Handler(t, app))
	}
	return nodes
}

func TestRateLimitRulesHoldAcrossNodes(t *testing.T) {
	nodes := twoNodes(t, true)
	// POST /api/forgot-password: 3 per minute per client (the default rule).
	for i := range 3 {
		w := testutil.Send(nodes[i%2], "POST", "/api/forgot-password", `{"email":"ann@example.com"}`, map[string]string{"RemoteAddr": "203.0.113.7:1"})
		if w.Code != http.StatusNoContent {
			t.Fatalf("request %d on node %d: %d %s", i+1, i%2+1, w.Code, w.Body)
		}
	}
	for n, node := range nodes {
		w := testutil.Send(node, "POST", "/api/forgot-password", `{"email":"ann@example.com"}`, map[string]string{"RemoteAddr": "203.0.113.7:1"})
		if w.Code != http.StatusTooManyRequests {
			t.Fatalf("a 4th request on node %d: %d, want 429 (3 per minute across the nodes)", n+1, w.Code)
		}
		if s, err := strconv.Atoi(w.Header().Get("Retry-After")); err != nil || s < 1 || s > 60 {
			t.Fatalf("Retry-After %q", w.Header().Get("Retry-After"))
		}
	}
	// Another client is not held back.
	if w := testutil.Send(nodes[1], "POST", "/api/forgot-password", `{"email":"ann@example.com"}`, map[string]string{"RemoteAddr": "203.0.113.8:1"}); w.Code != http.StatusNoContent {
		t.Fatalf("another client: %d", w.Code)
	}
}

func TestLoginBackOffHoldsAcrossNodes(t *testing.T) {
	nodes := twoNodes(t, false) // the 429 must be the back-off's, not the per-IP rule's
	body := `{"identity":"nobody-here","password":"wrong-password-123"}`
	// Ten failures spread over the nodes.
	for i := range 10 {
		w := testutil.Send(nodes[i%2], "POST", "/api/login", body, map[string]string{"RemoteAddr": "203.0.113.7:1"})
		if w.Code != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d %s", i+1, w.Code, w.Body)
		}
	}
	for n, node := range nodes {
		w := testutil.Send(node, "POST", "/api/login", body, map[string]string{"RemoteAddr": "203.0.113.7:2"})
		if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
			t.Fatalf("node %d after 10 failures: %d, want 429 with Retry-After", n+1, w.Code)
		}
	}
}
