package routes

import (
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/linkbio"
)

// flush writes the buffered counts in one transaction. If the write fails
// the counts go back into the buffer for the next flush, so nothing is lost.
func (s *site) flush() error {
	batch := s.counter.Drain()
	if batch.Empty() {
		return nil
	}
	err := s.app.RunInTransaction(func(txApp core.App) error {
		return writeBatch(txApp, batch)
	})
	if err != nil {
		s.counter.Restore(batch)
		return fmt.Errorf("writing %d click and %d view buckets: %w", len(batch.Clicks), len(batch.Views), err)
	}
	return nil
}

type dayKey struct{ profile, day string }

// writeBatch adds a batch to links.clicks and the daily rollups, with SQL
// increments (upserts on the rollups' unique indexes). Counts for a link or
// user deleted since the hit are dropped.
func writeBatch(app core.App, b linkbio.Batch) error {
	db := app.DB()
	profileDays := map[dayKey][2]int64{} // views, clicks

	for k, n := range b.Clicks {
		p := dbx.Params{"id": core.GenerateDefaultRandomId(), "link": k.Link, "owner": k.Owner, "date": k.Day, "n": n}
		if _, err := db.NewQuery("UPDATE {{links}} SET [[clicks]] = [[clicks]] + {:n} WHERE [[id]] = {:link}").Bind(p).Execute(); err != nil {
			return err
		}
		_, err := db.NewQuery(`INSERT INTO {{link_daily}} ([[id]], [[link]], [[owner]], [[date]], [[clicks]])
			SELECT {:id}, {:link}, {:owner}, {:date}, {:n} WHERE EXISTS (SELECT 1 FROM {{links}} WHERE [[id]] = {:link})
			ON CONFLICT ([[link]], [[date]]) DO UPDATE SET [[clicks]] = [[clicks]] + excluded.[[clicks]]`).Bind(p).Execute()
		if err != nil {
			return err
		}
		c := profileDays[dayKey{k.Owner, k.Day}]
		c[1] += n
		profileDays[dayKey{k.Owner, k.Day}] = c
	}

	for k, n := range b.Views {
		c := profileDays[dayKey{k.Profile, k.Day}]
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
