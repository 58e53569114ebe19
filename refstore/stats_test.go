package refstore_test

import (
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/refstore"
	"linkbase/schema"
	"linkbase/state"
	"linkbase/stores"
	"linkbase/testutil"
)

func TestUserStats(t *testing.T) {
	clock := state.NewManualClock(time.Now())
	app := testutil.NewAppAt(t, clock.Now)
	refs := stores.Of(app).Referrals
	ann := testutil.SeedReferrals(t, app)

	c, err := refs.UserStats(ann.Id)
	if err != nil {
		t.Fatal(err)
	}
	if c.Signups != 3 || c.Successful != 1 || c.Pending != 1 || c.Rejected != 1 || c.Expired != 0 ||
		c.CreditsEarned != 10 || c.CreditsBalance != 10 || c.NextMilestone == nil || c.NextMilestone.Successful != 5 {
		t.Fatalf("stats %+v", c)
	}
	today := clock.Now().UTC().Format(time.DateOnly)
	// Each sign-up counts as a visit (none of them visited the link first).
	if len(c.Last30Days) != 30 || c.Last30Days[29] != (refstore.DayStats{Date: today, Visits: 3, Signups: 3, Successful: 1}) {
		t.Fatalf("last day %+v of %d", c.Last30Days[len(c.Last30Days)-1], len(c.Last30Days))
	}
}

// TestStatsFollowEveryWrite reads the (cached) stats after each kind of
// write: visits, sign-ups, verification, manual rewards, admin status
// changes and rule changes all show at once.
func TestStatsFollowEveryWrite(t *testing.T) {
	app := testutil.NewApp(t)
	refs := stores.Of(app).Referrals
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	code := ann.GetString(schema.UserReferralCode)
	stats := func() refstore.Counts {
		t.Helper()
		c, err := refs.UserStats(ann.Id)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}

	if c := stats(); c.Visits != 0 || c.Signups != 0 {
		t.Fatalf("fresh stats: %+v", c)
	}
	for _, visitor := range []string{"a", "b", "b", "c"} {
		refs.RecordVisit(code, visitor)
	}
	if err := refs.FlushVisits(ctx); err != nil {
		t.Fatal(err)
	}
	if c := stats(); c.Visits != 3 || c.Last30Days[29].Visits != 3 {
		t.Errorf("visits %d (today %d), want 3 distinct visitors", c.Visits, c.Last30Days[29].Visits)
	}

	// bob's sign-up (made without a request, so from no known visitor)
	// counts as a visit of its own: 1 sign-up from 4 visits.
	bob := testutil.CreateUser(t, app, "bob@example.com", "bob", map[string]any{schema.UserReferredBy: ann.Id})
	if c := stats(); c.Signups != 1 || c.Pending != 1 || c.Visits != 4 || c.ConversionRate != 0.25 {
		t.Errorf("after a sign-up: %+v", c)
	}
	bob.SetVerified(true)
	if err := app.Save(bob); err != nil {
		t.Fatal(err)
	}
	if c := stats(); c.Successful != 1 || c.Pending != 0 || c.CreditsEarned != 10 || c.CreditsBalance != 10 || c.Last30Days[29].Successful != 1 {
		t.Errorf("after verification: %+v", c)
	}
	rewards, _ := app.FindCollectionByNameOrId(schema.Rewards)
	manual := core.NewRecord(rewards)
	manual.Load(map[string]any{schema.RewardUser: ann.Id, schema.RewardKind: schema.RewardKindManual, schema.RewardAmount: 7})
	if err := app.Save(manual); err != nil {
		t.Fatal(err)
	}
	if c := stats(); c.CreditsBalance != 17 || c.CreditsEarned != 10 {
		t.Errorf("after a manual reward: %+v", c)
	}
	cat := testutil.CreateUser(t, app, "cat@example.com", "cat", map[string]any{schema.UserReferredBy: ann.Id})
	testutil.SetReferralStatus(t, app, cat.Id, schema.StatusRejected)
	if c := stats(); c.Rejected != 1 || c.Signups != 2 {
		t.Errorf("after an admin's rejection: %+v", c)
	}
	settings, _ := app.FindAllRecords(schema.ReferralSettings)
	settings[0].Set(schema.SettingMilestones, `[{"successful": 2, "reward": 99}]`)
	if err := app.Save(settings[0]); err != nil {
		t.Fatal(err)
	}
	if c := stats(); c.NextMilestone == nil || c.NextMilestone.Successful != 2 || c.NextMilestone.Reward != 99 {
		t.Errorf("after a rules change: %+v", c.NextMilestone)
	}
}

// TestStatsEndOnToday moves the clock past midnight UTC without any write:
// the cached stats expire, and last_30_days ends on the new day.
func TestStatsEndOnToday(t *testing.T) {
	clock := state.NewManualClock(time.Date(2026, 11, 24, 23, 59, 0, 0, time.UTC))
	app := testutil.NewAppAt(t, clock.Now)
	refs := stores.Of(app).Referrals
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	last := func() string {
		c, err := refs.UserStats(ann.Id)
		if err != nil {
			t.Fatal(err)
		}
		return c.Last30Days[29].Date
	}
	if got := last(); got != "2026-11-24" {
		t.Fatalf("before midnight the last day is %s", got)
	}
	clock.Advance(2 * time.Minute)
	if got := last(); got != "2026-11-25" {
		t.Fatalf("after midnight the last day is %s, want 2026-11-25", got)
	}
}
