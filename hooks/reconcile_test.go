package hooks_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/schema"
	"linkbase/stores"
	"linkbase/testutil"
)

// TestReconciliation runs random sequences of sign-ups, verifications,
// admin status changes, manual rewards and reversals, rule changes,
// expiry and deletions, reading the cached stats all along, and then
// checks that credits equal the ledger and the stats equal direct SQL.
func TestReconciliation(t *testing.T) {
	for _, seed := range []uint64{1, 2} {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) { reconcile(t, seed, 100) })
	}
}

func reconcile(t *testing.T, seed uint64, steps int) {
	app := testutil.NewApp(t)
	rng := rand.New(rand.NewPCG(seed, seed))
	var users []*core.Record
	pick := func() *core.Record { return users[rng.IntN(len(users))] }
	created := 0
	signUp := func() {
		created++
		fields := map[string]any{}
		if len(users) > 0 && rng.IntN(4) > 0 {
			fields[schema.UserReferredBy] = pick().Id
		}
		domain := "example.com"
		if rng.IntN(6) == 0 {
			domain = "mailinator.com" // held for review
		}
		name := fmt.Sprintf("user%d", created)
		users = append(users, testutil.CreateUser(t, app, name+"@"+domain, name, fields))
	}
	for range 5 {
		signUp()
	}
	rewards, _ := app.FindCollectionByNameOrId(schema.Rewards)

	for step := range steps {
		switch op := rng.IntN(10); {
		case op < 3:
			signUp()
		case op < 5:
			verify(t, app, pick())
		case op < 6:
			var refs []*core.Record
			_ = app.RecordQuery(schema.Referrals).All(&refs)
			if len(refs) > 0 {
				status := []string{schema.StatusSuccessful, schema.StatusRejected, schema.StatusExpired}[rng.IntN(3)]
				_ = setStatus(app, refs[rng.IntN(len(refs))], status) // leaving successful is refused
			}
		case op < 7:
			amount := rng.IntN(50) - 20
			kind := schema.RewardKindManual
			if amount < 0 {
				kind = schema.RewardKindReversal
			}
			if amount != 0 {
				r := core.NewRecord(rewards)
				r.Set(schema.RewardUser, pick().Id)
				r.Set(schema.RewardKind, kind)
				r.Set(schema.RewardAmount, amount)
				_ = app.Save(r) // a reversal below zero is refused
			}
		case op < 8:
			updateSettings(t, app, map[string]any{schema.SettingPerReferral: rng.IntN(20), schema.SettingLifetimeCap: rng.IntN(3) * 100})
		case op < 9:
			if _, err := stores.Of(app).Referrals.ExpirePending(app, time.Now().Add(time.Duration(rng.IntN(30))*24*time.Hour)); err != nil {
				t.Fatal(err)
			}
		default:
			if len(users) > 3 && rng.IntN(3) == 0 {
				i := rng.IntN(len(users))
				if err := app.Delete(users[i]); err != nil {
					t.Fatalf("step %d: deleting: %v", step, err)
				}
				users = append(users[:i], users[i+1:]...)
			}
		}
		// Read (and so cache) the stats of a few users as clients would,
		// checking them against SQL on the way.
		for range 2 {
			checkUser(t, app, pick().Id)
		}
	}
	for _, u := range users {
		checkUser(t, app, u.Id)
	}
}

func checkUser(t *testing.T, app core.App, id string) {
	t.Helper()
	stored, ledger := credits(t, app, id)
	if stored != ledger {
		t.Errorf("user %s: credits %d != ledger %d", id, stored, ledger)
	}
	got, err := stores.Of(app).Referrals.UserStats(id)
	if err != nil {
		t.Fatal(err)
	}
	count := func(where string) int {
		var n int
		err := app.DB().NewQuery("SELECT COUNT(*) FROM referrals WHERE referrer = {:u} " + where).Bind(dbx.Params{"u": id}).Row(&n)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	var earned int
	_ = app.DB().NewQuery("SELECT COALESCE(SUM(amount), 0) FROM rewards WHERE user = {:u} AND kind IN ('referral', 'milestone')").Bind(dbx.Params{"u": id}).Row(&earned)
	want := map[string][2]int{
		"signups":    {got.Signups, count("")},
		"successful": {got.Successful, count("AND status = 'successful'")},
		"pending":    {got.Pending, count("AND status = 'pending'")},
		"expired":    {got.Expired, count("AND status = 'expired'")},
		"rejected":   {got.Rejected, count("AND status = 'rejected'")},
		"earned":     {got.CreditsEarned, earned},
		"balance":    {got.CreditsBalance, stored},
	}
	for name, v := range want {
		if v[0] != v[1] {
			t.Errorf("user %s: stats %s = %d, SQL says %d", id, name, v[0], v[1])
		}
	}
}
