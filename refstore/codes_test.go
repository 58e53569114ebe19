package refstore_test

import (
	"errors"
	"strings"
	"testing"

	"linkbase/referral"
	"linkbase/refstore"
	"linkbase/schema"
	"linkbase/testutil"
)

func TestFindReferrerByCode(t *testing.T) {
	app := testutil.NewApp(t)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	dan := testutil.CreateUser(t, app, "dan@example.com", "dan", map[string]any{schema.UserDisabled: true})
	oldCode := ann.GetString(schema.UserReferralCode)
	if err := refstore.RegenerateCode(app, ann); err != nil {
		t.Fatal(err)
	}
	if ann.GetString(schema.UserReferralCode) == oldCode {
		t.Fatal("RegenerateCode kept the code")
	}

	if owner, err := refstore.FindReferrerByCode(app, ann.GetString(schema.UserReferralCode)); err != nil || owner.Id != ann.Id {
		t.Errorf("the current code: %v, %v", owner, err)
	}
	for _, c := range []struct {
		name, code string
		want       error
	}{
		{"unknown", "zzzzzzzz", referral.ErrCodeInvalid},
		{"replaced", oldCode, referral.ErrCodeExpired},
		{"disabled owner", dan.GetString(schema.UserReferralCode), referral.ErrCodeExpired},
	} {
		if _, err := refstore.FindReferrerByCode(app, c.code); !errors.Is(err, c.want) {
			t.Errorf("%s code: %v, want %v", c.name, err, c.want)
		}
	}
	if free, err := refstore.IsCodeFree(app, oldCode); err != nil || free {
		t.Errorf("a retired code is free: %v, %v", free, err)
	}
	if err := refstore.RetireCode(app, oldCode, ann.Id); err != nil {
		t.Errorf("retiring a code twice: %v", err)
	}
}

func TestReferrerForHoldsTheSignUpRules(t *testing.T) {
	app := testutil.NewApp(t)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	code := ann.GetString(schema.UserReferralCode)

	if owner, err := refstore.ReferrerFor(app, code, "bob@example.com"); err != nil || owner.Id != ann.Id {
		t.Errorf("a valid code: %v, %v", owner, err)
	}
	for _, c := range []struct {
		name, code, email string
		want              error
	}{
		{"unknown code", "zzzzzzzz", "bob@example.com", referral.ErrCodeInvalid},
		{"the referrer's own mailbox", code, "ann+alt@example.com", referral.ErrSelfReferral},
	} {
		_, err := refstore.ReferrerFor(app, c.code, c.email)
		if !errors.Is(err, c.want) || !referral.IsRefused(err) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}

func TestUniqueCodeRetriesOnCollision(t *testing.T) {
	app := testutil.NewApp(t)
	testutil.CreateUser(t, app, "ann@example.com", "ann", map[string]any{schema.UserReferralCode: "aaaaaaaa"})

	draws := []string{"aaaaaaaa", "AAAAAAAA", "bbbbbbbb"}
	calls := 0
	next := func() (string, error) { calls++; return strings.ToLower(draws[calls-1]), nil }
	code, err := refstore.UniqueCode(app, next)
	if err != nil || code != "bbbbbbbb" || calls != 3 {
		t.Fatalf("got %q, %v after %d draws; want bbbbbbbb after 3", code, err, calls)
	}

	always := func() (string, error) { return "aaaaaaaa", nil }
	if _, err := refstore.UniqueCode(app, always); err == nil {
		t.Fatal("want an error when every draw collides")
	}
}
