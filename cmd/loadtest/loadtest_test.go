package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	r := result{}
	for i := 100; i >= 1; i-- {
		r.latencies = append(r.latencies, ms(i))
	}
	r.finish()
	for _, c := range []struct {
		q    float64
		want time.Duration
	}{{0.5, ms(50)}, {0.95, ms(95)}, {0.99, ms(99)}, {1, ms(100)}, {0.001, ms(1)}} {
		if got := r.percentile(c.q); got != c.want {
			t.Errorf("p%v = %v, want %v", c.q*100, got, c.want)
		}
	}
	if got := (&result{}).percentile(0.5); got != 0 {
		t.Errorf("percentile of nothing = %v", got)
	}
}

func TestCheckLoopback(t *testing.T) {
	for target, ok := range map[string]bool{
		"http://127.0.0.1:8090":     true,
		"http://127.3.0.1:8090":     true,
		"http://localhost:8090/":    true,
		"http://[::1]:8090":         true,
		"http://10.0.0.1:8090":      false,
		"http://example.com":        false,
		"http://127.0.0.1.nip.io":   false,
		"ftp://127.0.0.1":           false,
		"127.0.0.1:8090":            false,
		"http://localhost.evil.com": false,
	} {
		if err := checkLoopback(target); (err == nil) != ok {
			t.Errorf("checkLoopback(%q) = %v, want ok=%v", target, err, ok)
		}
	}
}

func TestPickScenarios(t *testing.T) {
	all, err := pickScenarios("")
	if err != nil || len(all) != len(scenarios) {
		t.Fatalf("default: %d scenarios, %v", len(all), err)
	}
	two, err := pickScenarios("me, login")
	if err != nil || len(two) != 2 || two[0].name != "me" || two[1].name != "login" {
		t.Fatalf("me, login: %v %v", two, err)
	}
	if _, err := pickScenarios("me,nope"); err == nil {
		t.Fatal("an unknown scenario was accepted")
	}
}

func TestScenarioNamesAreUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range scenarios {
		if seen[s.name] {
			t.Errorf("scenario %q twice", s.name)
		}
		seen[s.name] = true
		if s.run == nil && (s.ours.request == nil || s.base.request == nil) {
			t.Errorf("scenario %q has neither a run func nor both endpoints", s.name)
		}
	}
}

func TestPeakRSSOfThisProcess(t *testing.T) {
	rss, err := peakRSS(os.Getpid())
	if err != nil {
		t.Skip("no /proc here:", err)
	}
	if rss < 1<<20 {
		t.Errorf("peak RSS %d bytes, less than 1 MiB", rss)
	}
}

// TestRunLoadCounts runs the load loop against a stub server that fails
// every third request, and checks that the counts add up.
func TestRunLoadCounts(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%3 == 0 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ok"))
	}))
	defer srv.Close()
	e := &env{base: srv.URL, client: newClient(4)}
	ep := endpoint{"GET /", http.StatusOK, func(ctx context.Context, e *env, w int) (*http.Request, error) {
		return e.newRequest(ctx, http.MethodGet, "/", nil, "")
	}}
	r := runLoad(context.Background(), e, ep, 4, 200*time.Millisecond)
	r.finish()
	if total := int64(r.ok + r.errors); total != n.Load() || r.errors == 0 || r.status5xx != r.errors {
		t.Fatalf("ok %d + errors %d (5xx %d) against %d served", r.ok, r.errors, r.status5xx, n.Load())
	}
	if r.window != 200*time.Millisecond || r.inWindow > r.ok || r.inWindow == 0 {
		t.Fatalf("window %v, %d of %d good answers in it", r.window, r.inWindow, r.ok)
	}
	if len(r.latencies) != r.ok+r.errors || r.percentile(0.5) <= 0 || r.throughput() <= 0 {
		t.Fatalf("%d latencies, p50 %v, %.1f req/s", len(r.latencies), r.percentile(0.5), r.throughput())
	}
	if !strings.Contains(r.firstErr, "503") {
		t.Errorf("first error %q", r.firstErr)
	}
}

// TestRunAgainstTheApp builds and starts the app and runs the cheapest
// scenario, a soak and the crash scenario briefly: the whole tool, end to
// end, reporting no errors, and SIGTERM losing no click.
func TestRunAgainstTheApp(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the app")
	}
	var out bytes.Buffer
	failed, err := runTo(context.Background(), config{
		duration: 400 * time.Millisecond, concurrency: 2, users: 2, spike: 5, scenarios: "me,history,soak-click,crash",
		seedReferrals: 250, seedVisits: 2500, soak: time.Second, soakEvery: 300 * time.Millisecond,
	}, &out)
	if err != nil || failed {
		t.Fatalf("failed %v, err %v\n%s", failed, err, out.String())
	}
	for _, want := range []string{
		"`GET /api/me`", "`GET /api/collections/users/records/{id}`", "| me | ",
		// The seeded history, read back exactly through the API, and its tables.
		"seeded history: visits: 2500, exact", "seeded history: signups: 250, exact",
		"| `GET /api/referral-stats` |", "| page (per_page 100) |",
		"The server's memory over time", "| RSS | Go heap (alloc) |",
		"crash: SIGKILL after", "crash: SIGTERM after", "**0 lost**",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}

func TestThroughput(t *testing.T) {
	for _, c := range []struct {
		name string
		r    result
		want float64
	}{
		{"answers after the window do not count", result{ok: 30, inWindow: 20, window: 10 * time.Second, elapsed: 14 * time.Second}, 2},
		{"a burst counts every answer over its time", result{ok: 30, elapsed: 15 * time.Second}, 2},
		{"nothing ran", result{}, 0},
	} {
		if got := c.r.throughput(); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
