package refstore

import (
	"math"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/referral"
	"linkbase/schema"
)

// statsDays is the length of Stats.Last30Days.
const statsDays = 30

// DayStats are one UTC day's counts.
type DayStats struct {
	Date       string `json:"date"`
	Visits     int    `json:"visits"`
	Signups    int    `json:"signups"`
	Successful int    `json:"successful"`
}

// Counts are a referrer's exact counts, as GET /api/referral-stats shows
// them (without the code and link, which come from the user record).
type Counts struct {
	Visits         int                 `json:"visits"`
	Signups        int                 `json:"signups"`
	Successful     int                 `json:"successful"`
	Pending        int                 `json:"pending"`
	Expired        int                 `json:"expired"`
	Rejected       int                 `json:"rejected"`
	ConversionRate float64             `json:"conversion_rate"`
	CreditsEarned  int                 `json:"credits_earned"`
	CreditsBalance int                 `json:"credits_balance"`
	NextMilestone  *referral.Milestone `json:"next_milestone"`
	Last30Days     []DayStats          `json:"last_30_days"`

	until time.Time // the end of the day Last30Days ends on
}

// UserStats returns the referral counts of userID, from the cache when it
// holds them for today. Queued visits count once they are written (within
// the flush interval).
func (s *Store) UserStats(userID string) (Counts, error) {
	return s.stats.Get(userID, func() (Counts, error) {
		rules, err := s.Rules()
		if err != nil {
			return Counts{}, err
		}
		return countStats(s.app, rules, userID, s.clock())
	})
}

type countRow struct {
	Key string `db:"k"`
	N   int    `db:"n"`
}

func countStats(app core.App, rules referral.Rules, userID string, now time.Time) (Counts, error) {
	today := now.UTC().Truncate(24 * time.Hour)
	c := Counts{until: today.AddDate(0, 0, 1)}
	p := dbx.Params{"u": userID}
	db := app.DB()

	if err := db.NewQuery("SELECT COUNT(*) FROM {{referral_visits}} WHERE [[referrer]] = {:u}").Bind(p).Row(&c.Visits); err != nil {
		return c, err
	}
	var byStatus []countRow
	if err := db.NewQuery("SELECT [[status]] AS k, COUNT(*) AS n FROM {{referrals}} WHERE [[referrer]] = {:u} GROUP BY [[status]]").Bind(p).All(&byStatus); err != nil {
		return c, err
	}
	for _, r := range byStatus {
		c.Signups += r.N
		switch r.Key {
		case schema.StatusSuccessful:
			c.Successful = r.N
		case schema.StatusPending:
			c.Pending = r.N
		case schema.StatusExpired:
			c.Expired = r.N
		case schema.StatusRejected:
			c.Rejected = r.N
		}
	}
	var err error
	if c.CreditsEarned, err = CreditsEarned(app, userID); err != nil {
		return c, err
	}
	if err := db.NewQuery("SELECT [[credits]] FROM {{users}} WHERE [[id]] = {:u}").Bind(p).Row(&c.CreditsBalance); err != nil {
		return c, err
	}
	if c.Visits > 0 {
		c.ConversionRate = math.Round(float64(c.Signups)/float64(c.Visits)*10_000) / 10_000
	}
	c.NextMilestone = rules.NextMilestone(c.Successful)
	c.Last30Days, err = lastDays(app, userID, now)
	return c, err
}

// CreditsEarned is the sum of userID's referral and milestone rewards,
// which the lifetime cap applies to.
func CreditsEarned(app core.App, userID string) (int, error) {
	var earned int
	err := app.DB().NewQuery("SELECT COALESCE(SUM([[amount]]), 0) FROM {{rewards}} WHERE [[user]] = {:u} AND [[kind]] IN ({:k1}, {:k2})").
		Bind(dbx.Params{"u": userID, "k1": schema.RewardKindReferral, "k2": schema.RewardKindMilestone}).Row(&earned)
	return earned, err
}

// lastDays returns every one of the last statsDays UTC days, oldest first,
// zeros included, so that a chart needs no gap filling.
func lastDays(app core.App, userID string, now time.Time) ([]DayStats, error) {
	first := now.UTC().AddDate(0, 0, -(statsDays - 1)).Format(time.DateOnly)
	p := dbx.Params{"u": userID, "first": first, "ok": schema.StatusSuccessful}
	queries := []string{
		"SELECT [[day]] AS k, COUNT(*) AS n FROM {{referral_visits}} WHERE [[referrer]] = {:u} AND [[day]] >= {:first} GROUP BY k",
		"SELECT substr([[created]], 1, 10) AS k, COUNT(*) AS n FROM {{referrals}} WHERE [[referrer]] = {:u} AND [[created]] >= {:first} GROUP BY k",
		"SELECT substr([[completed_at]], 1, 10) AS k, COUNT(*) AS n FROM {{referrals}} WHERE [[referrer]] = {:u} AND [[status]] = {:ok} AND [[completed_at]] >= {:first} GROUP BY k",
	}
	counts := make([]map[string]int, len(queries))
	for i, q := range queries {
		var rows []countRow
		if err := app.DB().NewQuery(q).Bind(p).All(&rows); err != nil {
			return nil, err
		}
		counts[i] = map[string]int{}
		for _, r := range rows {
			counts[i][r.Key] = r.N
		}
	}
	days := make([]DayStats, statsDays)
	for i := range days {
		d := now.UTC().AddDate(0, 0, i-(statsDays-1)).Format(time.DateOnly)
		days[i] = DayStats{Date: d, Visits: counts[0][d], Signups: counts[1][d], Successful: counts[2][d]}
	}
	return days, nil
}
