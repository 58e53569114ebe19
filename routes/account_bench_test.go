package routes_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"golang.org/x/crypto/bcrypt"

	"linkbase/testutil"
)

// BenchmarkAccountEndpoints measures each account endpoint next to
// PocketBase's built-in endpoint doing the same work, through the full
// router, so a profile (-cpuprofile) shows our overhead beside theirs.
// bcrypt runs at the test cost (4), which makes that overhead visible;
// the load tool measures them at the real cost.
func BenchmarkAccountEndpoints(b *testing.B) {
	app := testutil.NewApp(b)
	testutil.RelaxRateLimits(b, app)
	h := testutil.Handler(b, app)
	ann := testutil.CreateUser(b, app, "ann@example.com", "ann", nil)
	annToken := testutil.Token(b, ann)
	admin := perfSuperuserToken(b, app)
	login := fmt.Sprintf(`{"identity":"ann","password":%q}`, testutil.Password)

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

// perfSuperuserToken creates a superuser and returns its auth token.
func perfSuperuserToken(t testing.TB, app core.App) string {
	t.Helper()
	superusers, err := app.FindCollectionByNameOrId(core.CollectionNameSuperusers)
	if err != nil {
		t.Fatal(err)
	}
	admin := core.NewRecord(superusers)
	admin.SetEmail("admin@example.com")
	admin.SetPassword(testutil.Password)
	if err := app.Save(admin); err != nil {
		t.Fatal(err)
	}
	return testutil.Token(t, admin)
}
