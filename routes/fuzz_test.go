package routes_test

import (
	"net/http"
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
			rec := testutil.Send(handler, http.MethodPost, path, payload, nil)
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
		cookie := (&http.Cookie{Name: "session", Value: token}).String()
		for _, r := range []struct {
			method, path, body string
			headers            map[string]string
		}{
			{http.MethodGet, "/api/me", "", map[string]string{"Authorization": token}},
			{http.MethodGet, "/api/me", "", map[string]string{"Cookie": cookie}},
			{http.MethodPost, "/api/logout", `{"everywhere":true}`, map[string]string{"Cookie": cookie + "; csrf_token=t", "X-CSRF-Token": "t"}},
		} {
			rec := testutil.Send(handler, r.method, r.path, r.body, r.headers)
			if rec.Code >= 500 || rec.Code == http.StatusOK || rec.Code == http.StatusNoContent {
				t.Fatalf("%s %s with token %q: %d %s", r.method, r.path, token, rec.Code, rec.Body)
			}
		}
	})
}

// FuzzReferralEndpoints sends arbitrary query strings to the referral
// endpoints and the sign-up page: never a 500, never a panic.
func FuzzReferralEndpoints(f *testing.F) {
	for _, seed := range []string{
		"page=1&per_page=20&status=pending", "page=-1", "per_page=1e9", "status=%00", "page=99999999999999999999",
		"referral=%ff%fe", "referral=<script>", "status=' OR 1=1 --", "per_page=&page=&status=",
		"cursor=MjAyNi0xMS0yNCAxMDowMDowMC4wMDBafDE", "cursor=%00", "cursor=' OR 1=1 --&per_page=5", "cursor=fDk5OTk5OTk5OTk5OTk5OTk5OTk5",
	} {
		f.Add(seed)
	}
	app := testutil.NewApp(f)
	app.Settings().RateLimits.Enabled = false
	if err := app.Save(app.Settings()); err != nil {
		f.Fatal(err)
	}
	h := testutil.Handler(f, app)
	ann := testutil.CreateUser(f, app, "ann@example.com", "ann", nil)
	auth := authHeader(f, ann)
	f.Fuzz(func(t *testing.T, query string) {
		for _, path := range []string{"/api/referrals", "/api/referral-stats", "/register"} {
			// The query is sent as is: whatever bytes a client manages to send.
			rec := testutil.Send(h, http.MethodGet, path, "", map[string]string{"RawQuery": query, "Authorization": auth["Authorization"]})
			if rec.Code >= 500 {
				t.Errorf("GET %s?%q: %d %s", path, query, rec.Code, rec.Body)
			}
		}
	})
}
