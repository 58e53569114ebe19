package refstore_test

import (
	"testing"
	"time"

	"linkbase/schema"
	"linkbase/state"
	"linkbase/stores"
	"linkbase/testutil"
)

func TestRecordLoginKeepsTheIPHashAndTime(t *testing.T) {
	at := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	app := testutil.NewAppAt(t, state.NewManualClock(at).Now)
	refs := stores.Of(app).Referrals
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	if err := refs.RecordLogin(app, ann.Id, "198.51.100.8"); err != nil {
		t.Fatal(err)
	}
	fresh := testutil.FindUser(t, app, "ann")
	want, _ := refs.HashIP("198.51.100.8")
	if got := fresh.GetString(schema.UserLoginIPHash); got != want || len(got) != 32 {
		t.Errorf("login IP hash %q, want %q", got, want)
	}
	if !fresh.GetDateTime(schema.UserLoginAt).Time().Equal(at) {
		t.Errorf("login at %v, want the store's clock %v", fresh.GetDateTime(schema.UserLoginAt), at)
	}
	if other, _ := refs.Hash("visit", "198.51.100.8"); other == want {
		t.Error("hashes of different kinds of the same value are equal")
	}
}
