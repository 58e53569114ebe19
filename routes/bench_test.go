package routes_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"golang.org/x/crypto/bcrypt"

	"linkbase/schema"
	"linkbase/state"
	"linkbase/stores"
	"linkbase/testutil"
)

// BenchmarkAccountEndpoints measures each hot endpoint next to
// PocketBase's built-in endpoint it is compared with, through the full
// router (caches warm after the first request), so a profile (-cpuprofile) shows our overhead beside theirs.
// bcrypt runs at the test cost (4), which makes that overhead visible;
// the load tool measures them at the real cost.
func BenchmarkAccountEndpoints(b *testing.B) {
	app := testutil.NewApp(b)
	testutil.RelaxRateLimits(b, app)
	h := testutil.Handler(b, app)
	ann := testutil.CreateUser(b, app, "ann@example.com", "ann", nil)
	annToken := testutil.Token(b, ann)
	admin := testutil.SuperuserToken(b, app)
	login := fmt.Sprintf(`{"identity":"ann","password":%q}`, testutil.Password)
	link := testutil.SeedLink(b, app, ann, "shop", 1, nil)
	// The crawler list and the user-agent trie are built at their first
	// use, once per process: not the cost of a request.
	testutil.Send(h, http.MethodGet, "/ann", "", map[string]string{"User-Agent": laptop})

	for _, c := range []struct {
		name, method, path, token string
		body                      func(i int) string
		want                      int
	}{
		{"me", http.MethodGet, "/api/me", annToken, nil, http.StatusOK},
		{"me/baseline_record_view", http.MethodGet, "/api/collections/users/records/" + ann.Id, annToken, nil, http.StatusOK},
		{"login", http.MethodPost, "/api/login", "", func(int) string { return login }, http.StatusOK},
		{"login/baseline_auth_with_password", http.MethodPost, "/api/collections/users/auth-with-password", "", func(int) string { return login }, http.StatusOK},
		{"register", http.MethodPost, "/api/register", "", func(i int) string {
			return fmt.Sprintf(`{"email":"reg%05d@example.com","username":"reg%05d","password":%q}`, i, i, testutil.Password)
		}, http.StatusCreated},
		{"register/baseline_superuser_create", http.MethodPost, "/api/collections/users/records", admin, func(i int) string {
			return fmt.Sprintf(`{"email":"su%05d@example.com","username":"su%05d","password":%q,"passwordConfirm":%q}`, i, i, testutil.Password, testutil.Password)
		}, http.StatusOK},
		{"referral_stats", http.MethodGet, "/api/referral-stats", annToken, nil, http.StatusOK},
		{"referrals", http.MethodGet, "/api/referrals", annToken, nil, http.StatusOK},
		{"profile", http.MethodGet, "/api/profiles/ann", "", nil, http.StatusOK},
		{"page", http.MethodGet, "/ann", "", nil, http.StatusOK},
		{"click", http.MethodGet, "/l/" + link.Id, "", nil, http.StatusFound},
		{"health/baseline_of_profile_page_and_click", http.MethodGet, "/api/health", "", nil, http.StatusOK},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				body := ""
				if c.body != nil {
					body = c.body(i)
				}
				headers := map[string]string{"User-Agent": laptop} // a person: views and clicks count
				if c.token != "" {
					headers["Authorization"] = c.token
				}
				rec := testutil.Send(h, c.method, c.path, body, headers)
				if rec.Code != c.want {
					b.Fatalf("%s %s: %d %s", c.method, c.path, rec.Code, rec.Body)
				}
			}
		})
	}
}

// BenchmarkPasswordHash is the bcrypt work that bounds login and
// register, at the test cost and at PocketBase's default cost (10).
func BenchmarkPasswordHash(b *testing.B) {
	for _, cost := range []int{bcrypt.MinCost, bcrypt.DefaultCost} {
		hash, err := bcrypt.GenerateFromPassword([]byte(testutil.Password), cost)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprint("compare/cost=", cost), func(b *testing.B) {
			for b.Loop() {
				if bcrypt.CompareHashAndPassword(hash, []byte(testutil.Password)) != nil {
					b.Fatal("mismatch")
				}
			}
		})
	}
}

