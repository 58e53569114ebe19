package linkbio

import (
	"testing"
	"time"
)

func TestSchedule(t *testing.T) {
	start := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	end := start.Add(2 * time.Hour)
	cases := []struct {
		name     string
		s        Schedule
		now      time.Time
		visible  bool
		nextZero bool
		next     time.Time
	}{
		{"enabled without schedule", Schedule{Enabled: true}, start, true, true, time.Time{}},
		{"disabled", Schedule{Enabled: false}, start, false, true, time.Time{}},
		{"disabled inside its window", Schedule{StartsAt: start, EndsAt: end}, start.Add(time.Hour), false, true, time.Time{}},
		{"before the start", Schedule{Enabled: true, StartsAt: start, EndsAt: end}, start.Add(-time.Second), false, false, start},
		{"at the start", Schedule{Enabled: true, StartsAt: start, EndsAt: end}, start, true, false, end},
		{"inside the window", Schedule{Enabled: true, StartsAt: start, EndsAt: end}, start.Add(time.Hour), true, false, end},
		{"at the end", Schedule{Enabled: true, StartsAt: start, EndsAt: end}, end, false, true, time.Time{}},
		{"only an end, before it", Schedule{Enabled: true, EndsAt: end}, start, true, false, end},
		{"only a start, after it", Schedule{Enabled: true, StartsAt: start}, end, true, true, time.Time{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.s.VisibleAt(c.now); got != c.visible {
				t.Fatalf("VisibleAt = %v, want %v", got, c.visible)
			}
			next := c.s.NextChange(c.now)
			if c.nextZero != next.IsZero() || (!c.nextZero && !next.Equal(c.next)) {
				t.Fatalf("NextChange = %v, want %v", next, c.next)
			}
		})
	}
}

func TestScheduleCheck(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name string
		s    Schedule
		ok   bool
	}{
		{"no bounds", Schedule{}, true},
		{"only a start", Schedule{StartsAt: t0}, true},
		{"only an end", Schedule{EndsAt: t0}, true},
		{"end after start", Schedule{StartsAt: t0, EndsAt: t0.Add(time.Minute)}, true},
		{"end equal to start", Schedule{StartsAt: t0, EndsAt: t0}, false},
		{"end before start", Schedule{StartsAt: t0, EndsAt: t0.Add(-time.Minute)}, false},
	} {
		if err := c.s.Check(); (err == nil) != c.ok {
			t.Errorf("%s: Check() = %v", c.name, err)
		}
	}
}
