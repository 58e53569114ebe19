package state_test

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"linkbase/state"
)

var ctx = context.Background()

func allow(t *testing.T, l state.Limiter, key string) bool {
	t.Helper()
	ok, err := l.Allow(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

func retryAfter(t *testing.T, l state.Limiter, key string) time.Duration {
	t.Helper()
	d, err := l.RetryAfter(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestLimiterAllow(t *testing.T) {
	type step struct {
		advance time.Duration
		key     string
		want    bool
	}
	cases := []struct {
		name  string
		steps []step
	}{
		{"first call is allowed", []step{{0, "a", true}}},
		{"second call at once is refused", []step{{0, "a", true}, {0, "a", false}}},
		{"just inside the window is refused", []step{{0, "a", true}, {2*time.Minute - time.Nanosecond, "a", false}}},
		{"at the end of the window is allowed", []step{{0, "a", true}, {2 * time.Minute, "a", true}}},
		{"keys are independent", []step{{0, "a", true}, {0, "b", true}, {time.Second, "a", false}, {0, "b", false}}},
		{"a refused call does not extend the window", []step{{0, "a", true}, {time.Minute, "a", false}, {time.Minute, "a", true}}},
		{"an allowed call starts a new window", []step{{0, "a", true}, {3 * time.Minute, "a", true}, {time.Minute, "a", false}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clock := state.NewManualClock(time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC))
			l := state.NewMemoryLimiter(1, 2*time.Minute, clock.Now)
			for i, st := range tc.steps {
				clock.Advance(st.advance)
				if got := allow(t, l, st.key); got != st.want {
					t.Fatalf("step %d: Allow(%q) = %v, want %v", i, st.key, got, st.want)
				}
			}
		})
	}
}

func TestLimiterForget(t *testing.T) {
	clock := state.NewManualClock(time.Unix(0, 0))
	l := state.NewMemoryLimiter(1, time.Minute, clock.Now)
	allow(t, l, "a")
	if err := l.Forget(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if !allow(t, l, "a") {
		t.Fatal("a forgotten key must be allowed again")
	}
}

func TestLimiterSweepBoundsMemory(t *testing.T) {
	clock := state.NewManualClock(time.Unix(0, 0))
	l := state.NewMemoryLimiter(1, time.Minute, clock.Now)
	for i := range 1000 {
		allow(t, l, "old"+strconv.Itoa(i))
	}
	clock.Advance(time.Minute)
	allow(t, l, "new")
	if got := l.Len(); got != 1 {
		t.Fatalf("after a window only the new key should remain, got %d keys", got)
	}
}

func TestLimiterConcurrentExactlyOnce(t *testing.T) {
	l := state.NewMemoryLimiter(1, time.Hour, time.Now)
	const goroutines = 64
	var allowed atomic.Int32
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			if ok, _ := l.Allow(ctx, "ann@example.com"); ok {
				allowed.Add(1)
			}
		})
	}
	wg.Wait()
	if got := allowed.Load(); got != 1 {
		t.Fatalf("%d of %d concurrent calls were allowed, want exactly 1", got, goroutines)
	}
}

func TestLimiterLimitAndRetryAfter(t *testing.T) {
	clock := state.NewManualClock(time.Unix(0, 0))
	l := state.NewMemoryLimiter(3, 15*time.Minute, clock.Now)
	for i := range 3 {
		if retryAfter(t, l, "a") != 0 || !allow(t, l, "a") {
			t.Fatalf("action %d of 3 must be allowed", i+1)
		}
		clock.Advance(time.Minute)
	}
	if allow(t, l, "a") {
		t.Fatal("a fourth action inside the window must be refused")
	}
	// The oldest action (at 0) leaves the window at 15 min; it is now 3 min.
	if got := retryAfter(t, l, "a"); got != 12*time.Minute {
		t.Fatalf("RetryAfter = %v, want 12m", got)
	}
	clock.Advance(12 * time.Minute)
	if retryAfter(t, l, "a") != 0 || !allow(t, l, "a") {
		t.Fatal("once the oldest action left the window, one more is allowed")
	}
	if allow(t, l, "a") {
		t.Fatal("and only one")
	}
	if retryAfter(t, l, "b") != 0 {
		t.Fatal("keys are independent")
	}
}
