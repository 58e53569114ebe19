package hooks_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/referral"
	"linkbase/refstore"
	"linkbase/schema"
	"linkbase/stores"
	"linkbase/testutil"
)

func TestVerificationCompletesTheReferralOnce(t *testing.T) {
	app := testutil.NewApp(t)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	bob := referred(t, app, ann, "bob@example.com", "bob")
	ref := wantStatus(t, app, referralOf(t, app, bob), schema.StatusPending)
	if ref.GetString(schema.ReferralCodeUsed) != ann.GetString(schema.UserReferralCode) {
		t.Errorf("code_used %q, want ann's code", ref.GetString(schema.ReferralCodeUsed))
	}

	verify(t, app, bob)
	ref = wantStatus(t, app, ref, schema.StatusSuccessful)
	if ref.GetDateTime(schema.ReferralCompletedAt).IsZero() {
		t.Error("completed_at not set")
	}
	wantCredits(t, app, ann, 10)

	// Unverify and verify again, and set successful again as an admin.
	fresh, _ := app.FindRecordById(schema.Users, bob.Id)
	fresh.SetVerified(false)
	if err := app.Save(fresh); err != nil {
		t.Fatal(err)
	}
	verify(t, app, bob)
	if err := setStatus(app, ref, schema.StatusSuccessful); err != nil {
		t.Fatal(err)
	}
	wantCredits(t, app, ann, 10)
	wantCredits(t, app, bob, 0)
}

func TestAdminTransitions(t *testing.T) {
	app := testutil.NewApp(t)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	bob := referred(t, app, ann, "bob@example.com", "bob")
	cat := referred(t, app, ann, "cat@example.com", "cat")

	// Rejected stays rejected when the user verifies later.
	if err := setStatus(app, referralOf(t, app, bob), schema.StatusRejected); err != nil {
		t.Fatal(err)
	}
	verify(t, app, bob)
	wantStatus(t, app, referralOf(t, app, bob), schema.StatusRejected)
	wantCredits(t, app, ann, 0)

	// An admin may set successful without verification; it is final.
	catRef := referralOf(t, app, cat)
	if err := setStatus(app, catRef, schema.StatusSuccessful); err != nil {
		t.Fatal(err)
	}
	wantCredits(t, app, ann, 10)
	for _, s := range []string{schema.StatusRejected, schema.StatusPending, schema.StatusExpired} {
		if err := setStatus(app, catRef, s); err == nil || !strings.Contains(err.Error(), "final") {
			t.Errorf("successful -> %s: err %v, want status_final", s, err)
		}
	}
	moved := wantStatus(t, app, referralOf(t, app, bob), schema.StatusRejected)
	moved.Set(schema.ReferralReferrer, cat.Id)
	if err := app.Save(moved); err == nil {
		t.Error("moving a referral to another referrer must be refused")
	}
	if err := app.Delete(wantStatus(t, app, catRef, schema.StatusSuccessful)); err == nil {
		t.Error("deleting a successful referral must be refused")
	}
	wantCredits(t, app, ann, 10)
}

func TestMilestonesCapsAndReferredBonus(t *testing.T) {
	app := testutil.NewApp(t)
	updateSettings(t, app, map[string]any{schema.SettingReferredBonus: 5, schema.SettingLifetimeCap: 90})
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	names := []string{"bb1", "bb2", "bb3", "bb4", "bb5", "bb6", "bb7"}
	var last *core.Record
	for _, n := range names {
		last = referred(t, app, ann, n+"@example.com", n)
		verify(t, app, last)
	}
	// 5 x 10 + 25 (milestone at 5) = 75, then the cap of 90 leaves 10 and 5.
	wantCredits(t, app, ann, 90)
	wantCredits(t, app, last, 5)
	n, _ := app.CountRecords(schema.Rewards)
	if n != 7+1+7 { // referral rows (the last two capped), one milestone, bonuses
		t.Errorf("%d ledger rows, want 15", n)
	}
}

