package state_test

import (
	"runtime"
	"testing"

	"linkbase/state"
)

func TestClearCachesReachesEveryCacheButLocalOnes(t *testing.T) {
	shared := state.NewCache(state.CacheConfig[int]{Name: "shared", Max: 10})
	owned := state.NewCache(state.CacheConfig[int]{Name: "owned", Max: 10, Owners: func(int) []string { return []string{"ann"} }})
	local := state.NewCache(state.CacheConfig[int]{Name: "local", Max: 10, Local: true})
	for _, c := range []*state.Cache[int]{shared, owned, local} {
		c.Get("k", value(1))
	}

	if n := state.ClearCaches(); n < 2 {
		t.Fatalf("ClearCaches cleared %d caches, want at least the 2 live shared ones", n)
	}
	if shared.Len() != 0 || owned.Len() != 0 {
		t.Fatalf("after ClearCaches: %d and %d values left", shared.Len(), owned.Len())
	}
	if local.Len() != 1 {
		t.Fatal("a Local cache was cleared")
	}
	// The owner index went too: a later load is stored and dropped again
	// by its owner.
	owned.Get("k", value(2))
	owned.InvalidateOwners("ann")
	if owned.Len() != 0 {
		t.Fatal("owner index broken by ClearCaches")
	}
}

func TestClearCachesForgetsCollectedCaches(t *testing.T) {
	before := state.ClearCaches()
	for range 100 {
		state.NewCache(state.CacheConfig[int]{Max: 1}).Get("k", value(1))
	}
	runtime.GC()
	runtime.GC()
	if n := state.ClearCaches(); n > before+50 {
		t.Fatalf("%d caches still listed after the 100 unreferenced ones were collected (before: %d)", n, before)
	}
}
