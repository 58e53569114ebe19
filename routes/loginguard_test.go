package routes_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"linkbase/loginguard"
	"linkbase/testutil"
)

// TestLoginBackOff: failed logins back off per account and address, the
// same way for unknown accounts, without locking out the real user
// elsewhere; the SDK's login shares the count.
func TestLoginBackOff(t *testing.T) {
	app := testutil.NewApp(t)
	testutil.RelaxRateLimits(t, app) // the per-IP limits are tested elsewhere
	testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	handler := testutil.Handler(t, app)
	login := func(path, identity, password, ip string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(`{"identity":"`+identity+`","password":"`+password+`"}`))
		req.Header.Set("Content-Type", "application/json")
		req.RemoteAddr = ip + ":5000"
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		return rec
	}
	const attacker, owner = "203.0.113.9", "198.51.100.20"

	for i := range loginguard.MaxFailures - 1 {
		if rec := login("/api/login", "ann", "wrong-guess-"+strconv.Itoa(i), attacker); rec.Code != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d, want 401", i+1, rec.Code)
		}
	}
	// The tenth failure comes through the SDK's endpoint: one count for both.
	if rec := login("/api/collections/users/auth-with-password", "ANN@example.com", "wrong-guess-x", attacker); rec.Code != http.StatusBadRequest {
		t.Fatalf("SDK failure: %d, want 400", rec.Code)
	}
	for _, path := range []string{"/api/login", "/api/collections/users/auth-with-password"} {
		rec := login(path, "ann", testutil.Password, attacker)
		retry, _ := strconv.Atoi(rec.Header().Get("Retry-After"))
		if rec.Code != http.StatusTooManyRequests || retry < 1 || retry > int(loginguard.Window.Seconds()) {
			t.Fatalf("%s after %d failures: %d, Retry-After %q; want 429 within the window", path, loginguard.MaxFailures, rec.Code, rec.Header().Get("Retry-After"))
		}
	}
	if rec := login("/api/login", "ann", testutil.Password, owner); rec.Code != http.StatusOK {
		t.Fatalf("the owner from another address: %d, want 200", rec.Code)
	}

	// Unknown accounts back off the same way, so a 429 reveals nothing.
	for range loginguard.MaxFailures {
		login("/api/login", "nobody", "wrong-guess", attacker)
	}
	if rec := login("/api/login", "nobody", "wrong-guess", attacker); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("unknown account after %d failures: %d, want 429", loginguard.MaxFailures, rec.Code)
	}

	// A success clears the count.
	for range loginguard.MaxFailures - 1 {
		login("/api/login", "ann", "wrong-guess", owner)
	}
	if rec := login("/api/login", "ann", testutil.Password, owner); rec.Code != http.StatusOK {
		t.Fatalf("login after 9 failures: %d", rec.Code)
	}
	for range loginguard.MaxFailures - 1 {
		if rec := login("/api/login", "ann", "wrong-guess", owner); rec.Code != http.StatusUnauthorized {
			t.Fatalf("the count was not cleared by the success: %d", rec.Code)
		}
	}
}
