// Package refstore is the referral program's side of the database: code
// lookups, reward rules, visit counting, stats and lists, and the salted
// hashes of client IPs. The rules themselves live in package referral.
//
// Queries are functions of the app they run on (the app, or a
// transaction's app), as PocketBase's own finders are. What has state
// (caches, the visit buffer, the clock) is a Store, built once per app
// (package stores) and handed to the hooks and routes that need it.
package refstore

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/handoff"
	"linkbase/mail"
	"linkbase/referral"
	"linkbase/schema"
	"linkbase/secret"
	"linkbase/state"
)

// statsCacheSize bounds the per-user stats and list caches.
const statsCacheSize = 10_000

// Store holds the referral program's in-memory state of one app.
type Store struct {
	app   core.App // for cache loads and flushes, never a transaction
	clock state.Clock

	rules *state.Cache[referral.Rules] // the referral_settings row, parsed
	stats *state.Cache[Counts]         // per user
	lists *state.Cache[Page]           // first page of GET /api/referrals, per user
	salt  *secret.Secret               // the install's IP salt

	visits *handoff.Buffer[visit] // written on the node that writes

	mail          *mail.Mailer
	notices       *state.Counts[notice] // referral news not mailed yet (notify.go)
	noticeFlusher *state.Flusher
}

// New builds the store of app: time is read from clock, queued visits are
// written every flushEvery (and sooner when the queue is full), and
// referral notices are mailed through mailer.
func New(app core.App, clock state.Clock, flushEvery time.Duration, mailer *mail.Mailer) *Store {
	s := &Store{
		app:   app,
		clock: clock,
		mail:  mailer,
		rules: state.NewCache(state.CacheConfig[referral.Rules]{Name: "referral_rules", Max: 1}),
		stats: state.NewCache(state.CacheConfig[Counts]{
			Name: "referral_stats", Max: statsCacheSize, Clock: clock,
			// last_30_days ends today: a day's stats expire at midnight UTC.
			Expires: func(c Counts) time.Time { return c.until },
		}),
		lists:   state.NewCache(state.CacheConfig[Page]{Name: "referral_lists", Max: statsCacheSize}),
		salt:    secret.New(app, schema.SecretIPSalt),
		notices: state.NewCounts[notice](maxNoticeKeys, maxNoticeKeys, nil),
	}
	s.visits = handoff.NewBuffer(app, handoff.BufferConfig[visit]{
		Name: "referral_visits", FlushAt: visitBatchSize, Max: maxQueuedVisits, Every: flushEvery, Clock: clock,
		Write:   s.writeVisits,
		OnError: func(err error) { app.Logger().Error("flushing referral visits", "error", err) },
	})
	s.noticeFlusher = state.NewFlusher(state.FlusherConfig{
		Name: "referral_notices", Every: noticeEvery, Flush: s.flushNotices, Pending: s.notices.Len, Clock: clock,
		OnError: func(err error) { app.Logger().Error("mailing referral notices", "error", err) },
	})
	handoff.Handle(app, loginWriteKind, applyLogin)
	return s
}

// Flushers are the store's buffers' flushers, for the app's lifecycle.
func (s *Store) Flushers() []*state.Flusher {
	return []*state.Flusher{s.visits.Flusher(), s.noticeFlusher}
}

// CacheStats are the figures of the store's caches.
func (s *Store) CacheStats() []state.CacheStats {
	return []state.CacheStats{s.rules.Stats(), s.stats.Stats(), s.lists.Stats()}
}

// InvalidateStats drops the cached stats and lists of users; called after
// every committed write that changes them.
func (s *Store) InvalidateStats(userIDs ...string) {
	s.stats.Invalidate(userIDs...)
	s.lists.Invalidate(userIDs...) // the same writes change the referrals list
}

// InvalidateLists drops the cached lists of users alone: a referred user's
// rename or deletion shows in their referrer's list, not in the stats.
func (s *Store) InvalidateLists(userIDs ...string) { s.lists.Invalidate(userIDs...) }

// InvalidateRules drops the cached rules and every cached stats (which
// show next_milestone), after the settings row changed.
func (s *Store) InvalidateRules() {
	s.rules.Clear()
	s.stats.Clear()
}
