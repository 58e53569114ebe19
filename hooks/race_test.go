package hooks_test

import (
	"fmt"
	"sync"
	"testing"

	"linkbase/schema"
	"linkbase/testutil"
)

// TestConcurrentCompletionRewardsOnce races a verification against two
// admins setting the same referral successful: one reward per referral.
func TestConcurrentCompletionRewardsOnce(t *testing.T) {
	const n = 12
	app := testutil.NewApp(t)
	updateSettings(t, app, map[string]any{schema.SettingMilestones: `[]`})
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	var wg sync.WaitGroup
	for i := range n {
		u := referred(t, app, ann, fmt.Sprintf("u%d@example.com", i), fmt.Sprintf("user%d", i))
		ref := referralOf(t, app, u)
		wg.Add(3)
		go func() { defer wg.Done(); verify(t, app, u) }()
		for range 2 {
			go func() {
				defer wg.Done()
				_ = setStatus(app, ref, schema.StatusSuccessful)
			}()
		}
	}
	wg.Wait()
	wantCredits(t, app, ann, n*10)
	if rows, _ := app.CountRecords(schema.Rewards); rows != n {
		t.Errorf("%d ledger rows, want %d", rows, n)
	}
}
