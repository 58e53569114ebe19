package stores

import (
	"github.com/prometheus/client_golang/prometheus"
)

// collector reads the figures of a Set's caches, buffers and hashing slots
// at each scrape of GET /api/metrics: nothing is counted twice, the kit's
// own counters are the source.
type collector struct {
	s *Set

	cacheHits, cacheMisses, cacheEvictions, cacheLen, cacheRatio *prometheus.Desc
	pending, flushes, failures, lag                              *prometheus.Desc
	hashSlots, hashInUse, hashWaiting, hashRefused               *prometheus.Desc
}

func newCollector(s *Set) *collector {
	cache := []string{"cache"}
	buffer := []string{"buffer"}
	return &collector{
		s:              s,
		cacheHits:      prometheus.NewDesc("linkbase_cache_hits_total", "Answers served from a cache.", cache, nil),
		cacheMisses:    prometheus.NewDesc("linkbase_cache_misses_total", "Cache lookups that loaded the value.", cache, nil),
		cacheEvictions: prometheus.NewDesc("linkbase_cache_evictions_total", "Values a full cache dropped to make room.", cache, nil),
		cacheLen:       prometheus.NewDesc("linkbase_cache_entries", "Values held by a cache.", cache, nil),
		cacheRatio:     prometheus.NewDesc("linkbase_cache_hit_ratio", "Hits over lookups since the start (0 before any lookup).", cache, nil),
		pending:        prometheus.NewDesc("linkbase_buffer_pending", "Counts (keys) buffered in memory, not yet written, or handed to the primary.", buffer, nil),
		flushes:        prometheus.NewDesc("linkbase_buffer_flushes_total", "Successful flushes of a buffer.", buffer, nil),
		failures:       prometheus.NewDesc("linkbase_buffer_flush_failures_total", "Failed flushes of a buffer (the counts stay buffered).", buffer, nil),
		lag:            prometheus.NewDesc("linkbase_buffer_flush_lag_seconds", "Time since the buffer's last successful flush (since the start before the first).", buffer, nil),
		hashSlots:      prometheus.NewDesc("linkbase_password_hashing_slots", "Passwords hashed or compared at once (bcrypt, one per CPU).", nil, nil),
		hashInUse:      prometheus.NewDesc("linkbase_password_hashing_in_use", "Hashing slots taken now.", nil, nil),
		hashWaiting:    prometheus.NewDesc("linkbase_password_hashing_queue", "Logins and sign-ups waiting for a hashing slot.", nil, nil),
		hashRefused:    prometheus.NewDesc("linkbase_password_hashing_refused_total", "Logins and sign-ups answered 503 because the hashing queue was too long (load shed).", nil, nil),
	}
}

func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.cacheHits, c.cacheMisses, c.cacheEvictions, c.cacheLen, c.cacheRatio,
		c.pending, c.flushes, c.failures, c.lag, c.hashSlots, c.hashInUse, c.hashWaiting, c.hashRefused} {
		ch <- d
	}
}

func (c *collector) Collect(ch chan<- prometheus.Metric) {
	for _, st := range c.s.CacheStats() {
		ch <- prometheus.MustNewConstMetric(c.cacheHits, prometheus.CounterValue, float64(st.Hits), st.Name)
		ch <- prometheus.MustNewConstMetric(c.cacheMisses, prometheus.CounterValue, float64(st.Misses), st.Name)
		ch <- prometheus.MustNewConstMetric(c.cacheEvictions, prometheus.CounterValue, float64(st.Evictions), st.Name)
		ch <- prometheus.MustNewConstMetric(c.cacheLen, prometheus.GaugeValue, float64(st.Len), st.Name)
		ratio := 0.0
		if n := st.Hits + st.Misses; n > 0 {
			ratio = float64(st.Hits) / float64(n)
		}
		ch <- prometheus.MustNewConstMetric(c.cacheRatio, prometheus.GaugeValue, ratio, st.Name)
	}
	now := c.s.Clock()
	for _, f := range c.s.Flushers() {
		st := f.Stats()
		ch <- prometheus.MustNewConstMetric(c.pending, prometheus.GaugeValue, float64(st.Pending), st.Name)
		ch <- prometheus.MustNewConstMetric(c.flushes, prometheus.CounterValue, float64(st.Flushes), st.Name)
		ch <- prometheus.MustNewConstMetric(c.failures, prometheus.CounterValue, float64(st.Failures), st.Name)
		last := st.LastFlush
		if last.IsZero() {
			last = c.s.started
		}
		ch <- prometheus.MustNewConstMetric(c.lag, prometheus.GaugeValue, max(0, now.Sub(last).Seconds()), st.Name)
	}
	slots := c.s.Passwords.Slots()
	ch <- prometheus.MustNewConstMetric(c.hashSlots, prometheus.GaugeValue, float64(slots.Size()))
	ch <- prometheus.MustNewConstMetric(c.hashInUse, prometheus.GaugeValue, float64(slots.InUse()))
	ch <- prometheus.MustNewConstMetric(c.hashWaiting, prometheus.GaugeValue, float64(slots.Waiting()))
	ch <- prometheus.MustNewConstMetric(c.hashRefused, prometheus.CounterValue, float64(c.s.Passwords.Refused()))
}
