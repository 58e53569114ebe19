package linkstore

import (
	"sort"
	"time"

	"github.com/pocketbase/dbx"

	"linkbase/linkbio"
	"linkbase/schema"
	"linkbase/uaparse"
)

// Lengths of Analytics.TopReferrers and Analytics.UTMSources (whose rest
// is summed into linkbio.UTMOther).
const (
	topReferrersShown = 10
	utmSourcesShown   = 10
)

// Analytics is the body of GET /api/analytics: an owner's views and clicks
// of the last days, from the daily rollups (counts still buffered show
// once flushed, within the flush interval).
type Analytics struct {
	Views        int64              `json:"views"`
	UniqueViews  int64              `json:"unique_views"` // the days' distinct visitors, summed
	Clicks       int64              `json:"clicks"`
	CTR          float64            `json:"ctr"`
	Daily        []AnalyticsDay     `json:"daily"`
	Links        []AnalyticsLink    `json:"links"` // links only, not section headers
	TopReferrers []AnalyticsReferer `json:"top_referrers"`
	Devices      map[string]int64   `json:"devices"`  // every uaparse device, zeros too
	Browsers     map[string]int64   `json:"browsers"` // every uaparse browser, zeros too
	UTMSources   []AnalyticsSource  `json:"utm_sources"`
}

// AnalyticsDay is one UTC day's counts.
type AnalyticsDay struct {
	Date        string `json:"date"`
	Views       int64  `json:"views"`
	UniqueViews int64  `json:"unique_views"`
	Clicks      int64  `json:"clicks"`
}

// AnalyticsSource is one utm_source's views over the range.
type AnalyticsSource struct {
	Source string `json:"source"`
	Views  int64  `json:"views"`
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
	err := db.NewQuery("SELECT [[date]], [[views]], [[unique_views]], [[clicks]] FROM {{profile_daily}} WHERE [[profile]] = {:owner} AND [[date]] >= {:from}").
		Bind(params).All(&dailyRows)
	if err != nil {
		return a, err
	}
	err = db.NewQuery(`SELECT l.[[id]], l.[[title]], COALESCE(SUM(d.[[clicks]]), 0) AS clicks FROM {{links}} l
		LEFT JOIN {{link_daily}} d ON d.[[link]] = l.[[id]] AND d.[[date]] >= {:from}
		WHERE l.[[owner]] = {:owner} AND l.[[kind]] != 'header' GROUP BY l.[[id]] ORDER BY l.[[position]], l.[[created]]`).Bind(params).All(&a.Links)
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
			d.UniqueViews += r.UniqueViews
			d.Clicks += r.Clicks
		}
	}
	for _, d := range a.Daily {
		a.Views += d.Views
		a.UniqueViews += d.UniqueViews
		a.Clicks += d.Clicks
	}
	if a.Views > 0 {
		a.CTR = float64(a.Clicks) / float64(a.Views)
	}
	a.TopReferrers = topReferrers(refRows, topReferrersShown)
	return a, s.breakdowns(&a, params)
}

// breakdowns fills a's devices, browsers and utm_sources from view_daily.
func (s *Store) breakdowns(a *Analytics, params dbx.Params) error {
	var rows []struct {
		Dimension string `db:"dimension"`
		Value     string `db:"value"`
		Views     int64  `db:"views"`
	}
	err := s.app.DB().NewQuery(`SELECT [[dimension]], [[value]], SUM([[views]]) AS views FROM {{view_daily}}
		WHERE [[profile]] = {:owner} AND [[date]] >= {:from} GROUP BY [[dimension]], [[value]]`).Bind(params).All(&rows)
	if err != nil {
		return err
	}
	a.Devices, a.Browsers = zeros(uaparse.Devices), zeros(uaparse.Browsers)
	var sources []AnalyticsSource
	for _, r := range rows {
		switch r.Dimension {
		case schema.DimensionDevice:
			a.Devices[r.Value] += r.Views
		case schema.DimensionBrowser:
			a.Browsers[r.Value] += r.Views
		case schema.DimensionUTM:
			sources = append(sources, AnalyticsSource{Source: r.Value, Views: r.Views})
		}
	}
	a.UTMSources = []AnalyticsSource{}
	var other int64
	byViews(sources, func(s AnalyticsSource) (string, int64) { return s.Source, s.Views })
	for _, src := range sources {
		if len(a.UTMSources) < utmSourcesShown && src.Source != linkbio.UTMOther {
			a.UTMSources = append(a.UTMSources, src)
		} else {
			other += src.Views
		}
	}
	if other > 0 {
		a.UTMSources = append(a.UTMSources, AnalyticsSource{Source: linkbio.UTMOther, Views: other})
	}
	return nil
}

// zeros is a count of 0 for each of names.
func zeros(names []string) map[string]int64 {
	m := make(map[string]int64, len(names))
	for _, n := range names {
		m[n] = 0
	}
	return m
}

// topReferrers are the n hosts with the most views, ties by name.
func topReferrers(rows []AnalyticsReferer, n int) []AnalyticsReferer {
	out := append([]AnalyticsReferer{}, rows...)
	byViews(out, func(r AnalyticsReferer) (string, int64) { return r.Host, r.Views })
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// byViews sorts rows by their views, most first, ties by name.
func byViews[T any](rows []T, key func(T) (name string, views int64)) {
	sort.Slice(rows, func(i, j int) bool {
		ni, vi := key(rows[i])
		nj, vj := key(rows[j])
		if vi != vj {
			return vi > vj
		}
		return ni < nj
	})
}
