package routes_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"linkbase/schema"
	"linkbase/stores"
	"linkbase/testutil"
)

// TestConcurrentVisitsAreExact records the same 40 visitors from many
// goroutines while flushes run: exactly 40 visits are stored.
func TestConcurrentVisitsAreExact(t *testing.T) {
	app := testutil.NewApp(t)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	code := ann.GetString(schema.UserReferralCode)
	visits := stores.Of(app).Referrals
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 40 {
				visits.RecordVisit(code, fmt.Sprintf("%032d", (g+i)%40))
				if i%10 == 0 {
					if err := visits.FlushVisits(context.Background()); err != nil {
						t.Error(err)
					}
				}
			}
		}()
	}
	wg.Wait()
	if err := visits.FlushVisits(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := visitRows(t, app); n != 40 {
		t.Errorf("%d visits stored, want 40", n)
	}
}
