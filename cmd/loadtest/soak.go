package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// sample is the server's memory at one moment of a soak.
type sample struct {
	at        time.Duration // since the soak began
	requests  int64         // sent so far
	rss       int64         // resident set size, bytes (0: unknown)
	heapAlloc int64         // Go heap of live and not yet swept objects, bytes (0: unknown)
	heapInuse int64         // Go heap spans in use, bytes
}

// soak loads ep at full speed (-concurrency closed-loop clients) for
// -soak and samples the server's resident set size (/proc) and Go heap
// (GET /api/metrics) every -soak-every: memory must level off however long
// a flood of public requests lasts (issue 12: 60 s of clicks grew the heap
// from 86 to 369 MB and rising). The figures are printed, never judged.
func soak(ep endpoint) func(ctx context.Context, e *env, c config) (report, error) {
	return func(ctx context.Context, e *env, c config) (report, error) {
		var sent atomic.Int64
		counted := ep
		counted.request = func(ctx context.Context, e *env, w int) (*http.Request, error) {
			sent.Add(1)
			return ep.request(ctx, e, w)
		}
		resetPeakRSS(c.pid)
		done := make(chan result, 1)
		began := time.Now()
		go func() { done <- runLoad(ctx, e, counted, c.concurrency, c.soak) }()

		series := []sample{e.sample(ctx, c.pid, 0, 0)}
		ticker := time.NewTicker(c.soakEvery)
		defer ticker.Stop()
		var res result
	loop:
		for {
			select {
			case res = <-done:
				break loop
			case <-ticker.C:
				series = append(series, e.sample(ctx, c.pid, time.Since(began), sent.Load()))
			}
		}
		if time.Since(began)-series[len(series)-1].at >= c.soakEvery/2 { // else the last tick was the end
			series = append(series, e.sample(ctx, c.pid, time.Since(began), sent.Load()))
		}
		res.peakRSS, _ = peakRSS(c.pid)
		res.finish()
		return report{results: []result{res}, notes: []string{seriesNote(series)}, tables: []string{seriesTable(ep.label, series)}}, nil
	}
}

// sample reads the server's memory now.
func (e *env) sample(ctx context.Context, pid int, at time.Duration, requests int64) sample {
	s := sample{at: at, requests: requests}
	s.rss, _ = currentRSS(pid)
	s.heapAlloc, s.heapInuse = e.goHeap(ctx)
	return s
}

// goHeap reads the Go heap figures of GET /api/metrics (Prometheus text)
// as the superuser; zeros when they cannot be read.
func (e *env) goHeap(ctx context.Context) (alloc, inuse int64) {
	req, err := e.newRequest(ctx, http.MethodGet, "/api/metrics", nil, e.adminToken)
	if err != nil {
		return 0, 0
	}
	res, err := e.client.Do(req)
	if err != nil {
		return 0, 0
	}
	defer res.Body.Close()
	lines := bufio.NewScanner(res.Body)
	lines.Buffer(make([]byte, 64<<10), 1<<20)
	for lines.Scan() {
		name, value, ok := strings.Cut(lines.Text(), " ")
		if !ok {
			continue
		}
		v, err := strconv.ParseFloat(value, 64)
		if err != nil {
			continue
		}
		switch name {
		case "go_memstats_heap_alloc_bytes":
			alloc = int64(v)
		case "go_memstats_heap_inuse_bytes":
			inuse = int64(v)
		}
	}
	return alloc, inuse
}

// seriesNote sums a soak's memory up: where RSS and the heap began,
// peaked and ended.
func seriesNote(series []sample) string {
	first, last := series[0], series[len(series)-1]
	var maxRSS, maxHeap int64
	for _, s := range series {
		maxRSS, maxHeap = max(maxRSS, s.rss), max(maxHeap, s.heapAlloc)
	}
	return fmt.Sprintf("%d requests in %.0f s: RSS %s at the start, %s at most, %s at the end; Go heap %s, %s at most, %s at the end",
		last.requests, last.at.Seconds(), mib(first.rss), mib(maxRSS), mib(last.rss), mib(first.heapAlloc), mib(maxHeap), mib(last.heapAlloc))
}

// seriesTable is a soak's samples as a Markdown table.
func seriesTable(label string, series []sample) string {
	var b strings.Builder
	fmt.Fprintf(&b, "The server's memory over time (`%s`):\n\n", label)
	b.WriteString("| time | requests | req/s since the last sample | RSS | Go heap (alloc) | Go heap (in use) |\n")
	b.WriteString("| ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for i, s := range series {
		rate := "—"
		if i > 0 && s.at > series[i-1].at {
			rate = fmt.Sprintf("%.0f", float64(s.requests-series[i-1].requests)/(s.at-series[i-1].at).Seconds())
		}
		fmt.Fprintf(&b, "| %.0f s | %d | %s | %s | %s | %s |\n", s.at.Seconds(), s.requests, rate, mib(s.rss), mib(s.heapAlloc), mib(s.heapInuse))
	}
	return b.String()
}
