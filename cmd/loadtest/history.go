package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// historySamples is how many timed requests each history figure takes.
const historySamples = 40

// runHistory measures what a long history costs (issue 13): the cache-miss
// latency of GET /api/referral-stats and GET /api/referrals for the
// referrer with 10 visits and the one with the seeded history, side by
// side; then paging the large list by cursor, and by numbered page for
// contrast, at several depths. One client, one request at a time: these
// are latencies, not throughput. Before each timed read the referrer's
// own record is updated through the collection API, which drops their
// cached stats and list, so every read is a cache miss.
func runHistory(ctx context.Context, e *env, c config) (report, error) {
	if len(e.history) == 0 {
		return report{notes: []string{"skipped: seed a history with -seed-referrals and -seed-visits"}}, nil
	}
	accounts := make([]account, len(e.history))
	for i, h := range e.history {
		var res struct {
			Token string
			User  struct {
				ID string `json:"id"`
			}
		}
		body := map[string]string{"identity": h.username, "password": seedPassword}
		if err := e.call(ctx, http.MethodPost, "/api/login", body, "", http.StatusOK, &res); err != nil {
			return report{}, fmt.Errorf("logging in %s: %w", h.username, err)
		}
		accounts[i] = account{ID: res.User.ID, Username: h.username, Token: res.Token}
	}
	small, large := e.history[0], e.history[1]

	var rep report
	sizes := fmt.Sprintf("%s visits and %s referrals, and %s and %s", thousands(small.visits), thousands(small.referrals),
		thousands(large.visits), thousands(large.referrals))
	table := []string{
		"| cache miss (one client) | " + thousands(small.visits) + " visits: p50 | p95 | " + thousands(large.visits) + " visits: p50 | p95 | p50 ratio |",
		"| --- | ---: | ---: | ---: | ---: | ---: |",
	}
	for _, path := range []string{"/api/referral-stats", "/api/referrals"} {
		var pair [2]result
		for i, acc := range accounts {
			r, err := timeMisses(ctx, e, acc, path)
			if err != nil {
				return report{}, err
			}
			r.label = fmt.Sprintf("GET %s, cache miss, %s visits", path, thousands(e.history[i].visits))
			pair[i] = r
			rep.results = append(rep.results, r)
		}
		ratio := float64(pair[1].percentile(0.5)) / float64(max(pair[0].percentile(0.5), 1))
		table = append(table, fmt.Sprintf("| `GET %s` | %s | %s | %s | %s | %.2f |", path,
			ms(pair[0].percentile(0.5)), ms(pair[0].percentile(0.95)), ms(pair[1].percentile(0.5)), ms(pair[1].percentile(0.95)), ratio))
	}
	rep.tables = append(rep.tables, "Seeded: "+sizes+".\n\n"+strings.Join(table, "\n"))

	notes, err := checkHistory(ctx, e, accounts[1], large)
	if err != nil {
		return report{}, err
	}
	rep.notes = append(rep.notes, notes...)

	paging, results, err := pageDepths(ctx, e, accounts[1], large.referrals)
	if err != nil {
		return report{}, err
	}
	rep.results = append(rep.results, results...)
	rep.tables = append(rep.tables, paging)
	return rep, nil
}

// timeMisses times historySamples reads of path by acc, each after an
// update of acc's record that drops their cached answers.
func timeMisses(ctx context.Context, e *env, acc account, path string) (result, error) {
	var r result
	for i := range historySamples {
		body := map[string]string{"display_name": fmt.Sprintf("History %d", i)}
		if err := e.call(ctx, http.MethodPatch, "/api/collections/users/records/"+acc.ID, body, acc.Token, http.StatusOK, nil); err != nil {
			return r, fmt.Errorf("updating %s: %w", acc.Username, err)
		}
		if err := timeOne(ctx, e, acc, path, &r); err != nil {
			return r, err
		}
	}
	r.finish()
	return r, nil
}

