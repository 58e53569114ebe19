package refstore

import (
	"math"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/referral"
)

// statsDays is the length of Stats.Last30Days.
const statsDays = 30

// DayStats are one UTC day's counts.
type DayStats struct {
	Date       string `json:"date" db:"date"`
	Visits     int    `json:"visits" db:"visits"`
	Signups    int    `json:"signups" db:"signups"`
	Successful int    `json:"successful" db:"successful"`
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

// countStats reads userID's stats from the rollups: the totals row, the
// user's balance and at most statsDays daily rows, whatever the history.
func countStats(app core.App, rules referral.Rules, userID string, now time.Time) (Counts, error) {
	today := now.UTC().Truncate(24 * time.Hour)
	c := Counts{until: today.AddDate(0, 0, 1)}
	t, err := ReadTotals(app, userID)
	if err != nil {
		return c, err
	}
	c.Visits, c.Signups, c.CreditsEarned = t.Visits, t.Signups, t.CreditsEarned
	c.Pending, c.Successful, c.Expired, c.Rejected = t.Pending, t.Successful, t.Expired, t.Rejected
	if err := app.DB().NewQuery("SELECT [[credits]] FROM {{users}} WHERE [[id]] = {:u}").Bind(dbx.Params{"u": userID}).Row(&c.CreditsBalance); err != nil {
		return c, err
	}
	if c.Visits > 0 {
		c.ConversionRate = math.Round(float64(c.Signups)/float64(c.Visits)*10_000) / 10_000
	}
	c.NextMilestone = rules.NextMilestone(c.Successful)
	c.Last30Days, err = lastDays(app, userID, now)
	return c, err
}

// lastDays returns every one of the last statsDays UTC days, oldest first,
// zeros included, so that a chart needs no gap filling.
func lastDays(app core.App, userID string, now time.Time) ([]DayStats, error) {
	first := now.UTC().AddDate(0, 0, -(statsDays - 1)).Format(time.DateOnly)
	var rows []DayStats
	err := app.DB().NewQuery("SELECT [[date]], [[visits]], [[signups]], [[successful]] FROM {{referral_daily}}" +
		" WHERE [[referrer]] = {:u} AND [[date]] >= {:first}").Bind(dbx.Params{"u": userID, "first": first}).All(&rows)
	if err != nil {
		return nil, err
	}
	byDate := make(map[string]DayStats, len(rows))
	for _, r := range rows {
		byDate[r.Date] = r
	}
	days := make([]DayStats, statsDays)
	for i := range days {
		d := now.UTC().AddDate(0, 0, i-(statsDays-1)).Format(time.DateOnly)
		days[i] = byDate[d]
		days[i].Date = d
	}
	return days, nil
}
