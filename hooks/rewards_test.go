package hooks_test

import (
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/refstore"
	"linkbase/schema"
	"linkbase/testutil"
)

func addManual(app core.App, user *core.Record, kind string, amount int) (*core.Record, error) {
	c, err := app.FindCollectionByNameOrId(schema.Rewards)
	if err != nil {
		return nil, err
	}
	r := core.NewRecord(c)
	r.Set(schema.RewardUser, user.Id)
	r.Set(schema.RewardKind, kind)
	r.Set(schema.RewardAmount, amount)
	r.Set(schema.RewardReason, "support ticket")
	return r, app.Save(r)
}

func TestLedgerIsAppendOnlyAndSumsToCredits(t *testing.T) {
	app := testutil.NewApp(t)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", map[string]any{schema.UserCredits: 500})
	wantCredits(t, app, ann, 0) // credits are never taken on creation

	row, err := addManual(app, ann, schema.RewardKindManual, 30)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := addManual(app, ann, schema.RewardKindReversal, -12); err != nil {
		t.Fatal(err)
	}
	wantCredits(t, app, ann, 18)
	if _, err := addManual(app, ann, schema.RewardKindReversal, -19); err == nil || !strings.Contains(err.Error(), "below zero") {
		t.Errorf("reversal below zero: %v", err)
	}
	wantCredits(t, app, ann, 18)

	row.Set(schema.RewardAmount, 300)
	if err := app.Save(row); err == nil {
		t.Error("changing a ledger row must be refused")
	}
	if err := app.Delete(row); err == nil {
		t.Error("deleting a ledger row must be refused")
	}

	// Credits cannot be edited, and a stale record cannot write them back.
	stale, _ := app.FindRecordById(schema.Users, ann.Id)
	if _, err := addManual(app, ann, schema.RewardKindManual, 2); err != nil {
		t.Fatal(err)
	}
	stale.Set(schema.UserDisplayName, "Ann")
	if err := app.Save(stale); err != nil {
		t.Fatal(err)
	}
	wantCredits(t, app, ann, 20)
	stale.Set(schema.UserCredits, 1000)
	if err := app.Save(stale); err == nil {
		t.Error("editing credits must be refused")
	}
	wantCredits(t, app, ann, 20)

	// Deleting the user takes the ledger with it.
	if err := app.Delete(stale); err != nil {
		t.Fatal(err)
	}
	if n, _ := app.CountRecords(schema.Rewards); n != 0 {
		t.Errorf("%d ledger rows outlive their user", n)
	}
}

func TestReferredBonusOutlivesDeletedReferrer(t *testing.T) {
	app := testutil.NewApp(t)
	updateSettings(t, app, map[string]any{schema.SettingReferredBonus: 5})
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	bob := referred(t, app, ann, "bob@example.com", "bob")
	verify(t, app, bob)
	if err := app.Delete(ann); err != nil {
		t.Fatal(err)
	}
	wantCredits(t, app, bob, 5)
}

func TestRegeneratedCodeIsRetired(t *testing.T) {
	app := testutil.NewApp(t)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	old := ann.GetString(schema.UserReferralCode)
	ann.Set(schema.UserReferralCode, "zzzz2222")
	if err := app.Save(ann); err != nil {
		t.Fatal(err)
	}
	if retired, _ := refstore.IsCodeRetired(app, old); !retired {
		t.Error("the replaced code is not retired")
	}
	ann.Set(schema.UserReferralCode, old)
	if err := app.Save(ann); err == nil {
		t.Error("taking back a retired code must be refused")
	}
}

func TestReferredByIsSetAtSignUpOnly(t *testing.T) {
	app := testutil.NewApp(t)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	bob := testutil.CreateUser(t, app, "bob@example.com", "bob", nil)
	bob.Set(schema.UserReferredBy, ann.Id)
	if err := app.Save(bob); err == nil {
		t.Error("setting referred_by after sign-up must be refused")
	}
	if n, _ := app.CountRecords(schema.Referrals); n != 0 {
		t.Errorf("%d referrals, want none", n)
	}
}
