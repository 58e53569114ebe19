package linkbio

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestCounterConcurrentExact(t *testing.T) {
	c := NewCounter()
	day := time.Date(2026, 11, 24, 23, 59, 0, 0, time.UTC)
	const goroutines, each = 100, 10
	var wg sync.WaitGroup
	var drained []Batch
	var mu sync.Mutex
	for i := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				c.Click("l1", "u1", day)
				c.View("u1", "t.co", day)
			}
			if i%10 == 0 { // drains race with the increments
				b := c.Drain()
				mu.Lock()
				drained = append(drained, b)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	drained = append(drained, c.Drain())

	var clicks, views int64
	for _, b := range drained {
		clicks += b.Clicks[ClickKey{"l1", "u1", "2026-11-24"}]
		views += b.Views[ViewKey{"u1", "2026-11-24", "t.co"}]
	}
	if clicks != goroutines*each || views != goroutines*each {
		t.Fatalf("clicks = %d, views = %d, want %d each", clicks, views, goroutines*each)
	}
	if !c.Drain().Empty() {
		t.Fatal("counter not empty after the final drain")
	}
}

func TestCounterRestoreAndPending(t *testing.T) {
	c := NewCounter()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	c.Click("l1", "u1", now)
	c.Click("l2", "u2", now)
	c.View("u1", "", now)
	b := c.Drain()
	c.Click("l1", "u1", now)
	c.Restore(b)

	p := c.Pending("u1")
	if got := p.Clicks[ClickKey{"l1", "u1", "2026-11-24"}]; got != 2 {
		t.Fatalf("pending clicks of l1 = %d, want 2", got)
	}
	if got := p.Views[ViewKey{"u1", "2026-11-24", ""}]; got != 1 {
		t.Fatalf("pending views = %d, want 1", got)
	}
	if _, ok := p.Clicks[ClickKey{"l2", "u2", "2026-11-24"}]; ok {
		t.Fatal("another owner's clicks leaked into Pending")
	}
}

func TestCounterBoundsViewKeys(t *testing.T) {
	c := NewCounter()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	for i := range MaxBufferedViewKeys + 500 {
		c.View("u1", fmt.Sprint("h", i, ".example"), now)
	}
	b := c.Drain()
	var total int64
	for _, n := range b.Views {
		total += n
	}
	if len(b.Views) > MaxBufferedViewKeys+1 || total != MaxBufferedViewKeys+500 {
		t.Fatalf("%d buckets holding %d views", len(b.Views), total)
	}
	if b.Views[ViewKey{"u1", "2026-11-24", ""}] != 500 {
		t.Fatalf("overflow views counted as direct = %d, want 500", b.Views[ViewKey{"u1", "2026-11-24", ""}])
	}
}