// timeOne sends one GET of path as acc and adds its latency to r.
func timeOne(ctx context.Context, e *env, acc account, path string, r *result) error {
	ep := endpoint{want: http.StatusOK, request: func(ctx context.Context, e *env, _ int) (*http.Request, error) {
		return e.newRequest(ctx, http.MethodGet, path, nil, acc.Token)
	}}
	began := time.Now()
	took, status, err := send(ctx, e, ep, 0)
	r.elapsed += time.Since(began)
	if err != nil || status != http.StatusOK {
		r.errors++
		r.firstErr = cmpOr(r.firstErr, fmt.Sprintf("GET %s: status %d, %v", path, status, err))
		return nil
	}
	r.ok++
	r.latencies = append(r.latencies, took)
	return nil
}

// checkHistory compares the large referrer's stats with what was seeded.
func checkHistory(ctx context.Context, e *env, acc account, h historyAccount) ([]string, error) {
	var stats struct {
		Visits     int `json:"visits"`
		Signups    int `json:"signups"`
		Successful int `json:"successful"`
		Pending    int `json:"pending"`
	}
	if err := e.call(ctx, http.MethodGet, "/api/referral-stats", nil, acc.Token, http.StatusOK, &stats); err != nil {
		return nil, err
	}
	return []string{
		countNote("seeded history: visits", stats.Visits, h.visits),
		countNote("seeded history: signups", stats.Signups, h.referrals),
		countNote("seeded history: successful", stats.Successful, h.successful),
		countNote("seeded history: pending", stats.Pending, h.pending),
	}, nil
}

// pagingPerPage is the page size of the depth figures.
const pagingPerPage = 100

// pageDepths walks acc's list by cursor, keeping the cursor of a few
// depths, then times the page at each depth by cursor and by number.
func pageDepths(ctx context.Context, e *env, acc account, referrals int) (string, []result, error) {
	pages := (referrals + pagingPerPage - 1) / pagingPerPage
	var depths []int
	for _, d := range []int{1, 10, 100, 500, 1000, 5000} {
		if d <= pages {
			depths = append(depths, d)
		}
	}
	cursors := map[int]string{1: ""}
	cursor := ""
	for page := 1; page < depths[len(depths)-1]; page++ {
		path := fmt.Sprintf("/api/referrals?per_page=%d", pagingPerPage)
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		var p struct {
			NextCursor *string `json:"next_cursor"`
		}
		if err := e.call(ctx, http.MethodGet, path, nil, acc.Token, http.StatusOK, &p); err != nil {
			return "", nil, fmt.Errorf("walking the list: %w", err)
		}
		if p.NextCursor == nil {
			return "", nil, fmt.Errorf("the list ended at page %d of %d", page, pages)
		}
		cursor = *p.NextCursor
		cursors[page+1] = cursor
	}

	table := []string{
		fmt.Sprintf("| page (per_page %d) | by cursor: p50 | p95 | by number (OFFSET): p50 | p95 |", pagingPerPage),
		"| ---: | ---: | ---: | ---: | ---: |",
	}
	var results []result
	for _, d := range depths {
		byCursor := fmt.Sprintf("/api/referrals?per_page=%d", pagingPerPage)
		if d > 1 {
			byCursor += "&cursor=" + url.QueryEscape(cursors[d])
		}
		byNumber := fmt.Sprintf("/api/referrals?per_page=%d&page=%d", pagingPerPage, d)
		var rc, rn result
		for range historySamples / 2 { // alternating, so a drift of the machine hits both
			if err := timeOne(ctx, e, acc, byCursor, &rc); err != nil {
				return "", nil, err
			}
			if err := timeOne(ctx, e, acc, byNumber, &rn); err != nil {
				return "", nil, err
			}
		}
		rc.finish()
		rn.finish()
		rc.label = fmt.Sprintf("GET /api/referrals page %d by cursor", d)
		rn.label = fmt.Sprintf("GET /api/referrals?page=%d", d)
		results = append(results, rc, rn)
		table = append(table, fmt.Sprintf("| %s | %s | %s | %s | %s |", thousands(d),
			ms(rc.percentile(0.5)), ms(rc.percentile(0.95)), ms(rn.percentile(0.5)), ms(rn.percentile(0.95))))
	}
	return strings.Join(table, "\n"), results, nil
}

// thousands writes n with thousands separators, as the tables do.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
