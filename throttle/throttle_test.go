package throttle

import (
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// clock is a fake time source that tests move by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func TestAllow(t *testing.T) {
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
			c := &clock{t: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)}
			s := New(1, 2*time.Minute, c.now)
			for i, st := range tc.steps {
				c.advance(st.advance)
				if got := s.Allow(st.key); got != st.want {
					t.Fatalf("step %d: Allow(%q) = %v, want %v", i, st.key, got, st.want)
				}
			}
		})
	}
}

func TestForget(t *testing.T) {
	c := &clock{t: time.Unix(0, 0)}
	s := New(1, time.Minute, c.now)
	s.Allow("a")
	s.Forget("a")
	if !s.Allow("a") {
		t.Fatal("a forgotten key must be allowed again")
	}
}

func TestSweepBoundsMemory(t *testing.T) {
	c := &clock{t: time.Unix(0, 0)}
	s := New(1, time.Minute, c.now)
	for i := range 1000 {
		s.Allow("old" + strconv.Itoa(i))
	}
	c.advance(time.Minute)
	s.Allow("new")
	if got := s.Len(); got != 1 {
		t.Fatalf("after a window only the new key should remain, got %d keys", got)
	}
}

func TestAllowConcurrentExactlyOnce(t *testing.T) {
	s := New(1, time.Hour, time.Now)
	const goroutines = 64
	var allowed atomic.Int32
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			if s.Allow("ann@example.com") {
				allowed.Add(1)
			}
		})
	}
	wg.Wait()
	if got := allowed.Load(); got != 1 {
		t.Fatalf("%d of %d concurrent calls were allowed, want exactly 1", got, goroutines)
	}
}

func TestLimitAndRetryAfter(t *testing.T) {
	c := &clock{t: time.Unix(0, 0)}
	s := New(3, 15*time.Minute, c.now)
	for i := range 3 {
		if s.RetryAfter("a") != 0 || !s.Allow("a") {
			t.Fatalf("action %d of 3 must be allowed", i+1)
		}
		c.advance(time.Minute)
	}
	if s.Allow("a") {
		t.Fatal("a fourth action inside the window must be refused")
	}
	// The oldest action (at 0) leaves the window at 15 min; it is now 3 min.
	if got := s.RetryAfter("a"); got != 12*time.Minute {
		t.Fatalf("RetryAfter = %v, want 12m", got)
	}
	c.advance(12 * time.Minute)
	if s.RetryAfter("a") != 0 || !s.Allow("a") {
		t.Fatal("once the oldest action left the window, one more is allowed")
	}
	if s.Allow("a") {
		t.Fatal("and only one")
	}
	if s.RetryAfter("b") != 0 {
		t.Fatal("keys are independent")
	}
}
