package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"golang.org/x/crypto/bcrypt"

	_ "linkbase/migrations"
	"linkbase/referral"
	"linkbase/schema"
)

// A large referral history is written straight into SQLite, before the
// server starts, through PocketBase opened on the data folder the server
// will serve (its collections, its schema names): 100,000 sign-ups through
// the API would cost 100,000 bcrypt hashes (over an hour on two cores),
// while rows cost microseconds. The seeded accounts share one password
// hash. The rollups are written from the counts the seeder made, as the
// app's own writes would have left them, and checked through the API
// afterwards.

// historyAccount is a seeded referrer.
type historyAccount struct {
	username            string
	visits, referrals   int
	successful, pending int
}

// historySpread is how many days the seeded history covers, ending today.
const historySpread = 365

// seedHistory seeds two referrers into the data folder dataDir: one with
// 10 visits and 10 referrals, one with visits and referrals of its own
// (e.g. 1,000,000 and 100,000), spread over the last historySpread days.
func seedHistory(dataDir string, referrals, visits int, now time.Time) ([]historyAccount, error) {
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: dataDir})
	if err := app.Bootstrap(); err != nil {
		return nil, fmt.Errorf("opening %s: %w", dataDir, err)
	}
	defer func() { _ = app.ResetBootstrapState() }()
	// serve would run them; the history needs the schema first.
	if err := app.RunAllMigrations(); err != nil {
		return nil, fmt.Errorf("migrating %s: %w", dataDir, err)
	}

	users, err := app.FindCollectionByNameOrId(schema.Users)
	if err != nil {
		return nil, err
	}
	cost := bcrypt.DefaultCost
	if f, ok := users.Fields.GetByName(core.FieldNamePassword).(*core.PasswordField); ok && f.Cost > 0 {
		cost = f.Cost
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(seedPassword), cost)
	if err != nil {
		return nil, err
	}
	s := &historySeeder{app: app, hash: string(hash), now: now.UTC()}
	small, err := s.referrer("histsmall", 10, 10)
	if err != nil {
		return nil, err
	}
	large, err := s.referrer("histlarge", referrals, visits)
	if err != nil {
		return nil, err
	}
	return []historyAccount{small, large}, nil
}

type historySeeder struct {
	app  core.App
	hash string
	now  time.Time
	seq  int // numbers every seeded account, for unique names and codes
}

// dayCounts are one day's rollup.
type dayCounts struct{ visits, signups, successful int }

// batch is how many rows one transaction writes.
const batch = 20_000

