package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// runSpike is a referral campaign's spike: c.spike sign-ups with one
// referral code, all sent at the same instant. Each gets 201, or, when the
// hashing queue would keep it waiting past the app's bound
// (LINKBASE_HASH_MAX_WAIT), a 503 with Retry-After at once: shed, which is
// reported, not an error. Nothing else may come back; afterwards the
// referrer's counts, read through the API, must equal the 201s exactly.
// The percentiles are of the sign-ups that went through.
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
		shed  []time.Duration // the 503s' answer times
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
			began := time.Now()
			answer, err := e.client.Do(req)
			took := time.Since(began)
			status, retryAfter := 0, ""
			if err == nil {
				status, retryAfter = answer.StatusCode, answer.Header.Get("Retry-After")
				_, err = io.Copy(io.Discard, answer.Body)
				answer.Body.Close()
			}
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				res.errors++
				res.firstErr = cmpOr(res.firstErr, err.Error())
				return
			case status == http.StatusServiceUnavailable && retryAfter != "":
				shed = append(shed, took)
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
	shedNote := fmt.Sprintf("%d shed", len(shed))
	if len(shed) > 0 {
		answers := result{latencies: shed}
		answers.finish()
		shedNote += fmt.Sprintf(" (503 with Retry-After, answered in p50 %s, p99 %s)", ms(answers.percentile(0.5)), ms(answers.percentile(0.99)))
	}
	notes = append(notes, fmt.Sprintf("%d sign-ups in %.1f s: %d × 201 (p50 %s, p95 %s, p99 %s), %s, %d other, %d × 5xx other than shedding",
		c.spike, res.elapsed.Seconds(), res.ok, ms(res.percentile(0.5)), ms(res.percentile(0.95)), ms(res.percentile(0.99)),
		shedNote, res.errors-res.status5xx, res.status5xx))
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
