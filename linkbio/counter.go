package linkbio

import (
	"sync"
	"time"
)

// DayFormat is how rollup days are written: UTC calendar days.
const DayFormat = "2006-01-02"

// ClickKey identifies one bucket of clicks: a link of an owner on a day.
type ClickKey struct{ Link, Owner, Day string }

// ViewKey identifies one bucket of page views: a profile (its owner's id)
// on a day, from a referrer host ("" for direct visits).
type ViewKey struct{ Profile, Day, Host string }

// Batch is a set of counts taken out of a Counter, to be written together.
type Batch struct {
	Clicks map[ClickKey]int64
	Views  map[ViewKey]int64
}

// Empty reports whether the batch holds no counts.
func (b Batch) Empty() bool { return len(b.Clicks) == 0 && len(b.Views) == 0 }

// Counter buffers views and clicks in memory so that a busy page costs a
// map increment per hit instead of a database write; a flusher takes the
// counts out with Drain and writes them in one transaction. Safe for
// concurrent use.
type Counter struct {
	mu     sync.Mutex
	clicks map[ClickKey]int64
	views  map[ViewKey]int64
}

// NewCounter returns an empty Counter.
func NewCounter() *Counter {
	return &Counter{clicks: map[ClickKey]int64{}, views: map[ViewKey]int64{}}
}

// Click counts one click on link, owned by owner, at t.
func (c *Counter) Click(link, owner string, t time.Time) {
	k := ClickKey{Link: link, Owner: owner, Day: t.UTC().Format(DayFormat)}
	c.mu.Lock()
	c.clicks[k]++
	c.mu.Unlock()
}

// MaxBufferedViewKeys bounds the view buckets held between flushes: forged
// Referer headers could otherwise grow the buffer without limit. Past it, a
// view from a host not yet buffered is still counted, as a direct view.
const MaxBufferedViewKeys = 100_000

// View counts one view of profile at t, referred by host.
func (c *Counter) View(profile, host string, t time.Time) {
	k := ViewKey{Profile: profile, Day: t.UTC().Format(DayFormat), Host: host}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.views[k]; !ok && host != "" && len(c.views) >= MaxBufferedViewKeys {
		k.Host = ""
	}
	c.views[k]++
}

// Drain takes every buffered count out of the counter.
func (c *Counter) Drain() Batch {
	c.mu.Lock()
	defer c.mu.Unlock()
	b := Batch{Clicks: c.clicks, Views: c.views}
	c.clicks = map[ClickKey]int64{}
	c.views = map[ViewKey]int64{}
	return b
}

// Restore puts back a batch that could not be written, so a failed flush
// loses nothing; the next flush retries it.
func (c *Counter) Restore(b Batch) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, n := range b.Clicks {
		c.clicks[k] += n
	}
	for k, n := range b.Views {
		c.views[k] += n
	}
}

// Pending returns a copy of the counts not yet written for one owner, so
// that analytics can be exact before the next flush.
func (c *Counter) Pending(owner string) Batch {
	b := Batch{Clicks: map[ClickKey]int64{}, Views: map[ViewKey]int64{}}
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, n := range c.clicks {
		if k.Owner == owner {
			b.Clicks[k] = n
		}
	}
	for k, n := range c.views {
		if k.Profile == owner {
			b.Views[k] = n
		}
	}
	return b
}
