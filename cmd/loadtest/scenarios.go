package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

// scenario compares one of our endpoints with PocketBase's built-in
// endpoint doing the same work, in the same run against the same binary:
// on a shared machine absolute figures are noise, their ratio is not.
// A scenario with run set is a one-off (e.g. a spike) instead.
type scenario struct {
	name  string
	goal  float64 // ours/base throughput ratio the issue asks for
	ours  endpoint
	base  endpoint
	setup func(ctx context.Context, e *env) error                     // optional seeding
	run   func(ctx context.Context, e *env, c config) (report, error) // one-off scenarios
}

// scenarios is the table the tool runs, in order; -scenarios picks some.
var scenarios = []scenario{
	{
		name: "login", goal: 0.95,
		ours: endpoint{"POST /api/login", http.StatusOK, func(ctx context.Context, e *env, w int) (*http.Request, error) {
			u := e.users[w%len(e.users)]
			return e.newRequest(ctx, http.MethodPost, "/api/login", map[string]string{"identity": u.Username, "password": seedPassword}, "")
		}},
		base: endpoint{"POST /api/collections/users/auth-with-password", http.StatusOK, func(ctx context.Context, e *env, w int) (*http.Request, error) {
			u := e.users[w%len(e.users)]
			return e.newRequest(ctx, http.MethodPost, "/api/collections/users/auth-with-password", map[string]string{"identity": u.Username, "password": seedPassword}, "")
		}},
	},
	{
		name: "register", goal: 0.90,
		ours: endpoint{"POST /api/register", http.StatusCreated, func(ctx context.Context, e *env, w int) (*http.Request, error) {
			name := e.nextName("reg")
			return e.newRequest(ctx, http.MethodPost, "/api/register", map[string]string{"email": name + "@example.com", "username": name, "password": seedPassword}, "")
		}},
		// The same model hooks and bcrypt cost; as a superuser, since the
		// users collection refuses public creates.
		base: endpoint{"POST /api/collections/users/records (superuser)", http.StatusOK, func(ctx context.Context, e *env, w int) (*http.Request, error) {
			name := e.nextName("pbc")
			return e.newRequest(ctx, http.MethodPost, "/api/collections/users/records", map[string]string{
				"email": name + "@example.com", "username": name, "password": seedPassword, "passwordConfirm": seedPassword,
			}, e.adminToken)
		}},
	},
	{
		name: "me", // no goal in the issue; shown for the overhead of our auth middleware
		ours: endpoint{"GET /api/me", http.StatusOK, func(ctx context.Context, e *env, w int) (*http.Request, error) {
			return e.newRequest(ctx, http.MethodGet, "/api/me", nil, e.users[w%len(e.users)].Token)
		}},
		base: ownRecord,
	},
	{
		name: "referral-stats", goal: 1.2, setup: seedReferrals,
		ours: endpoint{"GET /api/referral-stats", http.StatusOK, func(ctx context.Context, e *env, w int) (*http.Request, error) {
			return e.newRequest(ctx, http.MethodGet, "/api/referral-stats", nil, e.users[w%len(e.users)].Token)
		}},
		base: ownRecord,
	},
	{
		name: "referrals", goal: 1.2, setup: seedReferrals,
		ours: endpoint{"GET /api/referrals", http.StatusOK, func(ctx context.Context, e *env, w int) (*http.Request, error) {
			return e.newRequest(ctx, http.MethodGet, "/api/referrals", nil, e.users[w%len(e.users)].Token)
		}},
		base: ownRecord,
	},
	{
		name: "profile", goal: 0.5, setup: seedLinks,
		ours: endpoint{"GET /api/profiles/{username}", http.StatusOK, func(ctx context.Context, e *env, w int) (*http.Request, error) {
			return e.newRequest(ctx, http.MethodGet, "/api/profiles/"+e.users[w%len(e.users)].Username, nil, "")
		}},
		base: health,
	},
	{
		// The public page: the view is counted (bot check, device and
		// browser, a visitor hash, one buffer entry).
		name: "page", goal: 0.5, setup: seedLinks,
		ours: profileView,
		base: health,
	},
	{
		name: "click", goal: 0.5, setup: seedLinks,
		ours: click,
		base: health,
	},
	{name: "spike", run: runSpike},
	{name: "history", run: runHistory},
	{name: "soak-click", setup: seedLinks, run: soak(click)},
	{name: "soak-profile", setup: seedLinks, run: soak(profileView)},
	{name: "crash", setup: seedLinks, run: runCrash},
}

// click is GET /l/{id} of the seeded links, in turn.
var click = endpoint{"GET /l/{id}", http.StatusFound, func(ctx context.Context, e *env, w int) (*http.Request, error) {
	ids := e.linkIDs()
	return e.newRequest(ctx, http.MethodGet, "/l/"+ids[w%len(ids)], nil, "")
}}

// profileView is the public page of a seeded user (a counted view).
var profileView = endpoint{"GET /{username}", http.StatusOK, func(ctx context.Context, e *env, w int) (*http.Request, error) {
	return e.newRequest(ctx, http.MethodGet, "/"+e.users[w%len(e.users)].Username, nil, "")
}}

// ownRecord is PocketBase's view of the caller's own user record, with the
// same token: the baseline of the authenticated reads.
var ownRecord = endpoint{"GET /api/collections/users/records/{id}", http.StatusOK, func(ctx context.Context, e *env, w int) (*http.Request, error) {
	u := e.users[w%len(e.users)]
	return e.newRequest(ctx, http.MethodGet, "/api/collections/users/records/"+u.ID, nil, u.Token)
}}

// health is PocketBase's cheapest endpoint: the baseline of public reads.
var health = endpoint{"GET /api/health", http.StatusOK, func(ctx context.Context, e *env, w int) (*http.Request, error) {
	return e.newRequest(ctx, http.MethodGet, "/api/health", nil, "")
}}

func pickScenarios(names string) ([]scenario, error) {
	if names == "" {
		return scenarios, nil
	}
	var chosen []scenario
	for name := range strings.SplitSeq(names, ",") {
		name = strings.TrimSpace(name)
		found := false
		for _, s := range scenarios {
			if s.name == name {
				chosen, found = append(chosen, s), true
			}
		}
		if !found {
			return nil, fmt.Errorf("unknown scenario %q (have %s)", name, scenarioNames())
		}
	}
	return chosen, nil
}

func scenarioNames() string {
	names := make([]string, len(scenarios))
	for i, s := range scenarios {
		names[i] = s.name
	}
	return strings.Join(names, ", ")
}