// referrer seeds one referrer with referrals referred accounts and visits
// counted visits, and their rollups.
func (s *historySeeder) referrer(username string, referrals, visits int) (historyAccount, error) {
	acc := historyAccount{username: username, visits: visits, referrals: referrals}
	id, err := s.user(s.app, username, "", true)
	if err != nil {
		return acc, err
	}
	days := map[string]*dayCounts{}
	on := func(d string) *dayCounts {
		if days[d] == nil {
			days[d] = &dayCounts{}
		}
		return days[d]
	}

	for from := 0; from < referrals; from += batch {
		err := s.app.RunInTransaction(func(tx core.App) error {
			insert := tx.DB().NewQuery(`INSERT INTO {{referrals}} ([[id]], [[referrer]], [[referred_user]], [[code_used]], [[status]],
				  [[review_reason]], [[completed_at]], [[verified_at]], [[created]], [[updated]])
				VALUES ({:id}, {:r}, {:u}, 'seeded', {:s}, '', {:done}, {:done}, {:c}, {:c})`).Prepare() // done: completed and verified
			defer insert.Close()
			for i := from; i < min(from+batch, referrals); i++ {
				status, done := statusOf(i), ""
				user, err := s.user(tx, fmt.Sprintf("%s_%d", username, i), id, status == schema.StatusSuccessful)
				if err != nil {
					return err
				}
				created := s.spread(i, referrals)
				if status == schema.StatusPending {
					// Pending referrals older than the expiry window (14
					// days) would be expired by the server's job, which
					// runs every 10 minutes: a real history's are all
					// recent, so these fall within the last day.
					created = s.now.Add(-time.Duration(i%(24*60)) * time.Minute)
				}
				if status == schema.StatusSuccessful {
					at := created.Add(time.Hour)
					done = stamp(at)
					on(at.Format(time.DateOnly)).successful++
					acc.successful++
				}
				if status == schema.StatusPending {
					acc.pending++
				}
				on(created.Format(time.DateOnly)).signups++
				if _, err := insert.Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "r": id, "u": user, "s": status,
					"done": done, "c": stamp(created)}).Execute(); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return acc, fmt.Errorf("seeding referrals: %w", err)
		}
	}

	for from := 0; from < visits; from += batch {
		err := s.app.RunInTransaction(func(tx core.App) error {
			insert := tx.DB().NewQuery("INSERT INTO {{referral_visits}} ([[id]], [[referrer]], [[day]], [[visitor]], [[referral]]) VALUES ({:id}, {:r}, {:d}, {:v}, '')").Prepare()
			defer insert.Close()
			for i := from; i < min(from+batch, visits); i++ {
				day := s.spread(i, visits).Format(time.DateOnly)
				on(day).visits++
				if _, err := insert.Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "r": id, "d": day, "v": fmt.Sprintf("%032x", i)}).Execute(); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return acc, fmt.Errorf("seeding visits: %w", err)
		}
	}

	return acc, s.app.RunInTransaction(func(tx core.App) error {
		for day, c := range days {
			if _, err := tx.DB().NewQuery("INSERT INTO {{referral_daily}} ([[referrer]], [[date]], [[visits]], [[signups]], [[successful]]) VALUES ({:r}, {:d}, {:v}, {:s}, {:ok})").
				Bind(dbx.Params{"r": id, "d": day, "v": c.visits, "s": c.signups, "ok": c.successful}).Execute(); err != nil {
				return err
			}
		}
		_, err := tx.DB().NewQuery(`INSERT INTO {{referral_totals}} ([[referrer]], [[visits]], [[signups]], [[pending]], [[successful]], [[expired]], [[rejected]], [[credits_earned]])
			VALUES ({:r}, {:v}, {:s}, {:p}, {:ok}, {:x}, 0, 0)`).
			Bind(dbx.Params{"r": id, "v": visits, "s": referrals, "p": acc.pending, "ok": acc.successful, "x": referrals - acc.pending - acc.successful}).Execute()
		return err
	})
}

// statusOf gives the seeded referrals a plausible mix: 60 % successful,
// 10 % pending, 30 % expired.
func statusOf(i int) string {
	switch i % 10 {
	case 0:
		return schema.StatusPending
	case 1, 2, 3:
		return schema.StatusExpired
	}
	return schema.StatusSuccessful
}

// spread places the i-th of n events evenly over the last historySpread
// days, the newest today.
func (s *historySeeder) spread(i, n int) time.Time {
	back := time.Duration(float64(n-1-i) / float64(max(n, 1)) * float64(historySpread*24*time.Hour))
	return s.now.Add(-back)
}

// user inserts an account with the shared password hash and returns its
// id; referredBy is its referrer's id, or "".
func (s *historySeeder) user(app core.App, username, referredBy string, verified bool) (string, error) {
	s.seq++
	id := core.GenerateDefaultRandomId()
	key := make([]byte, 25)
	if _, err := rand.Read(key); err != nil {
		return "", err
	}
	_, err := app.DB().NewQuery(`INSERT INTO {{users}} ([[id]], [[email]], [[username]], [[password]], [[tokenKey]], [[verified]],
		  [[referral_code]], [[referred_by]], [[notify_referrals]], [[created]], [[updated]])
		VALUES ({:id}, {:email}, {:name}, {:hash}, {:key}, {:verified}, {:code}, {:by}, FALSE, {:now}, {:now})`).
		Bind(dbx.Params{"id": id, "email": username + "@example.com", "name": username, "hash": s.hash, "key": hex.EncodeToString(key),
			"verified": verified, "code": seededCode(s.seq), "by": referredBy, "now": stamp(s.now)}).Execute()
	return id, err
}

// seededCode is a referral code of the alphabet, distinct for every n
// (n in base 31); the accounts the API makes draw theirs at random from
// 31^8, so a clash is a chance of about one in 10^6 per run.
func seededCode(n int) string {
	code := make([]byte, referral.CodeLength)
	for i := len(code) - 1; i >= 0; i-- {
		code[i] = referral.CodeAlphabet[n%len(referral.CodeAlphabet)]
		n /= len(referral.CodeAlphabet)
	}
	return string(code)
}

// stamp writes t as PocketBase stores dates.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05.000Z") }
