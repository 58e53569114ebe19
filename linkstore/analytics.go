package linkstore

import (
	"sort"
	"time"

	"github.com/pocketbase/dbx"
)

// topReferrersShown is the length of Analytics.TopReferrers.
const topReferrersShown = 10

// Analytics is the body of GET /api/analytics: an owner's views and clicks
// of the last days, from the daily rollups (counts still buffered show
// once flushed, within the flush interval).
type Analytics struct {
	Views        int64              `json:"views"`
	Clicks       int64              `json:"clicks"`
	CTR          float64            `json:"ctr"`
	Daily        []AnalyticsDay     `json:"daily"`
	Links        []AnalyticsLink    `json:"links"`
	TopReferrers []AnalyticsReferer `json:"top_referrers"`
}

// AnalyticsDay is one UTC day's counts.
type AnalyticsDay struct {
	Date   string `json:"date"`
	Views  int64  `json:"views"`
	Clicks int64  `json:"clicks"`
}

// AnalyticsLink is one link's clicks over the range.
type AnalyticsLink struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Clicks int64  `json:"clicks"`
}

// AnalyticsReferer is one referrer host's views over the range.
type AnalyticsReferer struct {
	Host  string `json:"host"`
	Views int64  `json:"views"`
}

// Analytics returns owner's figures of the last days UTC days, today
// included, every day listed (zeros too).
func (s *Store) Analytics(owner string, days int) (Analytics, error) {
	today := s.clock().UTC().Truncate(24 * time.Hour)
	from := today.AddDate(0, 0, -(days - 1)).Format(DayFormat)
	params := dbx.Params{"owner": owner, "from": from}
	db := s.app.DB()
	var a Analytics

	var dailyRows []AnalyticsDay
	err := db.NewQuery("SELECT [[date]], [[views]], [[clicks]] FROM {{profile_daily}} WHERE [[profile]] = {:owner} AND [[date]] >= {:from}").
		Bind(params).All(&dailyRows)
	if err != nil {
		return a, err
	}
	err = db.NewQuery(`SELECT l.[[id]], l.[[title]], COALESCE(SUM(d.[[clicks]]), 0) AS clicks FROM {{links}} l
		LEFT JOIN {{link_daily}} d ON d.[[link]] = l.[[id]] AND d.[[date]] >= {:from}
		WHERE l.[[owner]] = {:owner} GROUP BY l.[[id]] ORDER BY l.[[position]], l.[[created]]`).Bind(params).All(&a.Links)
	if err != nil {
		return a, err
	}
	if a.Links == nil {
		a.Links = []AnalyticsLink{} // a JSON list, never null
	}
	var refRows []AnalyticsReferer
	err = db.NewQuery(`SELECT [[host]], SUM([[views]]) AS views FROM {{referrer_daily}}
		WHERE [[profile]] = {:owner} AND [[date]] >= {:from} GROUP BY [[host]]`).Bind(params).All(&refRows)
	if err != nil {
		return a, err
	}

	byDay := map[string]*AnalyticsDay{}
	a.Daily = make([]AnalyticsDay, days)
	for i := range a.Daily {
		a.Daily[i].Date = today.AddDate(0, 0, i-(days-1)).Format(DayFormat)
		byDay[a.Daily[i].Date] = &a.Daily[i]
	}
	for _, r := range dailyRows {
		if d := byDay[r.Date]; d != nil {
			d.Views += r.Views
			d.Clicks += r.Clicks
		}
	}
	for _, d := range a.Daily {
		a.Views += d.Views
		a.Clicks += d.Clicks
	}
	if a.Views > 0 {
		a.CTR = float64(a.Clicks) / float64(a.Views)
	}
	a.TopReferrers = topReferrers(refRows, topReferrersShown)
	return a, nil
}

// topReferrers are the n hosts with the most views, ties by name.
func topReferrers(rows []AnalyticsReferer, n int) []AnalyticsReferer {
	out := append([]AnalyticsReferer{}, rows...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Views != out[j].Views {
			return out[i].Views > out[j].Views
		}
		return out[i].Host < out[j].Host
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}
