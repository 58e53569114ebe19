package routes_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"golang.org/x/crypto/bcrypt"

	"linkbase/schema"
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
	link := seedLink(b, app, ann, "shop", 1, nil)

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
		{"click", http.MethodGet, "/l/" + link.Id, "", nil, http.StatusFound},
		{"health/baseline_of_profile_and_click", http.MethodGet, "/api/health", "", nil, http.StatusOK},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				body := ""
				if c.body != nil {
					body = c.body(i)
				}
				req := httptest.NewRequest(c.method, c.path, strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				if c.token != "" {
					req.Header.Set("Authorization", c.token)
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
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
