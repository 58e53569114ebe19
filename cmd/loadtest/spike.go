package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// runSpike is a referral campaign's spike: c.spike sign-ups with one
// referral code, all sent at the same instant. Every one must get 201 and
// none a 5xx; afterwards the referrer's counts, read through the API, must
// be exact.
func runSpike(ctx context.Context, e *env, c config) (report, error) {
	referrer, err := e.register(ctx, e.nextName("ref"), "")
	if err != nil {
		return report{}, fmt.Errorf("registering the referrer: %w", err)
	}

	res := result{label: fmt.Sprintf("POST /api/register ×%d at once, one referral code", c.spike)}
	var (
		mu    sync.Mutex
		wg    sync.WaitGroup
		start = make(chan struct{})
	)
	for range c.spike {
		name := e.nextName("fan")
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, err := e.newRequest(ctx, http.MethodPost, "/api/register", map[string]string{
				"email": name + "@example.com", "username": name, "password": seedPassword, "referral_code": referrer.ReferralCode,
			}, "")
			if err != nil {
				mu.Lock()
				res.errors++
				res.firstErr = cmpOr(res.firstErr, err.Error())
				mu.Unlock()
				return
			}
			<-start
			ep := endpoint{want: http.StatusCreated, request: func(context.Context, *env, int) (*http.Request, error) { return req, nil }}
			took, status, err := send(ctx, e, ep, 0)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				res.errors++
				res.firstErr = cmpOr(res.firstErr, err.Error())
				return
			case status != http.StatusCreated:
				res.errors++
				res.firstErr = cmpOr(res.firstErr, fmt.Sprintf("status %d, want 201", status))
				if status >= 500 {
					res.status5xx++
				}
			default:
				res.ok++
			}
			res.latencies = append(res.latencies, took)
		}()
	}
	resetPeakRSS(c.pid)
	began := time.Now()
	close(start)
	wg.Wait()
	res.elapsed = time.Since(began)
	res.peakRSS, _ = peakRSS(c.pid)
	res.finish()

	notes, err := checkReferralCounts(ctx, e, referrer, res.ok)
	if err != nil {
		return report{}, err
	}
	notes = append(notes, fmt.Sprintf("%d sign-ups in %.1f s: %d × 201, %d other, %d × 5xx",
		c.spike, res.elapsed.Seconds(), res.ok, res.errors-res.status5xx, res.status5xx))
	return report{results: []result{res}, notes: notes}, nil
}

// checkReferralCounts compares what the API says about referrer's
// referrals with the number of sign-ups that succeeded; a mismatch is a
// note starting with FAIL, which fails the run.
func checkReferralCounts(ctx context.Context, e *env, referrer account, want int) ([]string, error) {
	var list struct {
		TotalItems int `json:"totalItems"`
	}
	filter := url.QueryEscape(fmt.Sprintf("referrer = %q", referrer.ID))
	path := "/api/collections/referrals/records?perPage=1&filter=" + filter
	if err := e.call(ctx, http.MethodGet, path, nil, referrer.Token, http.StatusOK, &list); err != nil {
		return nil, fmt.Errorf("counting the referrals: %w", err)
	}
	var stats struct {
		Signups int `json:"signups"`
		Pending int `json:"pending"`
	}
	if err := e.call(ctx, http.MethodGet, "/api/referral-stats", nil, referrer.Token, http.StatusOK, &stats); err != nil {
		return nil, fmt.Errorf("reading the referral stats: %w", err)
	}
	var ours struct {
		TotalItems int `json:"total_items"`
	}
	if err := e.call(ctx, http.MethodGet, "/api/referrals?per_page=1", nil, referrer.Token, http.StatusOK, &ours); err != nil {
		return nil, fmt.Errorf("listing the referrals: %w", err)
	}
	return []string{
		countNote("referrals rows (collection API)", list.TotalItems, want),
		countNote("GET /api/referrals total_items", ours.TotalItems, want),
		countNote("GET /api/referral-stats signups", stats.Signups, want),
		countNote("GET /api/referral-stats pending", stats.Pending, want),
	}, nil
}

func countNote(what string, got, want int) string {
	if got != want {
		return fmt.Sprintf("FAIL: %s: %d, want %d", what, got, want)
	}
	return fmt.Sprintf("%s: %d, exact", what, got)
}
