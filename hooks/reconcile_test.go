package hooks_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/refstore"
	"linkbase/schema"
	"linkbase/stores"
	"linkbase/testutil"
)

// TestReconciliation runs random sequences of sign-ups (some from a
// visitor who visited, some twice from one), visits, verifications, admin
// status changes and deletions, review decisions, manual rewards and
// reversals, rule changes, expiry, the review window and user deletions,
// reading the cached stats all along, and checks that credits equal the
// ledger, the stats equal direct SQL, and the rollups (every daily and
// total row) equal a recount of the rows they sum up.
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
		if rng.IntN(2) == 0 {
			fields[schema.UserSignupVisitor] = fmt.Sprintf("visitor%d", rng.IntN(4)) // some visited first, some share one
		}
		name := fmt.Sprintf("user%d", created)
		users = append(users, testutil.CreateUser(t, app, name+"@"+domain, name, fields))
	}
	refs := stores.Of(app).Referrals
	held := func() []*core.Record {
		var rows []*core.Record
		_ = app.RecordQuery(schema.Referrals).AndWhere(dbx.NewExp("status = 'pending' AND review_reason != ''")).All(&rows)
		return rows
	}
	for range 5 {
		signUp()
	}
	rewards, _ := app.FindCollectionByNameOrId(schema.Rewards)

	for step := range steps {
		switch op := rng.IntN(14); {
		case op < 3:
			signUp()
		case op < 4:
			for range rng.IntN(5) {
				refs.RecordVisit(pick().GetString(schema.UserReferralCode), fmt.Sprintf("visitor%d", rng.IntN(6)))
			}
			if err := refs.FlushVisits(t.Context()); err != nil {
				t.Fatal(err)
			}
		case op < 5:
			if h := held(); len(h) > 0 {
				decision := []string{schema.StatusSuccessful, schema.StatusRejected}[rng.IntN(2)]
				if _, err := refstore.Decide(app, []string{h[rng.IntN(len(h))].Id, "nosuchid0000000"}, decision); err != nil {
					t.Fatal(err)
				}
			}
		case op < 6:
			if _, err := refs.DecideOverdue(app, time.Now().Add(time.Duration(rng.IntN(10))*24*time.Hour)); err != nil {
				t.Fatal(err)
			}
		case op < 7:
			var rows []*core.Record
			_ = app.RecordQuery(schema.Referrals).All(&rows)
			if len(rows) > 0 {
				_ = app.Delete(rows[rng.IntN(len(rows))]) // deleting a successful one is refused
			}
		case op < 9:
			verify(t, app, pick())
		case op < 10:
			var rows []*core.Record
			_ = app.RecordQuery(schema.Referrals).All(&rows)
			if len(rows) > 0 {
				status := []string{schema.StatusSuccessful, schema.StatusRejected, schema.StatusExpired}[rng.IntN(3)]
				_ = setStatus(app, rows[rng.IntN(len(rows))], status) // leaving successful is refused
			}
		case op < 11:
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
		case op < 12:
			updateSettings(t, app, map[string]any{schema.SettingPerReferral: rng.IntN(20), schema.SettingLifetimeCap: rng.IntN(3) * 100})
		case op < 13:
			if _, err := refs.ExpirePending(app, time.Now().Add(time.Duration(rng.IntN(30))*24*time.Hour)); err != nil {
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
		if step%25 == 0 {
			checkRollups(t, app)
		}
	}
	for _, u := range users {
		checkUser(t, app, u.Id)
	}
	checkRollups(t, app)
}

// checkRollups compares every row of the rollups with a recount of the
// visits, referrals and rewards they sum up (zero rows, left by changes
// that cancelled out, count as absent).
func checkRollups(t *testing.T, app core.App) {
	t.Helper()
	type row struct {
		Key string `db:"k"`
		A   int    `db:"a"`
		B   int    `db:"b"`
		C   int    `db:"c"`
		D   int    `db:"d"`
		E   int    `db:"e"`
		F   int    `db:"f"`
		G   int    `db:"g"`
	}
	read := func(q string) map[string]row {
		var rows []row
		if err := app.DB().NewQuery(q).All(&rows); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		m := map[string]row{}
		for _, r := range rows {
			if r != (row{Key: r.Key}) {
				m[r.Key] = r
			}
		}
		return m
	}
	for name, pair := range map[string][2]string{
		"referral_daily": {
			"SELECT referrer || ' ' || date AS k, visits AS a, signups AS b, successful AS c, 0 AS d, 0 AS e, 0 AS f, 0 AS g FROM referral_daily",
			`SELECT referrer || ' ' || day AS k, SUM(v) AS a, SUM(s) AS b, SUM(ok) AS c, 0 AS d, 0 AS e, 0 AS f, 0 AS g FROM (
			   SELECT referrer, day, 1 AS v, 0 AS s, 0 AS ok FROM referral_visits
			   UNION ALL SELECT referrer, substr(created, 1, 10), 0, 1, 0 FROM referrals
			   UNION ALL SELECT referrer, substr(completed_at, 1, 10), 0, 0, 1 FROM referrals WHERE status = 'successful'
			 ) GROUP BY referrer, day`,
		},
		"referral_totals": {
			"SELECT referrer AS k, visits AS a, signups AS b, pending AS c, successful AS d, expired AS e, rejected AS f, credits_earned AS g FROM referral_totals",
			`SELECT referrer AS k, SUM(v) AS a, SUM(s) AS b, SUM(p) AS c, SUM(ok) AS d, SUM(x) AS e, SUM(rj) AS f, SUM(cr) AS g FROM (
			   SELECT referrer, 1 AS v, 0 AS s, 0 AS p, 0 AS ok, 0 AS x, 0 AS rj, 0 AS cr FROM referral_visits
			   UNION ALL SELECT referrer, 0, 1, status = 'pending', status = 'successful', status = 'expired', status = 'rejected', 0 FROM referrals
			   UNION ALL SELECT user, 0, 0, 0, 0, 0, 0, amount FROM rewards WHERE kind IN ('referral', 'milestone')
			 ) GROUP BY referrer`,
		},
	} {
		kept, recount := read(pair[0]), read(pair[1])
		if len(kept) != len(recount) {
			t.Errorf("%s: %d rows, a recount gives %d", name, len(kept), len(recount))
		}
		for k, want := range recount {
			if got := kept[k]; got != want {
				t.Errorf("%s %s: %+v, a recount gives %+v", name, k, got, want)
			}
		}
	}
	var overOne int
	_ = app.DB().NewQuery("SELECT COUNT(*) FROM referral_totals WHERE signups > visits").Row(&overOne)
	if overOne > 0 {
		t.Errorf("%d referrers have more sign-ups than visits: conversion above 1", overOne)
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
