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

// bucket is one key of the views-and-clicks buffer: a hit, counted, or a
// visitor of a profile's day (Visitor set), a member of a set whose count
// is not used. One buffer holds both, so that the visitors of a batch and
// its views are written in one transaction, on whichever node writes
// (handoff.Buffer), and the day's new visitors are its unique views.
type bucket struct {
	Hit     Hit        `json:"h"`
	Visitor visitorKey `json:"v"`
}

// foldBucket is where a bucket goes past the buffer's bound: a hit to its
// coarser hit (foldHit); a new visitor is dropped, so its view still
// counts, but not as a unique one.
func foldBucket(b bucket) (bucket, bool) {
	if b.Visitor != (visitorKey{}) {
		return b, false
	}
	h, ok := foldHit(b.Hit)
	return bucket{Hit: h}, ok
}

// count buffers one hit (the buffer kicks a flush when full).
func (s *Store) count(h Hit) { s.hits.Add(bucket{Hit: h}, 1) }

// FlushHits writes the buffered views, visitors and clicks now; the
// flusher does this on its own, tests and tools call it to see the counts
// at once.
func (s *Store) FlushHits(ctx context.Context) error { return s.hits.Flush(ctx) }

// writeBuckets writes a batch in the buffer's transaction: the visitors
// first, whose new ones per profile's day are the unique views, then the
// counts. A failed batch stays buffered for the next flush.
func (s *Store) writeBuckets(tx core.App, batch map[bucket]int64) (func(), error) {
	hits, visitors := map[Hit]int64{}, map[visitorKey]int64{}
	for b, n := range batch {
		if b.Visitor != (visitorKey{}) {
			visitors[b.Visitor] += n
		} else {
			hits[b.Hit] += n
		}
	}
	uniques, err := writeVisitors(tx, visitors, s.clock().UTC())
	if err != nil {
		return nil, err
	}
	return nil, writeBatch(tx, hits, uniques)
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
