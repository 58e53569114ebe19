package hooks_test

import (
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/schema"
	"linkbase/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }

// referred creates a user referred by referrer.
func referred(t *testing.T, app core.App, referrer *core.Record, email, username string) *core.Record {
	t.Helper()
	return testutil.CreateUser(t, app, email, username, map[string]any{schema.UserReferredBy: referrer.Id})
}

// referralOf and verify are testutil's, named as these tests read them.
var (
	referralOf = testutil.ReferralOf
	verify     = testutil.Verify
)

func setStatus(app core.App, ref *core.Record, status string) error {
	fresh, err := app.FindRecordById(schema.Referrals, ref.Id)
	if err != nil {
		return err
	}
	fresh.Set(schema.ReferralStatus, status)
	return app.Save(fresh)
}

// credits returns a user's stored credits and the sum of their ledger.
func credits(t *testing.T, app core.App, userID string) (stored, ledger int) {
	t.Helper()
	if err := app.DB().NewQuery("SELECT credits FROM users WHERE id = {:u}").Bind(dbx.Params{"u": userID}).Row(&stored); err != nil {
		t.Fatal(err)
	}
	if err := app.DB().NewQuery("SELECT COALESCE(SUM(amount), 0) FROM rewards WHERE user = {:u}").Bind(dbx.Params{"u": userID}).Row(&ledger); err != nil {
		t.Fatal(err)
	}
	return stored, ledger
}

func wantCredits(t *testing.T, app core.App, user *core.Record, want int) {
	t.Helper()
	stored, ledger := credits(t, app, user.Id)
	if stored != want || ledger != want {
		t.Errorf("%s: credits %d, ledger sum %d, want both %d", user.GetString(schema.UserUsername), stored, ledger, want)
	}
}

func wantStatus(t *testing.T, app core.App, ref *core.Record, want string) *core.Record {
	t.Helper()
	fresh, err := app.FindRecordById(schema.Referrals, ref.Id)
	if err != nil {
		t.Fatal(err)
	}
	if got := fresh.GetString(schema.ReferralStatus); got != want {
		t.Errorf("referral status %q, want %q", got, want)
	}
	return fresh
}

func updateSettings(t *testing.T, app core.App, values map[string]any) {
	t.Helper()
	rows, err := app.FindAllRecords(schema.ReferralSettings)
	if err != nil || len(rows) != 1 {
		t.Fatalf("settings rows: %d, %v", len(rows), err)
	}
	for k, v := range values {
		rows[0].Set(k, v)
	}
	if err := app.Save(rows[0]); err != nil {
		t.Fatal(err)
	}
}
