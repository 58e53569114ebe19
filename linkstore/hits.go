package linkstore

import (
	"context"
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// DayFormat is how rollup days are written: UTC calendar days.
const DayFormat = "2006-01-02"

// Hit identifies one bucket of buffered counts: the clicks on a link of a
// profile's owner on a day (Link set), or the views of a profile on a day
// (Link empty) from a referrer host ("" for direct visits), with a
// utm_source ("" for none), on a device and in a browser (uaparse's
// names).
type Hit struct {
	Link, Profile, Day string
	Host, UTM          string
	Device, Browser    string
}

// foldHit is where a hit goes past the buffer's bound: a view from a host
// or with a utm_source not yet buffered counts as a direct, untagged one,
// since forged Referer headers and query strings are the only way to make
// many buckets; clicks and the rest of a view are kept (their buckets are
// bounded by the links and profiles that exist, times three devices and
// seven browsers).
func foldHit(h Hit) (Hit, bool) {
	h.Host, h.UTM = "", ""
	return h, true
}

// count buffers one hit, and kicks a flush when the buffer is full.
func (s *Store) count(h Hit) {
	s.hits.Add(h, 1)
	if s.hits.Full() {
		s.flusher.Kick()
	}
}

// FlushHits writes the buffered views, visitors and clicks now; the
// flusher does this on its own, tests and tools call it to see the counts
// at once.
func (s *Store) FlushHits(ctx context.Context) error { return s.flusher.Flush(ctx) }

// pendingHits is what the flusher reports as buffered.
func (s *Store) pendingHits() int { return s.hits.Len() + s.visitors.Len() }

// flushHits writes the buffered counts in one transaction. If the write
// fails the counts go back into the buffers for the next flush, so nothing
// is lost.
func (s *Store) flushHits(context.Context) error {
	batch, visitors := s.hits.Drain(), s.visitors.Drain()
	if len(batch) == 0 && len(visitors) == 0 {
		return nil
	}
	today := s.clock().UTC()
	err := s.app.RunInTransaction(func(txApp core.App) error {
		uniques, err := writeVisitors(txApp, visitors, today)
		if err != nil {
			return err
		}
		return writeBatch(txApp, batch, uniques)
	})
	if err != nil {
		s.hits.Restore(batch)
		s.visitors.Restore(visitors)
		return fmt.Errorf("writing %d view and click buckets and %d visitors: %w", len(batch), len(visitors), err)
	}
	return nil
}

// dayKey is a profile's day.
type dayKey struct{ profile, day string }

// dayCounts are the profile_daily counters of one day.
type dayCounts struct{ views, clicks, uniques int64 }

// writeBatch adds a batch to links.clicks and the daily rollups, with SQL
// increments (upserts on the rollups' unique indexes); uniques are the new
// visitors of each profile's day. Counts for a link or user deleted since
// the hit are dropped.
func writeBatch(app core.App, batch map[Hit]int64, uniques map[dayKey]int64) error {
	db := app.DB()
	days := map[dayKey]dayCounts{}
	for k, n := range uniques {
		c := days[k]
		c.uniques += n
		days[k] = c
	}
	breakdown := map[breakdownKey]int64{}

	for k, n := range batch {
		day := dayKey{k.Profile, k.Day}
		c := days[day]
		if k.Link != "" {
			c.clicks += n
			days[day] = c
			if err := writeClicks(db, k, n); err != nil {
				return err
			}
			continue
		}
		c.views += n
		days[day] = c
		for _, d := range k.dimensions() {
			if d.value != "" {
				breakdown[breakdownKey{day, d.name, d.value}] += n
			}
		}
		if k.Host == "" {
			continue // direct visits are the day's views minus its referred ones
		}
		_, err := db.NewQuery(`INSERT INTO {{referrer_daily}} ([[id]], [[profile]], [[date]], [[host]], [[views]])
			SELECT {:id}, {:profile}, {:date}, {:host}, {:n} WHERE EXISTS (SELECT 1 FROM {{users}} WHERE [[id]] = {:profile})
			ON CONFLICT ([[profile]], [[date]], [[host]]) DO UPDATE SET [[views]] = [[views]] + excluded.[[views]]`).
			Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "profile": k.Profile, "date": k.Day, "host": k.Host, "n": n}).Execute()
		if err != nil {
			return err
		}
	}

	if err := writeBreakdown(db, breakdown); err != nil {
		return err
	}
	for k, c := range days {
		_, err := db.NewQuery(`INSERT INTO {{profile_daily}} ([[id]], [[profile]], [[date]], [[views]], [[clicks]], [[unique_views]])
			SELECT {:id}, {:profile}, {:date}, {:views}, {:clicks}, {:uniques} WHERE EXISTS (SELECT 1 FROM {{users}} WHERE [[id]] = {:profile})
			ON CONFLICT ([[profile]], [[date]]) DO UPDATE SET [[views]] = [[views]] + excluded.[[views]],
				[[clicks]] = [[clicks]] + excluded.[[clicks]], [[unique_views]] = [[unique_views]] + excluded.[[unique_views]]`).
			Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "profile": k.profile, "date": k.day,
				"views": c.views, "clicks": c.clicks, "uniques": c.uniques}).Execute()
		if err != nil {
			return err
		}
	}
	return nil
}

// writeClicks adds n clicks of a click hit to its link and link_daily.
func writeClicks(db dbx.Builder, k Hit, n int64) error {
	p := dbx.Params{"id": core.GenerateDefaultRandomId(), "link": k.Link, "owner": k.Profile, "date": k.Day, "n": n}
	if _, err := db.NewQuery("UPDATE {{links}} SET [[clicks]] = [[clicks]] + {:n} WHERE [[id]] = {:link}").Bind(p).Execute(); err != nil {
		return err
	}
	_, err := db.NewQuery(`INSERT INTO {{link_daily}} ([[id]], [[link]], [[owner]], [[date]], [[clicks]])
		SELECT {:id}, {:link}, {:owner}, {:date}, {:n} WHERE EXISTS (SELECT 1 FROM {{links}} WHERE [[id]] = {:link})
		ON CONFLICT ([[link]], [[date]]) DO UPDATE SET [[clicks]] = [[clicks]] + excluded.[[clicks]]`).Bind(p).Execute()
	return err
}