func TestRulesChangeAppliesAtOnce(t *testing.T) {
	app := testutil.NewApp(t)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	bob := referred(t, app, ann, "bob@example.com", "bob")
	if _, err := stores.Of(app).Referrals.Rules(); err != nil { // warm the cache
		t.Fatal(err)
	}
	updateSettings(t, app, map[string]any{schema.SettingPerReferral: 20})
	verify(t, app, bob)
	wantCredits(t, app, ann, 20)

	rows, _ := app.FindAllRecords(schema.ReferralSettings)
	rows[0].Set(schema.SettingMilestones, `[{"successful": 0, "reward": 5}]`)
	if err := app.Save(rows[0]); err == nil {
		t.Error("invalid milestones must be refused")
	}
	second := core.NewRecord(rows[0].Collection())
	second.Set(schema.SettingExpiryDays, 3)
	if err := app.Save(second); err == nil {
		t.Error("a second settings row must be refused")
	}
	if err := app.Delete(rows[0]); err == nil {
		t.Error("deleting the settings row must be refused")
	}
}

func TestDeletedReferrer(t *testing.T) {
	app := testutil.NewApp(t)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	bob := referred(t, app, ann, "bob@example.com", "bob")
	verify(t, app, bob)
	code := ann.GetString(schema.UserReferralCode)
	if err := app.Delete(ann); err != nil {
		t.Fatal(err)
	}
	if n, _ := app.CountRecords(schema.Referrals); n != 0 {
		t.Errorf("%d referrals left, want the deleted referrer's gone", n)
	}
	fresh, _ := app.FindRecordById(schema.Users, bob.Id)
	if fresh.GetString(schema.UserReferredBy) != "" {
		t.Error("referred_by still names the deleted referrer")
	}
	if _, err := refstore.FindReferrerByCode(app, code); !errors.Is(err, referral.ErrCodeExpired) {
		t.Errorf("deleted owner's code: %v, want ErrCodeExpired", err)
	}
	// The code is never handed out again.
	if _, err := refstore.UniqueCode(app, func() (string, error) { return code, nil }); err == nil {
		t.Error("a retired code was handed out again")
	}
}

func TestDeletedReferredUser(t *testing.T) {
	app := testutil.NewApp(t)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	bob := referred(t, app, ann, "bob@example.com", "bob")
	cat := referred(t, app, ann, "cat@example.com", "cat")
	verify(t, app, cat)
	bobRef, catRef := referralOf(t, app, bob), referralOf(t, app, cat)
	for _, u := range []*core.Record{bob, cat} {
		if err := app.Delete(u); err != nil {
			t.Fatal(err)
		}
	}
	r := wantStatus(t, app, bobRef, schema.StatusRejected)
	if r.GetString(schema.ReferralReferredUser) != "" || r.GetString(schema.ReferralReviewReason) == "" {
		t.Errorf("pending referral of a deleted user: %v", r.FieldsData())
	}
	wantStatus(t, app, catRef, schema.StatusSuccessful)
	if err := setStatus(app, bobRef, schema.StatusSuccessful); err != nil {
		t.Fatal(err)
	}
	wantCredits(t, app, ann, 20)
}

// TestExpiry: a pending referral whose user never verified expires after
// the window, held for review or not (a held one no longer waits forever);
// a held one whose user verified waits for its decision instead.
func TestExpiry(t *testing.T) {
	app := testutil.NewApp(t)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	bob := referred(t, app, ann, "bob@example.com", "bob")
	cat := referred(t, app, ann, "cat@mailinator.com", "cat") // held for review
	eve := referred(t, app, ann, "eve@mailinator.com", "eve") // held, and verified
	verify(t, app, eve)

	now := time.Now()
	if n, err := stores.Of(app).Referrals.ExpirePending(app, now.Add(13*24*time.Hour)); err != nil || n != 0 {
		t.Fatalf("within the window: expired %d, %v", n, err)
	}
	if n, err := stores.Of(app).Referrals.ExpirePending(app, now.Add(15*24*time.Hour)); err != nil || n != 2 {
		t.Fatalf("after the window: expired %d, %v; want 2", n, err)
	}
	wantStatus(t, app, referralOf(t, app, bob), schema.StatusExpired)
	wantStatus(t, app, referralOf(t, app, cat), schema.StatusExpired)
	wantStatus(t, app, referralOf(t, app, eve), schema.StatusPending)
	verify(t, app, bob)
	wantStatus(t, app, referralOf(t, app, bob), schema.StatusExpired)
	wantCredits(t, app, ann, 0)

	updateSettings(t, app, map[string]any{schema.SettingExpiryDays: 30})
	dan := referred(t, app, ann, "dan@example.com", "dan")
	if n, _ := stores.Of(app).Referrals.ExpirePending(app, now.Add(20*24*time.Hour)); n != 0 {
		t.Errorf("with a 30-day window expired %d after 20 days", n)
	}
	wantStatus(t, app, referralOf(t, app, dan), schema.StatusPending)
}

