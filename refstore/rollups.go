package refstore

import (
	"database/sql"
	"errors"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/schema"
)

// The rollups (referral_daily, referral_totals) are kept by every write
// that changes what they count, in that write's transaction: referral
// creates, status changes and deletes (ApplyReferralChange, from the
// referrals hooks), counted visits (the visit flush and a sign-up's
// claimed visit), and referral and milestone rewards (AddCreditsEarned,
// from the rewards hook). Stats then read a few rows whatever the history.

// dayCounts are one referrer's changes on one UTC day.
type dayCounts struct{ visits, signups, successful int }

// totalCounts are one referrer's changes of their totals.
type totalCounts struct{ visits, signups, pending, successful, expired, rejected, creditsEarned int }

// rollupChange gathers the changes of one write.
type rollupChange struct {
	days   map[string]dayCounts
	totals totalCounts
}

// upsertGuard keeps a write from recreating the rollups of a referrer
// being deleted: PocketBase deletes the user before cascading to their
// referrals, whose delete hooks then find no user and write nothing.
const upsertGuard = " WHERE EXISTS (SELECT 1 FROM {{users}} WHERE [[id]] = {:r})"

// apply writes the change of referrer's rollups with tx.
func (c rollupChange) apply(tx core.App, referrer string) error {
	for day, d := range c.days {
		if d == (dayCounts{}) {
			continue
		}
		_, err := tx.DB().NewQuery(`INSERT INTO {{referral_daily}} ([[id]], [[referrer]], [[date]], [[visits]], [[signups]], [[successful]])
			SELECT {:id}, {:r}, {:d}, {:v}, {:s}, {:ok}` + upsertGuard + `
			ON CONFLICT ([[referrer]], [[date]]) DO UPDATE SET [[visits]] = [[visits]] + excluded.visits,
			  [[signups]] = [[signups]] + excluded.signups, [[successful]] = [[successful]] + excluded.successful`).
			Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "r": referrer, "d": day, "v": d.visits, "s": d.signups, "ok": d.successful}).
			Execute()
		if err != nil {
			return err
		}
	}
	t := c.totals
	if t == (totalCounts{}) {
		return nil
	}
	_, err := tx.DB().NewQuery(`INSERT INTO {{referral_totals}} ([[id]], [[referrer]], [[visits]], [[signups]], [[pending]],
		  [[successful]], [[expired]], [[rejected]], [[credits_earned]])
		SELECT {:id}, {:r}, {:v}, {:s}, {:p}, {:ok}, {:x}, {:rj}, {:c}` + upsertGuard + `
		ON CONFLICT ([[referrer]]) DO UPDATE SET [[visits]] = [[visits]] + excluded.visits,
		  [[signups]] = [[signups]] + excluded.signups, [[pending]] = [[pending]] + excluded.pending,
		  [[successful]] = [[successful]] + excluded.successful, [[expired]] = [[expired]] + excluded.expired,
		  [[rejected]] = [[rejected]] + excluded.rejected, [[credits_earned]] = [[credits_earned]] + excluded.credits_earned`).
		Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "r": referrer, "v": t.visits, "s": t.signups, "p": t.pending,
			"ok": t.successful, "x": t.expired, "rj": t.rejected, "c": t.creditsEarned}).
		Execute()
	return err
}

// add counts (sign = 1) or uncounts (sign = -1) what referral r
// contributes to its referrer's rollups: a sign-up on the day it was
// created, its status, and a success on the day it completed.
func (c *rollupChange) add(r *core.Record, sign int) {
	created := day(r.GetDateTime("created").Time())
	d := c.days[created]
	d.signups += sign
	c.days[created] = d
	c.totals.signups += sign
	switch r.GetString(schema.ReferralStatus) {
	case schema.StatusPending:
		c.totals.pending += sign
	case schema.StatusSuccessful:
		c.totals.successful += sign
		if at := r.GetDateTime(schema.ReferralCompletedAt); !at.IsZero() {
			done := day(at.Time())
			d := c.days[done]
			d.successful += sign
			c.days[done] = d
		}
	case schema.StatusExpired:
		c.totals.expired += sign
	case schema.StatusRejected:
		c.totals.rejected += sign
	}
}

// ApplyReferralChange keeps the rollups of a referral's referrer in step
// with a write of it: before is the stored referral (nil on create), after
// the saved one (nil on delete). Call it with the write's transaction.
func ApplyReferralChange(tx core.App, before, after *core.Record) error {
	c := rollupChange{days: map[string]dayCounts{}}
	referrer := ""
	if before != nil {
		c.add(before, -1)
		referrer = before.GetString(schema.ReferralReferrer)
	}
	if after != nil {
		c.add(after, 1)
		referrer = after.GetString(schema.ReferralReferrer)
	}
	return c.apply(tx, referrer)
}

// AddCreditsEarned adds a referral or milestone reward to its user's
// totals (what the lifetime cap and credits_earned count).
func AddCreditsEarned(tx core.App, userID string, amount int) error {
	return rollupChange{totals: totalCounts{creditsEarned: amount}}.apply(tx, userID)
}

// addVisits counts n new visits of referrer on day.
func addVisits(tx core.App, referrer, day string, n int) error {
	return rollupChange{days: map[string]dayCounts{day: {visits: n}}, totals: totalCounts{visits: n}}.apply(tx, referrer)
}

// day is t's UTC day as the rollups write it.
func day(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// Totals are a referrer's rollup totals.
type Totals struct {
	Visits        int `db:"visits"`
	Signups       int `db:"signups"`
	Pending       int `db:"pending"`
	Successful    int `db:"successful"`
	Expired       int `db:"expired"`
	Rejected      int `db:"rejected"`
	CreditsEarned int `db:"credits_earned"`
}

// ReadTotals returns userID's totals (zeros for a user who never had a
// visit, a referral or a reward), with app or a transaction's app.
func ReadTotals(app core.App, userID string) (Totals, error) {
	var t Totals
	err := app.DB().NewQuery("SELECT [[visits]], [[signups]], [[pending]], [[successful]], [[expired]], [[rejected]], [[credits_earned]]" +
		" FROM {{referral_totals}} WHERE [[referrer]] = {:u}").Bind(dbx.Params{"u": userID}).One(&t)
	if isNoRows(err) {
		return Totals{}, nil
	}
	return t, err
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
