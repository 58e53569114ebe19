package webhookstore_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"linkbase/schema"
	"linkbase/testutil"
	"linkbase/webhook"
	"linkbase/webhookstore"
)

// TestPruningUsesIndexes: the hourly pruning searches the attempt log and
// the outbox by index; a scan of either would read every row, delivered
// or not, while it holds the write lock.
func TestPruningUsesIndexes(t *testing.T) {
	app, _, _ := newApp(t)
	for _, q := range webhookstore.PruneQueries {
		var plan []struct {
			Detail string `db:"detail"`
		}
		if err := app.DB().NewQuery("EXPLAIN QUERY PLAN " + q).Bind(dbx.Params{"cutoff": "2026-01-01 00:00:00.000Z"}).All(&plan); err != nil {
			t.Fatal(err)
		}
		if len(plan) == 0 {
			t.Fatalf("no plan for %s", q)
		}
		for _, step := range plan {
			if strings.HasPrefix(step.Detail, "SCAN ") {
				t.Errorf("%s: %s", q, step.Detail)
			}
		}
	}
}

// TestPruningDropsWhatFinishedLongAgo: 30 days after it finished, a
// delivered message and the attempt log go; a message still being
// retried stays, whatever its age.
func TestPruningDropsWhatFinishedLongAgo(t *testing.T) {
	app, s, clock := newApp(t)
	r := newReceiver(t, http.StatusOK, http.StatusServiceUnavailable)
	addWebhook(t, app, r.URL, "", webhook.UserCreated)
	testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	deliver(t, s) // 200: delivered
	testutil.CreateUser(t, app, "bob@example.com", "bob", nil)
	deliver(t, s) // 503: pending, retried later

	clock.Advance(29 * 24 * time.Hour)
	deliver(t, s)
	if n, m := len(outbox(t, app)), len(attempts(t, app)); n != 2 || m != 3 {
		t.Fatalf("after 29 days: %d messages and %d attempts, want 2 and 3", n, m)
	}
	clock.Advance(2 * 24 * time.Hour)
	deliver(t, s)
	rows := outbox(t, app)
	if len(rows) != 1 || rows[0].GetString(schema.OutboxStatus) != schema.OutboxPending {
		t.Fatalf("after 31 days: %d messages (%v), want bob's pending one", len(rows), rows)
	}
	if n := len(attempts(t, app)); n != 2 {
		t.Fatalf("after 31 days: %d attempts, want bob's retries of days 29 and 31", n)
	}
}
