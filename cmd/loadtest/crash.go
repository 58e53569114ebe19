package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// runCrash measures what the counts lose when the app stops under load:
// clicks at full speed for -duration, then SIGKILL (a crash: the counts
// buffered since the last flush are lost, about one flush interval's) or
// SIGTERM (a deploy: the final flush must store every acknowledged click,
// or the run fails). The app is started again on the same data each time,
// and the clicks stored are compared with the clicks acknowledged (302
// received). Only with the app the tool started itself.
func runCrash(ctx context.Context, e *env, c config) (report, error) {
	if e.srv == nil {
		return report{notes: []string{"skipped: stopping the app needs the one the tool starts (no -target)"}}, nil
	}
	var notes []string
	for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGTERM} {
		before, err := e.storedClicks(ctx)
		if err != nil {
			return report{}, err
		}
		var acked atomic.Int64
		load, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			defer close(done)
			clickUntil(load, e, c.concurrency, &acked)
		}()
		time.Sleep(c.duration)
		took := e.srv.signal(sig) // under load: clicks are in flight
		stop()
		<-done
		rate := float64(acked.Load()) / c.duration.Seconds()
		if err := e.srv.start(ctx); err != nil {
			return report{}, fmt.Errorf("starting the app again after %s: %w", sig, err)
		}
		after, err := e.storedClicks(ctx)
		if err != nil {
			return report{}, err
		}
		stored := after - before
		lost := max(acked.Load()-stored, 0)
		note := fmt.Sprintf("%s after %.0f s of clicks (%.0f/s): %d acknowledged, %d stored, **%d lost** (%.0f ms of clicks); the app exited %.2f s after the signal",
			sigName(sig), c.duration.Seconds(), rate, acked.Load(), stored, lost, 1000*float64(lost)/max(rate, 1), took.Seconds())
		if stored > acked.Load() {
			note += fmt.Sprintf(" (%d stored clicks were answered but the answer was cut off)", stored-acked.Load())
		}
		if sig == syscall.SIGTERM && lost > 0 {
			note = "FAIL: " + note
		}
		notes = append(notes, note)
	}
	return report{notes: notes}, nil
}

// clickUntil clicks the seeded links from concurrency clients until ctx
// ends, counting the clicks acknowledged with a 302.
func clickUntil(ctx context.Context, e *env, concurrency int, acked *atomic.Int64) {
	ids := e.linkIDs()
	var wg sync.WaitGroup
	for w := range concurrency {
		wg.Go(func() {
			for i := w; ctx.Err() == nil; i += concurrency {
				req, err := e.newRequest(ctx, http.MethodGet, "/l/"+ids[i%len(ids)], nil, "")
				if err != nil {
					return
				}
				res, err := e.client.Do(req)
				if err != nil {
					time.Sleep(10 * time.Millisecond) // the app is down; ctx ends soon
					continue
				}
				res.Body.Close()
				if res.StatusCode == http.StatusFound {
					acked.Add(1)
				}
			}
		})
	}
	wg.Wait()
}

// storedClicks sums the clicks stored on the seeded links, read as the
// superuser through the collection API.
func (e *env) storedClicks(ctx context.Context) (int64, error) {
	var page struct {
		TotalItems int `json:"totalItems"`
		Items      []struct {
			ID     string `json:"id"`
			Clicks int64  `json:"clicks"`
		} `json:"items"`
	}
	path := "/api/collections/links/records?perPage=1000&fields=id,clicks&filter=" + url.QueryEscape(fmt.Sprintf("title ~ 'Link ' && owner.username ~ '%s'", e.runID))
	if err := e.call(ctx, http.MethodGet, path, nil, e.adminToken, http.StatusOK, &page); err != nil {
		return 0, fmt.Errorf("reading the stored clicks: %w", err)
	}
	if page.TotalItems != len(e.linkIDs()) {
		return 0, fmt.Errorf("found %d of the %d seeded links", page.TotalItems, len(e.linkIDs()))
	}
	var sum int64
	for _, l := range page.Items {
		sum += l.Clicks
	}
	return sum, nil
}

func sigName(sig syscall.Signal) string {
	if sig == syscall.SIGKILL {
		return "SIGKILL"
	}
	return "SIGTERM"
}
