package migrations_test

import (
	"fmt"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/migrations"
	"linkbase/schema"
	"linkbase/stores"
	"linkbase/testutil"
)

// rollupRows reads both rollups as comparable text, without their ids.
func rollupRows(t *testing.T, app core.App) map[string]bool {
	t.Helper()
	var rows []struct {
		Row string `db:"row"`
	}
	err := app.DB().NewQuery(`SELECT 'daily ' || referrer || ' ' || date || ' ' || visits || ' ' || signups || ' ' || successful AS row FROM referral_daily
		UNION ALL SELECT 'totals ' || referrer || ' ' || visits || ' ' || signups || ' ' || pending || ' ' || successful || ' ' ||
		  expired || ' ' || rejected || ' ' || credits_earned FROM referral_totals`).All(&rows)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]bool{}
	for _, r := range rows {
		m[r.Row] = true
	}
	return m
}

// TestBackfillCountsWhatExists: the migration's count of existing data
// equals what the app keeps up to date, and on data from before (when a
// sign-up claimed no visit) it gives every day at least as many visits as
// sign-ups.
func TestBackfillCountsWhatExists(t *testing.T) {
	app := testutil.NewApp(t)
	refs := stores.Of(app).Referrals
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	bob := testutil.CreateUser(t, app, "bob@example.com", "bob", nil)
	for i := range 9 {
		referrer := ann
		if i%3 == 0 {
			referrer = bob
		}
		u := testutil.CreateUser(t, app, fmt.Sprintf("u%d@example.com", i), fmt.Sprintf("user%d", i), map[string]any{schema.UserReferredBy: referrer.Id})
		if i%2 == 0 {
			u.SetVerified(true)
			if err := app.Save(u); err != nil {
				t.Fatal(err)
			}
		}
	}
	for i := range 5 {
		refs.RecordVisit(ann.GetString(schema.UserReferralCode), fmt.Sprintf("%032d", i))
	}
	if err := refs.FlushVisits(t.Context()); err != nil {
		t.Fatal(err)
	}
	kept := rollupRows(t, app)

	recount := func() {
		t.Helper()
		for _, q := range []string{"DELETE FROM referral_daily", "DELETE FROM referral_totals"} {
			if _, err := app.DB().NewQuery(q).Execute(); err != nil {
				t.Fatal(err)
			}
		}
		if err := migrations.BackfillReferralRollups(app); err != nil {
			t.Fatal(err)
		}
	}
	recount()
	if got := rollupRows(t, app); len(got) != len(kept) {
		t.Fatalf("backfill: %d rows, the app keeps %d", len(got), len(kept))
	} else {
		for row := range kept {
			if !got[row] {
				t.Errorf("the backfill lacks %q", row)
			}
		}
	}

	// Data from before: no sign-up claimed a visit, so bob's sign-ups had
	// none at all and ann's outnumbered her visits.
	if _, err := app.DB().NewQuery("DELETE FROM referral_visits WHERE referral != ''").Execute(); err != nil {
		t.Fatal(err)
	}
	recount()
	var short int
	if err := app.DB().NewQuery("SELECT COUNT(*) FROM referral_daily WHERE signups > visits").Row(&short); err != nil || short != 0 {
		t.Fatalf("%d days with more sign-ups than visits after the backfill (%v)", short, err)
	}
	var visits, signups int
	_ = app.DB().NewQuery("SELECT visits, signups FROM referral_totals WHERE referrer = {:u}").Bind(map[string]any{"u": bob.Id}).Row(&visits, &signups)
	if signups != 3 || visits != 3 {
		t.Errorf("bob: %d visits, %d sign-ups; want 3 and 3", visits, signups)
	}
}
