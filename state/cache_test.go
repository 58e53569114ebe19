package state_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"linkbase/state"
)

func value(v int) func() (int, error) { return func() (int, error) { return v, nil } }

func TestCacheIsBounded(t *testing.T) {
	c := state.NewCache(state.CacheConfig[int]{Max: 10})
	for i := range 100 {
		if _, err := c.Get(fmt.Sprint(i), value(i)); err != nil {
			t.Fatal(err)
		}
	}
	if s := c.Stats(); s.Len != 10 || s.Evictions != 90 || s.Misses != 100 || s.Hits != 0 {
		t.Errorf("after 100 loads into 10 places: %+v", s)
	}
}

func TestCacheCountsHitsAndMisses(t *testing.T) {
	c := state.NewCache(state.CacheConfig[int]{Name: "n", Max: 10})
	for range 3 {
		c.Get("a", value(1))
	}
	c.Get("b", value(2))
	if s := c.Stats(); s.Name != "n" || s.Hits != 2 || s.Misses != 2 || s.Len != 2 || s.Max != 10 {
		t.Errorf("Stats() = %+v, want 2 hits and 2 misses", s)
	}
}

func TestCacheDoesNotCacheErrors(t *testing.T) {
	c := state.NewCache(state.CacheConfig[int]{Max: 10})
	missing := errors.New("missing")
	if _, err := c.Get("k", func() (int, error) { return 0, missing }); !errors.Is(err, missing) {
		t.Fatalf("Get() error = %v", err)
	}
	if v, _ := c.Get("k", value(7)); v != 7 {
		t.Fatalf("after an error Get() = %d, want a fresh load", v)
	}
}

func TestCacheDropsValuesLoadedAcrossAnInvalidation(t *testing.T) {
	for _, inv := range []struct {
		name string
		do   func(c *state.Cache[int])
	}{
		{"by key", func(c *state.Cache[int]) { c.Invalidate("k") }},
		{"of another key", func(c *state.Cache[int]) { c.Invalidate("other") }},
		{"by owner", func(c *state.Cache[int]) { c.InvalidateOwners("someone") }},
		{"all", func(c *state.Cache[int]) { c.Clear() }},
	} {
		t.Run(inv.name, func(t *testing.T) {
			c := state.NewCache(state.CacheConfig[int]{Max: 10})
			// A load that straddles an invalidation returns its value but
			// must not cache it: the write that invalidated may have
			// changed it.
			v, _ := c.Get("k", func() (int, error) { inv.do(c); return 1, nil })
			if v != 1 {
				t.Fatalf("Get() = %d, want 1", v)
			}
			if v, _ := c.Get("k", value(2)); v != 2 {
				t.Errorf("after a straddling load Get() = %d, want the fresh 2", v)
			}
			if v, _ := c.Get("k", value(3)); v != 2 {
				t.Errorf("Get() = %d, want the cached 2", v)
			}
		})
	}
}

func TestCacheInvalidation(t *testing.T) {
	type profile struct{ owner, name string }
	c := state.NewCache(state.CacheConfig[profile]{
		Max:    10,
		Owners: func(p profile) []string { return []string{p.owner} },
	})
	load := func(owner, name string) func() (profile, error) {
		return func() (profile, error) { return profile{owner, name}, nil }
	}
	c.Get("ann", load("u1", "ann"))
	c.Get("annie", load("u1", "annie")) // the same owner under a second key
	c.Get("bob", load("u2", "bob"))

	c.InvalidateOwners("u1")
	if c.Len() != 1 {
		t.Fatalf("after invalidating owner u1: %d values, want bob's alone", c.Len())
	}
	if p, _ := c.Get("bob", load("u2", "changed")); p.name != "bob" {
		t.Fatal("another owner's value was dropped")
	}
	c.Invalidate("bob")
	if p, _ := c.Get("bob", load("u2", "bobby")); p.name != "bobby" {
		t.Fatal("Invalidate by key kept the value")
	}
	// Replacing a key's value moves it to its new owner.
	c.Invalidate("bob")
	c.Get("bob", load("u3", "bob"))
	c.InvalidateOwners("u2")
	if c.Len() != 1 {
		t.Fatal("the old owner still held the key")
	}
	c.InvalidateOwners("u3")
	if c.Len() != 0 {
		t.Fatal("the new owner did not hold the key")
	}
	c.Get("x", load("u1", "x"))
	c.Clear()
	if c.Len() != 0 {
		t.Fatal("Clear kept values")
	}
}

func TestCacheExpiry(t *testing.T) {
	start := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	clock := state.NewManualClock(start)
	type entry struct {
		v     int
		until time.Time
	}
	c := state.NewCache(state.CacheConfig[entry]{
		Max: 10, TTL: 10 * time.Minute, Clock: clock.Now,
		Expires: func(e entry) time.Time { return e.until },
	})
	get := func(key string, v int, until time.Time) int {
		e, _ := c.Get(key, func() (entry, error) { return entry{v, until}, nil })
		return e.v
	}
	get("ttl", 1, time.Time{})
	get("own", 1, start.Add(time.Minute))
	get("later", 1, start.Add(time.Hour)) // the TTL comes first

	clock.Advance(time.Minute - time.Nanosecond)
	if get("own", 2, time.Time{}) != 1 {
		t.Fatal("a value expired before its own expiry")
	}
	clock.Advance(time.Nanosecond)
	if get("own", 2, time.Time{}) != 2 {
		t.Fatal("a value outlived its own expiry")
	}
	clock.Set(start.Add(10 * time.Minute))
	if get("ttl", 2, time.Time{}) != 2 || get("later", 2, time.Time{}) != 2 {
		t.Fatal("values outlived the TTL")
	}
}

func TestCacheConcurrentUse(t *testing.T) {
	c := state.NewCache(state.CacheConfig[int]{Max: 50, Owners: func(v int) []string { return []string{fmt.Sprint(v % 3)} }})
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for i := range 200 {
				key := fmt.Sprint((g * i) % 80)
				v, err := c.Get(key, func() (int, error) { return len(key), nil })
				if err != nil || v != len(key) {
					t.Errorf("Get(%q) = %d, %v", key, v, err)
				}
				switch i % 7 {
				case 0:
					c.Invalidate(key)
				case 1:
					c.InvalidateOwners(fmt.Sprint(i % 3))
				}
			}
		})
	}
	wg.Wait()
	if c.Len() > 50 {
		t.Errorf("Len() = %d, above the bound", c.Len())
	}
}
