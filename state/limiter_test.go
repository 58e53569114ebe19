package state_test

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"linkbase/state"
	"linkbase/testutil"
)

var ctx = context.Background()

// newLimiterFunc builds a limiter of limit actions per window per key.
type newLimiterFunc func(limit int, window time.Duration, clock state.Clock) state.Limiter

// eachLimiter runs test against every Limiter: in memory, and in a real
// redis-server started for the test (testutil.Redis), so one node and a
// cluster enforce the same rules.
func eachLimiter(t *testing.T, test func(t *testing.T, newLimiter newLimiterFunc)) {
	t.Run("memory", func(t *testing.T) {
		test(t, func(limit int, window time.Duration, clock state.Clock) state.Limiter {
			return state.NewMemoryLimiter(limit, window, clock)
		})
	})
	t.Run("redis", func(t *testing.T) {
		rdb := testutil.Redis(t)
		var n atomic.Int32
		test(t, func(limit int, window time.Duration, clock state.Clock) state.Limiter {
			return state.NewRedisLimiter(rdb, "test"+strconv.Itoa(int(n.Add(1))), limit, window, clock)
		})
	})
}

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
	eachLimiter(t, func(t *testing.T, newLimiter newLimiterFunc) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				clock := state.NewManualClock(time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC))
				l := newLimiter(1, 2*time.Minute, clock.Now)
				for i, st := range tc.steps {
					clock.Advance(st.advance)
					if got := allow(t, l, st.key); got != st.want {
						t.Fatalf("step %d: Allow(%q) = %v, want %v", i, st.key, got, st.want)
					}
				}
			})
		}
	})
}

func TestLimiterForget(t *testing.T) {
	eachLimiter(t, func(t *testing.T, newLimiter newLimiterFunc) {
		clock := state.NewManualClock(time.Unix(1_800_000_000, 0))
		l := newLimiter(1, time.Minute, clock.Now)
		allow(t, l, "a")
		if err := l.Forget(ctx, "a"); err != nil {
			t.Fatal(err)
		}
		if !allow(t, l, "a") {
			t.Fatal("a forgotten key must be allowed again")
		}
	})
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

func TestLimiterConcurrentExactlyN(t *testing.T) {
	eachLimiter(t, func(t *testing.T, newLimiter newLimiterFunc) {
		for _, limit := range []int{1, 10} {
			l := newLimiter(limit, time.Hour, time.Now)
			const goroutines = 64
			var allowed atomic.Int32
			var wg sync.WaitGroup
			for range goroutines {
				wg.Go(func() {
					ok, err := l.Allow(ctx, "ann@example.com")
					if err != nil {
						t.Error(err)
					}
					if ok {
						allowed.Add(1)
					}
				})
			}
			wg.Wait()
			if got := allowed.Load(); got != int32(limit) {
				t.Fatalf("%d of %d concurrent calls were allowed, want exactly %d", got, goroutines, limit)
			}
		}
	})
}

func TestLimiterLimitAndRetryAfter(t *testing.T) {
	eachLimiter(t, func(t *testing.T, newLimiter newLimiterFunc) { limitAndRetryAfter(t, newLimiter) })
}

func limitAndRetryAfter(t *testing.T, newLimiter newLimiterFunc) {
	clock := state.NewManualClock(time.Unix(1_800_000_000, 0))
	l := newLimiter(3, 15*time.Minute, clock.Now)
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

// TestRedisLimiterIsSharedByNodes: limiters of two nodes over one Redis
// count the same actions, and RetryAfter agrees on both.
func TestRedisLimiterIsSharedByNodes(t *testing.T) {
	rdb := testutil.Redis(t)
	clock := state.NewManualClock(time.Unix(1_800_000_000, 0))
	node1 := state.NewRedisLimiter(rdb, "login", 10, 15*time.Minute, clock.Now)
	node2 := state.NewRedisLimiter(rdb, "login", 10, 15*time.Minute, clock.Now)
	for i := range 10 {
		if !allow(t, []state.Limiter{node1, node2}[i%2], "ann") {
			t.Fatalf("action %d refused", i)
		}
	}
	if allow(t, node1, "ann") || allow(t, node2, "ann") {
		t.Fatal("an 11th action was allowed on some node")
	}
	if a, b := retryAfter(t, node1, "ann"), retryAfter(t, node2, "ann"); a != 15*time.Minute || b != a {
		t.Fatalf("RetryAfter %v and %v, want 15m on both", a, b)
	}
	// Keys leave Redis with their window.
	if ttl := rdb.PTTL(ctx, "linkbase:limit:login:ann").Val(); ttl <= 0 || ttl > 15*time.Minute {
		t.Fatalf("the key's TTL is %v", ttl)
	}
}

// TestFailoverLimiterFallsBackToTheNode: with Redis unreachable the limits
// hold per node, and each failure is reported.
func TestFailoverLimiterFallsBackToTheNode(t *testing.T) {
	rdb := testutil.Redis(t)
	clock := state.NewManualClock(time.Unix(1_800_000_000, 0))
	var failures atomic.Int32
	l := state.NewFailoverLimiter(
		state.NewRedisLimiter(rdb, "mail", 1, time.Minute, clock.Now),
		state.NewMemoryLimiter(1, time.Minute, clock.Now),
		func(error) { failures.Add(1) })
	if !allow(t, l, "ann") || allow(t, l, "ann") {
		t.Fatal("with Redis up: one action per minute")
	}
	if failures.Load() != 0 {
		t.Fatal("failures reported with Redis up")
	}
	_ = rdb.Close() // as good as Redis down, for this client
	if !allow(t, l, "bob") || allow(t, l, "bob") {
		t.Fatal("with Redis down the node's own limit must hold: one action per minute")
	}
	if retryAfter(t, l, "bob") != time.Minute {
		t.Fatal("RetryAfter from the node's own limiter")
	}
	if failures.Load() != 1 {
		t.Fatalf("%d failures reported, want 1: after a failure Redis is left alone for a while", failures.Load())
	}
}
