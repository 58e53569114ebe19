package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"sync"
	"time"
)

// maxSamples bounds the latencies kept per endpoint and run (memory).
const maxSamples = 2_000_000

// endpoint is one kind of request under load.
type endpoint struct {
	label string // e.g. "POST /api/login"
	want  int    // the status every answer must have
	// request builds the next request of client number worker.
	request func(ctx context.Context, e *env, worker int) (*http.Request, error)
}

// result is what one endpoint's load produced.
type result struct {
	label     string
	ok        int
	errors    int
	status5xx int
	elapsed   time.Duration
	window    time.Duration   // the load time asked for; 0 for one-off bursts
	inWindow  int             // good answers that arrived within the window
	latencies []time.Duration // of every answer, sorted by finish()
	firstErr  string
	peakRSS   int64 // bytes; 0 when unknown
}

// throughput is the rate of good answers within the load window, so that
// the requests still running when it closes (seconds for a bcrypt-bound
// endpoint) do not stretch the slower side of a comparison; for a burst,
// all its good answers over its whole time.
func (r *result) throughput() float64 {
	if r.window > 0 {
		return float64(r.inWindow) / r.window.Seconds()
	}
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.ok) / r.elapsed.Seconds()
}

// percentile is the q-quantile (0 < q ≤ 1) of the latencies, by the
// nearest-rank method; 0 when there is none.
func (r *result) percentile(q float64) time.Duration {
	n := len(r.latencies)
	if n == 0 {
		return 0
	}
	rank := int(math.Ceil(q * float64(n)))
	return r.latencies[min(max(rank, 1), n)-1]
}

// merge adds other's counts and samples to r (the halves of one endpoint).
func (r *result) merge(other result) {
	r.ok += other.ok
	r.errors += other.errors
	r.status5xx += other.status5xx
	r.elapsed += other.elapsed
	r.window += other.window
	r.inWindow += other.inWindow
	r.latencies = append(r.latencies, other.latencies...)
	if r.firstErr == "" {
		r.firstErr = other.firstErr
	}
	r.peakRSS = max(r.peakRSS, other.peakRSS)
}

func (r *result) finish() { slices.Sort(r.latencies) }

// runLoad sends requests to ep from concurrency clients for d, each
// client waiting for its answer before sending the next (closed loop).
func runLoad(ctx context.Context, e *env, ep endpoint, concurrency int, d time.Duration) result {
	ctx, cancel := context.WithTimeout(ctx, d+2*time.Minute) // bounds a stuck request
	defer cancel()
	var (
		mu  sync.Mutex
		res = result{label: ep.label}
		wg  sync.WaitGroup
	)
	start := time.Now()
	end := start.Add(d)
	for w := range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var local result
			for time.Now().Before(end) && ctx.Err() == nil {
				took, status, err := send(ctx, e, ep, w)
				switch {
				case err != nil:
					local.errors++
					local.firstErr = cmpOr(local.firstErr, err.Error())
				case status != ep.want:
					local.errors++
					local.firstErr = cmpOr(local.firstErr, fmt.Sprintf("status %d, want %d", status, ep.want))
					if status >= 500 {
						local.status5xx++
					}
				default:
					local.ok++
					if !time.Now().After(end) {
						local.inWindow++
					}
				}
				if err == nil && len(local.latencies) < maxSamples/max(concurrency, 1) {
					local.latencies = append(local.latencies, took)
				}
			}
			mu.Lock()
			res.merge(local)
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.label = ep.label
	res.elapsed = time.Since(start)
	res.window = d
	return res
}

// send makes one request and reads its whole answer.
func send(ctx context.Context, e *env, ep endpoint, worker int) (time.Duration, int, error) {
	req, err := ep.request(ctx, e, worker)
	if err != nil {
		return 0, 0, err
	}
	start := time.Now()
	res, err := e.client.Do(req)
	if err != nil {
		return 0, 0, err
	}
	_, err = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return time.Since(start), res.StatusCode, err
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
