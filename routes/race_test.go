package routes_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/pocketbase/dbx"

	"linkbase/schema"
	"linkbase/testutil"
)

// TestConcurrentRegistrations races many sign-ups for one email, and for
// one username: exactly one wins, every other gets the *_taken error, and
// none a 500.
func TestConcurrentRegistrations(t *testing.T) {
	const n = 30
	for _, c := range []struct {
		name, code string
		body       func(i int) string
		stored     dbx.Expression
	}{
		{"one email", "email_taken", func(i int) string {
			return fmt.Sprintf(`{"email":"same@example.com","username":"user%02d","password":"quiet-river-5512"}`, i)
		}, dbx.HashExp{"email": "same@example.com"}},
		{"one username", "username_taken", func(i int) string {
			return fmt.Sprintf(`{"email":"user%02d@example.com","username":"Same","password":"quiet-river-5512"}`, i)
		}, dbx.HashExp{"username": "same"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			app := testutil.NewApp(t)
			testutil.RelaxRateLimits(t, app)
			handler := testutil.Handler(t, app)

			var mu sync.Mutex
			statuses := map[int]int{}
			taken := 0
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					rec := httptest.NewRecorder()
					handler.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/api/register", strings.NewReader(c.body(i))))
					mu.Lock()
					defer mu.Unlock()
					statuses[rec.Code]++
					if rec.Code == http.StatusBadRequest && strings.Contains(rec.Body.String(), `"code":"`+c.code+`"`) {
						taken++
					}
				}()
			}
			wg.Wait()

			if statuses[http.StatusCreated] != 1 || taken != n-1 {
				t.Fatalf("statuses %v, %d with %s; want one 201 and %d %s", statuses, taken, c.code, n-1, c.code)
			}
			if stored, _ := app.CountRecords(schema.Users, c.stored); stored != 1 {
				t.Fatalf("%d users stored, want 1", stored)
			}
		})
	}
}
