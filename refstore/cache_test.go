package refstore_test

import (
	"fmt"
	"sync"
	"testing"

	"linkbase/refstore"
)

func TestCacheIsBounded(t *testing.T) {
	c := refstore.NewCache[int](10)
	for i := range 100 {
		if _, err := c.Get(fmt.Sprint(i), func() (int, error) { return i, nil }); err != nil {
			t.Fatal(err)
		}
	}
	if c.Len() != 10 {
		t.Errorf("Len() = %d, want 10", c.Len())
	}
}

func TestCacheDropsValuesLoadedAcrossAnInvalidation(t *testing.T) {
	c := refstore.NewCache[int](10)
	loads := 0
	load := func(v int) func() (int, error) {
		return func() (int, error) { loads++; return v, nil }
	}
	// A load that straddles an invalidation returns its value but must
	// not cache it: the write that invalidated may have changed it.
	v, _ := c.Get("k", func() (int, error) { c.Invalidate("k"); return 1, nil })
	if v != 1 {
		t.Fatalf("Get() = %d, want 1", v)
	}
	if v, _ := c.Get("k", load(2)); v != 2 {
		t.Errorf("after a straddling load Get() = %d, want the fresh 2", v)
	}
	if v, _ := c.Get("k", load(3)); v != 2 || loads != 1 {
		t.Errorf("Get() = %d after %d loads, want the cached 2 after 1", v, loads)
	}
	c.Invalidate("k")
	if v, _ := c.Get("k", load(4)); v != 4 {
		t.Errorf("after Invalidate Get() = %d, want 4", v)
	}
	c.Clear()
	if c.Len() != 0 {
		t.Errorf("Len() after Clear = %d", c.Len())
	}
}

func TestCacheConcurrentUse(t *testing.T) {
	c := refstore.NewCache[int](50)
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				key := fmt.Sprint((g * i) % 80)
				v, err := c.Get(key, func() (int, error) { return len(key), nil })
				if err != nil || v != len(key) {
					t.Errorf("Get(%q) = %d, %v", key, v, err)
				}
				if i%7 == 0 {
					c.Invalidate(key)
				}
			}
		}()
	}
	wg.Wait()
	if c.Len() > 50 {
		t.Errorf("Len() = %d, above the bound", c.Len())
	}
}