// BenchmarkUserLookups measures the lookups of every sign-up and login
// on a table of 20,000 users, with the lookup indexes of migration
// 1764800000 and without them (the partial unique indexes alone, which
// SQLite cannot use for "email = ?").
func BenchmarkUserLookups(b *testing.B) {
	const users = 20_000
	app := testutil.NewApp(b)
	err := app.RunInTransaction(func(tx core.App) error {
		for i := range users {
			_, err := tx.DB().Insert(schema.Users, dbx.Params{
				"id": fmt.Sprintf("u%014d", i), "email": fmt.Sprintf("user%d@example.com", i),
				schema.UserUsername: fmt.Sprintf("user%d", i), schema.UserReferralCode: fmt.Sprintf("c%07d", i),
				"password": "x", "tokenKey": fmt.Sprintf("k%d", i),
			}).Execute()
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	queries := map[string]dbx.Expression{
		"email":         dbx.NewExp("[[email]] = {:v} COLLATE NOCASE", dbx.Params{"v": "USER12345@example.com"}),
		"referral_code": dbx.HashExp{schema.UserReferralCode: "c0012345"},
	}
	for _, indexed := range []bool{true, false} {
		if !indexed {
			for _, idx := range []string{"idx_email__pb_users_auth_", "idx_users_referral_code"} {
				if _, err := app.DB().NewQuery("DROP INDEX " + idx).Execute(); err != nil {
					b.Fatal(err)
				}
			}
		}
		for _, field := range []string{"email", "referral_code"} {
			b.Run(fmt.Sprintf("%s/lookup_index=%v", field, indexed), func(b *testing.B) {
				for b.Loop() {
					if n, err := app.CountRecords(schema.Users, queries[field]); err != nil || n != 1 {
						b.Fatal(n, err)
					}
				}
			})
		}
	}
}

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
			rec := testutil.Send(h, http.MethodPost, "/api/forgot-password", body, nil)
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

// BenchmarkRegisterPageVisit measures the sign-up page's hot path with a
// new visitor on every request (render, hash, dedupe, queue; flushes in
// batches of 500 happen in the background).
func BenchmarkRegisterPageVisit(b *testing.B) {
	app := testutil.NewApp(b)
	h := testutil.Handler(b, app)
	ann := testutil.CreateUser(b, app, "ann@example.com", "ann", nil)
	url := "/register?referral=" + ann.GetString(schema.UserReferralCode)
	for i := 0; b.Loop(); i++ {
		if rec := testutil.Send(h, http.MethodGet, url, "", map[string]string{"User-Agent": fmt.Sprint("ua", i)}); rec.Code != http.StatusOK {
			b.Fatal(rec.Code)
		}
	}
	b.StopTimer()
	if err := stores.Of(app).Referrals.FlushVisits(context.Background()); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkReferralStats compares GET /api/referral-stats served from the
// cache with the same request after an invalidation each time.
func BenchmarkReferralStats(b *testing.B) {
	for _, cached := range []bool{true, false} {
		b.Run(fmt.Sprint("cached=", cached), func(b *testing.B) {
			app := testutil.NewApp(b)
			h := testutil.Handler(b, app)
			app.Settings().RateLimits.Enabled = false // measure the handler, not the limiter
			if err := app.Save(app.Settings()); err != nil {
				b.Fatal(err)
			}
			ann := testutil.CreateUser(b, app, "ann@example.com", "ann", nil)
			auth := authHeader(b, ann)
			for b.Loop() {
				if !cached {
					stores.Of(app).Referrals.InvalidateStats(ann.Id)
				}
				if rec := testutil.Send(h, http.MethodGet, "/api/referral-stats", "", auth); rec.Code != http.StatusOK {
					b.Fatal(rec.Code)
				}
			}
		})
	}
}

// BenchmarkProfilePageCached measures GET /{username} answered from the
// cache, view counting included.
func BenchmarkProfilePageCached(b *testing.B) {
	app := annWithLinks(b)
	defer app.Cleanup()
	h := testutil.Handler(b, app)
	testutil.Send(h, http.MethodGet, "/ann", "", nil)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if res := testutil.Send(h, http.MethodGet, "/ann", "", map[string]string{"User-Agent": laptop}); res.Code != http.StatusOK {
				b.Fatal(res.Code)
			}
		}
	})
}

// BenchmarkClick measures GET /l/{id}: one indexed read and a buffered
// count; the flush afterwards shows what a batch write costs.
func BenchmarkClick(b *testing.B) {
	b.Setenv("LINKBASE_COUNTER_FLUSH_INTERVAL", "1h")
	app := annWithLinks(b)
	defer app.Cleanup()
	h := testutil.Handler(b, app)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if res := testutil.Send(h, http.MethodGet, "/l/"+testutil.LinkID("first"), "", map[string]string{"User-Agent": laptop}); res.Code != http.StatusFound {
				b.Fatal(res.Code)
			}
		}
	})
	b.StopTimer()
	if err := stores.Of(app).Links.FlushHits(context.Background()); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkProfileAfterReplicatedChange prices the choice of clearing
// every cache after each replicated transaction (state.ClearCaches): a
// profile read answered from the cache, against one read right after a
// clear (a load from SQLite and a render), as a replica does once per
// profile per replicated batch.
func BenchmarkProfileAfterReplicatedChange(b *testing.B) {
	for _, cleared := range []bool{false, true} {
		b.Run(fmt.Sprint("cleared=", cleared), func(b *testing.B) {
			app := annWithLinks(b)
			defer app.Cleanup()
			testutil.RelaxRateLimits(b, app) // measure the read, not the limiter
			h := testutil.Handler(b, app)
			testutil.Send(h, http.MethodGet, "/api/profiles/ann", "", nil)
			b.ReportAllocs()
			for b.Loop() {
				if cleared {
					state.ClearCaches()
				}
				if res := testutil.Send(h, http.MethodGet, "/api/profiles/ann", "", nil); res.Code != http.StatusOK {
					b.Fatal(res.Code)
				}
			}
		})
	}
}
