package linkstore

import (
	"context"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// DayFormat is how rollup days are written: UTC calendar days.
const DayFormat = "2006-01-02"

// Hit identifies one bucket of buffered counts: the clicks on a link of a
// profile's owner on a day (Link set), or the views of a profile on a day
// from a referrer host (Link empty; Host "" for direct visits).
type Hit struct{ Link, Profile, Day, Host string }

// foldHit is where a hit goes past the buffer's bound: a view from a host
// not yet buffered counts as a direct one, since forged Referer headers
// are the only way to make many buckets; clicks and direct views are kept
// (their buckets are bounded by the links and profiles that exist).
func foldHit(h Hit) (Hit, bool) {
	h.Host = ""
	return h, true
}

// CountView counts one view of the profile owned by profileID, referred by
// host ("" for a direct visit).
func (s *Store) CountView(profileID, host string) {
	s.count(Hit{Profile: profileID, Day: s.clock().UTC().Format(DayFormat), Host: host})
}

// count buffers one hit (the buffer kicks a flush when full).
func (s *Store) count(h Hit) { s.hits.Add(h, 1) }

// FlushHits writes the buffered views and clicks now; the flusher does
// this on its own, tests and tools call it to see the counts at once.
func (s *Store) FlushHits(ctx context.Context) error { return s.hits.Flush(ctx) }

type dayKey struct{ profile, day string }

// writeBatch adds a batch to links.clicks and the daily rollups, with SQL
// increments (upserts on the rollups' unique indexes), in the buffer's
// transaction: a failed batch stays buffered for the next flush. Counts
// for a link or user deleted since the hit are dropped.
func writeBatch(app core.App, batch map[Hit]int64) error {
	db := app.DB()
	profileDays := map[dayKey][2]int64{} // views, clicks

	for k, n := range batch {
		c := profileDays[dayKey{k.Profile, k.Day}]
		if k.Link == "" {
			c[0] += n
			profileDays[dayKey{k.Profile, k.Day}] = c
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
			continue
		}

		c[1] += n
		profileDays[dayKey{k.Profile, k.Day}] = c
		p := dbx.Params{"id": core.GenerateDefaultRandomId(), "link": k.Link, "owner": k.Profile, "date": k.Day, "n": n}
		if _, err := db.NewQuery("UPDATE {{links}} SET [[clicks]] = [[clicks]] + {:n} WHERE [[id]] = {:link}").Bind(p).Execute(); err != nil {
			return err
		}
		_, err := db.NewQuery(`INSERT INTO {{link_daily}} ([[id]], [[link]], [[owner]], [[date]], [[clicks]])
			SELECT {:id}, {:link}, {:owner}, {:date}, {:n} WHERE EXISTS (SELECT 1 FROM {{links}} WHERE [[id]] = {:link})
			ON CONFLICT ([[link]], [[date]]) DO UPDATE SET [[clicks]] = [[clicks]] + excluded.[[clicks]]`).Bind(p).Execute()
		if err != nil {
			return err
		}
	}

	for k, c := range profileDays {
		_, err := db.NewQuery(`INSERT INTO {{profile_daily}} ([[id]], [[profile]], [[date]], [[views]], [[clicks]])
			SELECT {:id}, {:profile}, {:date}, {:views}, {:clicks} WHERE EXISTS (SELECT 1 FROM {{users}} WHERE [[id]] = {:profile})
			ON CONFLICT ([[profile]], [[date]]) DO UPDATE SET [[views]] = [[views]] + excluded.[[views]], [[clicks]] = [[clicks]] + excluded.[[clicks]]`).
			Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "profile": k.profile, "date": k.day, "views": c[0], "clicks": c[1]}).Execute()
		if err != nil {
			return err
		}
	}
	return nil
}
