package testutil

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/schema"
)

// SeedReferrals gives app the user ann with three referred users: bob
// (successful), cat (pending) and dan (rejected), signed up in that order,
// and returns ann.
func SeedReferrals(t testing.TB, app core.App) *core.Record {
	t.Helper()
	ann := CreateUser(t, app, "ann@example.com", "ann", nil)
	for _, u := range []struct{ name, status string }{{"bob", schema.StatusSuccessful}, {"cat", ""}, {"dan", schema.StatusRejected}} {
		user := CreateUser(t, app, u.name+"@example.com", u.name, map[string]any{schema.UserReferredBy: ann.Id})
		if u.status != "" {
			SetReferralStatus(t, app, user.Id, u.status)
		}
	}
	return ann
}

// SetReferralStatus sets the status of the referral of the referred user
// with userID, as an admin would in the dashboard.
func SetReferralStatus(t testing.TB, app core.App, userID, status string) {
	t.Helper()
	ref, err := app.FindFirstRecordByData(schema.Referrals, schema.ReferralReferredUser, userID)
	if err != nil {
		t.Fatal(err)
	}
	ref.Set(schema.ReferralStatus, status)
	if err := app.Save(ref); err != nil {
		t.Fatal(err)
	}
}

// ReferralOf loads the referral of the referred user.
func ReferralOf(t testing.TB, app core.App, user *core.Record) *core.Record {
	t.Helper()
	ref, err := app.FindFirstRecordByData(schema.Referrals, schema.ReferralReferredUser, user.Id)
	if err != nil {
		t.Fatalf("referral of %s: %v", user.GetString(schema.UserUsername), err)
	}
	return ref
}

// Verify marks user's address verified, as the mail link (or an admin in
// the dashboard) does: one save of a freshly loaded record.
func Verify(t testing.TB, app core.App, user *core.Record) {
	t.Helper()
	fresh, err := app.FindRecordById(schema.Users, user.Id)
	if err != nil {
		t.Fatal(err)
	}
	fresh.SetVerified(true)
	if err := app.Save(fresh); err != nil {
		t.Fatalf("verifying %s: %v", user.GetString(schema.UserUsername), err)
	}
}
