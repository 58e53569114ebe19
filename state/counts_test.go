package state_test

import (
	"sync"
	"testing"

	"linkbase/state"
)

type hit struct{ link, day string }

func TestCountsConcurrentExact(t *testing.T) {
	c := state.NewCounts[hit](1000, 1000, nil)
	const goroutines, each = 100, 10
	var wg sync.WaitGroup
	var mu sync.Mutex
	var drained []map[hit]int64
	for i := range goroutines {
		wg.Go(func() {
			for range each {
				c.Add(hit{"l1", "2026-11-24"}, 1)
				c.Add(hit{"l2", "2026-11-24"}, 2)
			}
			if i%10 == 0 { // drains race with the increments
				d := c.Drain()
				mu.Lock()
				drained = append(drained, d)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	drained = append(drained, c.Drain())
	var l1, l2 int64
	for _, d := range drained {
		l1 += d[hit{"l1", "2026-11-24"}]
		l2 += d[hit{"l2", "2026-11-24"}]
	}
	if l1 != goroutines*each || l2 != 2*goroutines*each {
		t.Fatalf("l1 = %d, l2 = %d, want %d and %d", l1, l2, goroutines*each, 2*goroutines*each)
	}
	if c.Len() != 0 {
		t.Fatal("buffer not empty after the final drain")
	}
}

func TestCountsRestoreLosesNothing(t *testing.T) {
	c := state.NewCounts[string](10, 2, nil)
	c.Add("a", 1)
	c.Add("b", 1)
	taken := c.Drain()
	c.Add("a", 1)
	c.Add("c", 1)
	c.Restore(taken) // past the bound: taken counts are never dropped
	got := c.Drain()
	if got["a"] != 2 || got["b"] != 1 || got["c"] != 1 || len(got) != 3 {
		t.Fatalf("after a restore: %v", got)
	}
}

func TestCountsBoundAndFull(t *testing.T) {
	c := state.NewCounts[string](2, 3, nil)
	if !c.Add("a", 1) || c.Full() {
		t.Fatal("one key: accepted, not full")
	}
	c.Add("b", 1)
	if !c.Full() {
		t.Fatal("two keys: full (time to flush)")
	}
	if !c.Add("c", 1) {
		t.Fatal("the third key fits the bound")
	}
	if c.Add("d", 1) {
		t.Fatal("a fourth key past the bound must be refused")
	}
	if !c.Add("a", 5) {
		t.Fatal("a buffered key is always counted")
	}
	if got := c.Drain(); got["a"] != 6 || len(got) != 3 {
		t.Fatalf("Drain() = %v", got)
	}
}

func TestCountsFoldPastTheBound(t *testing.T) {
	// Past the bound, views from a new host count as direct ones (host "");
	// the fold's own keys are taken past the bound.
	type view struct{ profile, host string }
	c := state.NewCounts(10, 2, func(v view) (view, bool) {
		if v.profile == "spam" {
			return v, false
		}
		return view{v.profile, ""}, true
	})
	c.Add(view{"u1", "a.example"}, 1)
	c.Add(view{"u1", "b.example"}, 1)
	if !c.Add(view{"u1", "c.example"}, 1) || !c.Add(view{"u2", "d.example"}, 1) {
		t.Fatal("a folded view was not counted")
	}
	if c.Add(view{"spam", "e.example"}, 1) {
		t.Fatal("the fold refused this one")
	}
	got := c.Drain()
	want := map[view]int64{{"u1", "a.example"}: 1, {"u1", "b.example"}: 1, {"u1", ""}: 1, {"u2", ""}: 1}
	if len(got) != len(want) {
		t.Fatalf("Drain() = %v, want %v", got, want)
	}
	for k, n := range want {
		if got[k] != n {
			t.Fatalf("Drain() = %v, want %v", got, want)
		}
	}
}