// TestFraudSignalsHoldForReview: a disposable domain and the referrer's
// own address hold a referral past its verification; a burst alone is
// flagged, but completes when its user verifies.
func TestFraudSignalsHoldForReview(t *testing.T) {
	app := testutil.NewApp(t)
	updateSettings(t, app, map[string]any{schema.SettingBurstLimit: 2})
	ip, _ := stores.Of(app).Referrals.HashIP("203.0.113.7")
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", map[string]any{schema.UserSignupIPHash: ip})
	bob := referred(t, app, ann, "bob@yopmail.com", "bob")
	cat := testutil.CreateUser(t, app, "cat@example.com", "cat", map[string]any{schema.UserReferredBy: ann.Id, schema.UserSignupIPHash: ip})
	dan := referred(t, app, ann, "dan@example.com", "dan") // third within the window

	for _, c := range []struct {
		user   *core.Record
		reason string
		after  string
	}{
		{bob, referral.ReasonDisposable, schema.StatusPending},
		{cat, referral.ReasonSameIP, schema.StatusPending},
		{dan, referral.ReasonBurst, schema.StatusSuccessful},
	} {
		ref := referralOf(t, app, c.user)
		if got := ref.GetString(schema.ReferralReviewReason); got != c.reason {
			t.Errorf("%s: review_reason %q, want %q", c.user.GetString(schema.UserUsername), got, c.reason)
		}
		verify(t, app, c.user)
		if ref = wantStatus(t, app, ref, c.after); ref.GetDateTime(schema.ReferralVerifiedAt).IsZero() {
			t.Errorf("%s: verified_at not recorded", c.user.GetString(schema.UserUsername))
		}
	}
	wantCredits(t, app, ann, 10) // dan's
	if err := setStatus(app, referralOf(t, app, bob), schema.StatusSuccessful); err != nil {
		t.Fatal(err)
	}
	wantCredits(t, app, ann, 20)
}

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

// TestBurstIsRelativeToTheReferrersRate: a code whose campaign brings
// about 1,440 sign-ups a day (10 per 10-minute window) takes 30 at once
// without a flag, where a quiet code's burst limit (20) flags the excess.
func TestBurstIsRelativeToTheReferrersRate(t *testing.T) {
	app := testutil.NewApp(t)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil) // popular
	bob := testutil.CreateUser(t, app, "bob@example.com", "bob", nil) // quiet
	today := time.Now().UTC()
	for d := 1; d <= referral.BurstBaselineDays; d++ {
		if _, err := app.DB().NewQuery("INSERT INTO referral_daily (referrer, date, signups) VALUES ({:u}, {:d}, 1440)").
			Bind(dbx.Params{"u": ann.Id, "d": today.AddDate(0, 0, -d).Format(time.DateOnly)}).Execute(); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 30 {
		referred(t, app, ann, fmt.Sprintf("a%d@example.com", i), fmt.Sprintf("fan_a%d", i))
		referred(t, app, bob, fmt.Sprintf("b%d@example.com", i), fmt.Sprintf("fan_b%d", i))
	}
	for referrer, want := range map[*core.Record]int64{ann: 0, bob: 10} {
		n, err := app.CountRecords(schema.Referrals, dbx.HashExp{schema.ReferralReferrer: referrer.Id, schema.ReferralReviewReason: referral.ReasonBurst})
		if err != nil || n != want {
			t.Errorf("%s: %d flagged as a burst, want %d (%v)", referrer.GetString(schema.UserUsername), n, want, err)
		}
	}
}
