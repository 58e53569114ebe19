package refstore_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/refstore"
	"linkbase/schema"
	"linkbase/state"
	"linkbase/stores"
	"linkbase/testutil"
)

var (
	referralOf = testutil.ReferralOf
	verifyUser = testutil.Verify
)

func setting(t *testing.T, app core.App, field string, value any) {
	t.Helper()
	rows, err := app.FindAllRecords(schema.ReferralSettings)
	if err != nil {
		t.Fatal(err)
	}
	rows[0].Set(field, value)
	if err := app.Save(rows[0]); err != nil {
		t.Fatal(err)
	}
}

// TestReviewWindowDecides: a held referral nobody decided within
// review_days gets review_default, noted in its reason: a verified one is
// rewarded; an unverified one waits for its verification (or its expiry),
// unless the default is to reject.
func TestReviewWindowDecides(t *testing.T) {
	clock := state.NewManualClock(time.Now().UTC())
	app := testutil.NewAppAt(t, clock.Now)
	refs := stores.Of(app).Referrals
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	held := func(name string) *core.Record {
		return testutil.CreateUser(t, app, name+"@mailinator.com", name, map[string]any{schema.UserReferredBy: ann.Id})
	}
	bob, cat := held("bob"), held("cat")
	dan := testutil.CreateUser(t, app, "dan@example.com", "dan", map[string]any{schema.UserReferredBy: ann.Id}) // not held
	verifyUser(t, app, bob)
	if r := referralOf(t, app, bob); r.GetString(schema.ReferralStatus) != schema.StatusPending || r.GetDateTime(schema.ReferralVerifiedAt).IsZero() {
		t.Fatalf("a held referral's verification: %v", r.FieldsData())
	}

	if n, err := refs.DecideOverdue(app, clock.Now().Add(6*24*time.Hour)); err != nil || n != 0 {
		t.Fatalf("within the window: %d decided, %v", n, err)
	}
	if n, err := refs.DecideOverdue(app, clock.Now().Add(8*24*time.Hour)); err != nil || n != 1 {
		t.Fatalf("after the window: %d decided, %v; want 1", n, err)
	}
	r := referralOf(t, app, bob)
	if r.GetString(schema.ReferralStatus) != schema.StatusSuccessful ||
		r.GetString(schema.ReferralReviewReason) != "disposable email domain; review window passed: successful" {
		t.Fatalf("bob's referral: %v", r.FieldsData())
	}
	if got := testutil.FindUser(t, app, "ann").GetInt(schema.UserCredits); got != 10 {
		t.Errorf("ann has %d credits, want the reward of bob's referral", got)
	}
	for _, u := range []*core.Record{cat, dan} {
		if s := referralOf(t, app, u).GetString(schema.ReferralStatus); s != schema.StatusPending {
			t.Errorf("%s: %s, want still pending", u.GetString(schema.UserUsername), s)
		}
	}

	setting(t, app, schema.SettingReviewDefault, "rejected")
	if n, err := refs.DecideOverdue(app, clock.Now().Add(8*24*time.Hour)); err != nil || n != 1 {
		t.Fatalf("default rejected: %d decided, %v", n, err)
	}
	if r := referralOf(t, app, cat); r.GetString(schema.ReferralStatus) != schema.StatusRejected ||
		!strings.HasSuffix(r.GetString(schema.ReferralReviewReason), "review window passed: rejected") {
		t.Fatalf("cat's referral: %v", r.FieldsData())
	}
	if s := referralOf(t, app, dan).GetString(schema.ReferralStatus); s != schema.StatusPending {
		t.Errorf("the window decided a referral that was not held: %s", s)
	}
}

// TestDecideInBulk: an admin's decision reaches every held referral among
// the ids in one go, with its rewards; others are skipped and a repeat
// decides nothing.
func TestDecideInBulk(t *testing.T) {
	app := testutil.NewApp(t)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	var ids []string
	for _, name := range []string{"bob", "cat", "dan"} {
		u := testutil.CreateUser(t, app, name+"@mailinator.com", name, map[string]any{schema.UserReferredBy: ann.Id})
		ids = append(ids, referralOf(t, app, u).Id)
	}
	eve := testutil.CreateUser(t, app, "eve@example.com", "eve", map[string]any{schema.UserReferredBy: ann.Id})
	ids = append(ids, referralOf(t, app, eve).Id, "unknown00000000")

	n, err := refstore.Decide(app, ids, schema.StatusSuccessful)
	if err != nil || n != 3 {
		t.Fatalf("decided %d, %v; want 3", n, err)
	}
	if got := testutil.FindUser(t, app, "ann").GetInt(schema.UserCredits); got != 30 {
		t.Errorf("ann has %d credits, want 30", got)
	}
	if s := referralOf(t, app, eve).GetString(schema.ReferralStatus); s != schema.StatusPending {
		t.Errorf("a referral that was not held was decided: %s", s)
	}
	if n, err := refstore.Decide(app, ids, schema.StatusRejected); err != nil || n != 0 {
		t.Errorf("a repeat decided %d, %v", n, err)
	}
	if n, _ := app.CountRecords(schema.ReferralReviews); n != 0 {
		t.Errorf("%d referrals still in the review queue", n)
	}
}

// TestReviewQueue: the dashboard's view lists exactly the held referrals,
// oldest first, with their reasons and the referrer's history.
func TestReviewQueue(t *testing.T) {
	app := testutil.NewApp(t)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	for _, name := range []string{"bob", "cat"} {
		testutil.CreateUser(t, app, name+"@mailinator.com", name, map[string]any{schema.UserReferredBy: ann.Id})
		time.Sleep(2 * time.Millisecond) // distinct creation times, to see the order
	}
	dan := testutil.CreateUser(t, app, "dan@example.com", "dan", map[string]any{schema.UserReferredBy: ann.Id})
	verifyUser(t, app, dan)
	var rows []struct {
		Referred   string `db:"referred_user"`
		Reason     string `db:"review_reason"`
		Signups    int    `db:"referrer_signups"`
		Successful int    `db:"referrer_successful"`
	}
	if err := app.DB().NewQuery("SELECT * FROM referral_reviews").All(&rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Referred != testutil.FindUser(t, app, "bob").Id || rows[0].Reason != "disposable email domain" ||
		rows[1].Signups != 3 || rows[1].Successful != 1 {
		t.Fatalf("queue %+v", rows)
	}
}
