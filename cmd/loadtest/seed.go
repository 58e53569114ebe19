package main

import (
	"context"
	"fmt"
	"net/http"
)

// seedReferrals signs one referred account up with the code of each of
// the first accounts, so that their lists and stats are not empty.
func seedReferrals(ctx context.Context, e *env) error {
	if _, done := e.extra.LoadOrStore("referrals", true); done {
		return nil
	}
	for _, u := range e.users[:min(len(e.users), 20)] {
		if _, err := e.register(ctx, e.nextName("refd"), u.ReferralCode); err != nil {
			return fmt.Errorf("seeding referrals: %w", err)
		}
	}
	return nil
}

// linksPerUser is how many links each seeded profile shows.
const linksPerUser = 5

// seedLinks gives every seeded account linksPerUser links, created by the
// owner through the collection API as the SDK would, and keeps their ids.
func seedLinks(ctx context.Context, e *env) error {
	if _, done := e.extra.Load("links"); done {
		return nil
	}
	var ids []string
	for _, u := range e.users {
		for i := range linksPerUser {
			var link struct {
				ID string `json:"id"`
			}
			body := map[string]any{
				"owner": u.ID, "title": fmt.Sprintf("Link %d", i+1), "url": fmt.Sprintf("https://example.com/%s/%d", u.Username, i),
				"position": i, "enabled": true,
			}
			if err := e.call(ctx, http.MethodPost, "/api/collections/links/records", body, u.Token, http.StatusOK, &link); err != nil {
				return fmt.Errorf("seeding links: %w", err)
			}
			ids = append(ids, link.ID)
		}
	}
	e.extra.Store("links", ids)
	return nil
}

// linkIDs are the ids seedLinks made.
func (e *env) linkIDs() []string {
	ids, _ := e.extra.Load("links")
	return ids.([]string)
}
