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
