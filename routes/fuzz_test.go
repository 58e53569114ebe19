package routes_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"linkbase/testutil"
)

// FuzzAccountBodies sends arbitrary bodies to register and login through
// the full router. Invariant: no panic and no 5xx. The seeds (the bad-input
// table) run in every `go test`; `go test -fuzz FuzzAccountBodies ./routes`
// explores further.
func FuzzAccountBodies(f *testing.F) {
	for _, seed := range badBodies {
		f.Add(seed)
	}
	f.Add(`{"email":"fuzz@example.com","username":"fuzz","password":"quiet-river-5512"}`)
	f.Add(`{"identity":"fuzz","password":"quiet-river-5512"}`)

	app := testutil.NewApp(f)
	testutil.RelaxRateLimits(f, app)
	handler := testutil.Handler(f, app)

	f.Fuzz(func(t *testing.T, payload string) {
		for _, path := range []string{"/api/register", "/api/login"} {
			rec := httptest.NewRecorder()
			handler.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, path, strings.NewReader(payload)))
			if rec.Code >= 500 {
				t.Fatalf("%s answered %d to %q: %s", path, rec.Code, payload, rec.Body)
			}
		}
	})
}

// FuzzTokens sends arbitrary strings as the Authorization header and as
// the session cookie (with the CSRF pair, on an unsafe request too).
// Invariant: never authenticated, never a 5xx, never a panic.
func FuzzTokens(f *testing.F) {
	for _, seed := range []string{
		"", "Bearer ", "bearer x.y.z", "eyJhbGciOiJub25lIn0.eyJpZCI6IngifQ.",
		"a.b.c", "....", "\x00", "eyJ", strings.Repeat("A", 5000),
	} {
		f.Add(seed)
	}
	app := testutil.NewApp(f)
	testutil.RelaxRateLimits(f, app)
	handler := testutil.Handler(f, app)

	f.Fuzz(func(t *testing.T, token string) {
		byHeader := httptest.NewRequest(http.MethodGet, "/api/me", nil)
		byHeader.Header.Set("Authorization", token)
		byCookie := httptest.NewRequest(http.MethodGet, "/api/me", nil)
		byCookie.AddCookie(&http.Cookie{Name: "session", Value: token})
		unsafe := httptest.NewRequest(http.MethodPost, "/api/logout", strings.NewReader(`{"everywhere":true}`))
		unsafe.AddCookie(&http.Cookie{Name: "session", Value: token})
		unsafe.AddCookie(&http.Cookie{Name: "csrf_token", Value: "t"})
		unsafe.Header.Set("X-CSRF-Token", "t")
		for _, req := range []*http.Request{byHeader, byCookie, unsafe} {
			rec := httptest.NewRecorder()
			handler.ServeHTTP(rec, req)
			if rec.Code >= 500 || rec.Code == http.StatusOK || rec.Code == http.StatusNoContent {
				t.Fatalf("%s %s with token %q: %d %s", req.Method, req.URL.Path, token, rec.Code, rec.Body)
			}
		}
	})
}
