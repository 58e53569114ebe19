package linkstore

import (
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/linkbio"
	"linkbase/schema"
	"linkbase/uaparse"
)

// maxUTMSources caps the utm_sources a profile's day keeps apart; the
// rest are counted as linkbio.UTMOther, so a flood of made-up campaign
// names cannot grow the rollups.
const maxUTMSources = 20

// View is one page view by a person (the caller leaves out crawlers,
// link-preview bots and prefetches, package bots).
type View struct {
	Profile   string // the owner's id
	Host      string // the referrer's host (linkbio.ReferrerHost), "" for a direct visit
	UTMSource string // the page URL's utm_source, as sent
	UserAgent string
	// Visitor tells visitors apart for unique_views: the visitor cookie,
	// else the client's address and user agent. Only a salted hash of it,
	// the profile and the day is kept, in memory and in profile_visitors.
	Visitor string
}

// visitorKey is a visitor of a profile's day, by the salted hash.
type visitorKey struct{ Profile, Day, Visitor string }

// CountView counts one view in the buffer, with its device, browser,
// source and visitor; the rollups get it at the next flush.
func (s *Store) CountView(v View) {
	day := s.clock().UTC().Format(DayFormat)
	client := uaparse.Parse(v.UserAgent)
	s.count(Hit{Profile: v.Profile, Day: day, Host: v.Host, UTM: linkbio.UTMSource(v.UTMSource),
		Device: client.Device, Browser: client.Browser})
	if v.Visitor == "" {
		return
	}
	id, err := s.hash("view", v.Profile, day, v.Visitor)
	if err != nil {
		s.app.Logger().Warn("hashing a page visitor", "error", err)
		return
	}
	s.hits.Add(bucket{Visitor: visitorKey{v.Profile, day, id}}, 1)
}

// dimension is one breakdown of a view: its name in view_daily, and the
// view's value there ("" for none).
type dimension struct{ name, value string }

// dimensions are the breakdowns a view hit is counted under.
func (h Hit) dimensions() [3]dimension {
	return [3]dimension{{schema.DimensionDevice, h.Device}, {schema.DimensionBrowser, h.Browser}, {schema.DimensionUTM, h.UTM}}
}

// breakdownKey is one row of view_daily.
type breakdownKey struct {
	day              dayKey
	dimension, value string
}

// writeBreakdown adds views to view_daily. A utm_source beyond the day's
// maxUTMSources is added to linkbio.UTMOther instead.
func writeBreakdown(db dbx.Builder, rows map[breakdownKey]int64) error {
	for k, n := range rows {
		limit := 0 // none
		if k.dimension == schema.DimensionUTM && k.value != linkbio.UTMOther {
			limit = maxUTMSources
		}
		written, err := upsertBreakdown(db, k, n, limit)
		if err != nil {
			return err
		}
		if !written && limit > 0 {
			k.value = linkbio.UTMOther
			if _, err := upsertBreakdown(db, k, n, 0); err != nil {
				return err
			}
		}
	}
	return nil
}

// upsertBreakdown adds n to a row of view_daily and reports whether it did:
// not for a deleted profile, nor for a new value of a dimension that
// already has limit values that day (limit 0: no limit).
func upsertBreakdown(db dbx.Builder, k breakdownKey, n int64, limit int) (bool, error) {
	res, err := db.NewQuery(`INSERT INTO {{view_daily}} ([[id]], [[profile]], [[date]], [[dimension]], [[value]], [[views]])
		SELECT {:id}, {:profile}, {:date}, {:dimension}, {:value}, {:n}
		WHERE EXISTS (SELECT 1 FROM {{users}} WHERE [[id]] = {:profile}) AND ({:limit} = 0
			OR EXISTS (SELECT 1 FROM {{view_daily}} WHERE [[profile]] = {:profile} AND [[date]] = {:date} AND [[dimension]] = {:dimension} AND [[value]] = {:value})
			OR (SELECT COUNT(*) FROM {{view_daily}} WHERE [[profile]] = {:profile} AND [[date]] = {:date} AND [[dimension]] = {:dimension}) < {:limit})
		ON CONFLICT ([[profile]], [[date]], [[dimension]], [[value]]) DO UPDATE SET [[views]] = [[views]] + excluded.[[views]]`).
		Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "profile": k.day.profile, "date": k.day.day,
			"dimension": k.dimension, "value": k.value, "n": n, "limit": limit}).Execute()
	if err != nil {
		return false, err
	}
	affected, err := res.RowsAffected()
	return affected > 0, err
}

// writeVisitors records the buffered visitors in profile_visitors, whose
// unique index keeps the first of each profile's day, and returns how many
// were new per profile's day: the day's unique views. Rows older than
// yesterday are dropped first (yesterday's stay for views buffered across
// midnight), so the table holds about two days of visitors whatever the
// history.
func writeVisitors(app core.App, visitors map[visitorKey]int64, now time.Time) (map[dayKey]int64, error) {
	db := app.DB()
	yesterday := now.AddDate(0, 0, -1).Format(DayFormat)
	if _, err := db.NewQuery("DELETE FROM {{profile_visitors}} WHERE [[date]] < {:day}").Bind(dbx.Params{"day": yesterday}).Execute(); err != nil {
		return nil, err
	}
	uniques := map[dayKey]int64{}
	for k := range visitors {
		res, err := db.NewQuery(`INSERT OR IGNORE INTO {{profile_visitors}} ([[id]], [[profile]], [[date]], [[visitor]])
			SELECT {:id}, {:profile}, {:date}, {:visitor} WHERE EXISTS (SELECT 1 FROM {{users}} WHERE [[id]] = {:profile})`).
			Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "profile": k.Profile, "date": k.Day, "visitor": k.Visitor}).Execute()
		if err != nil {
			return nil, err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			uniques[dayKey{k.Profile, k.Day}]++
		}
	}
	return uniques, nil
}
