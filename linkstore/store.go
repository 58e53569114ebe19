// Package linkstore is link-in-bio's side of the database: public profiles
// (loaded, rendered once and cached), click targets, the buffered view and
// click counts with their rollups, and the analytics queries. The rules
// themselves (URLs, themes, schedules, the page) live in package linkbio.
//
// A Store is built once per app (package stores) with the clock that
// schedules, view and click days and analytics ranges are read from.
package linkstore

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/handoff"
	"linkbase/state"
)

// Bounds of the in-memory state.
const (
	profileCacheSize = 1000
	// profileCacheTTL bounds a profile's life, in case a write bypassed
	// the record hooks (raw SQL in a migration, another process).
	profileCacheTTL = 10 * time.Minute
	targetCacheSize = 10_000
	// previewCacheSize bounds the link previews kept (PNGs of some tens
	// of KiB each).
	previewCacheSize = 200
	// hitsFlushAt kicks a flush before the interval when this many view
	// and click buckets are buffered; maxHitKeys bounds them (forged
	// Referer headers could otherwise grow the buffer without limit).
	hitsFlushAt = 10_000
	maxHitKeys  = 100_000
	// The visitors of the day buffered for unique_views: a flush is
	// kicked at visitorsFlushAt; past maxVisitors a new visitor's view
	// still counts, but not as a unique one.
	visitorsFlushAt = 10_000
	maxVisitors     = 100_000
)

// Hasher is a salted hash of parts (refstore.Store.Hash): what the store
// keeps of a visitor instead of their address.
type Hasher func(kind string, parts ...string) (string, error)

// Store holds link-in-bio's in-memory state of one app.
type Store struct {
	app   core.App // for cache loads and flushes, never a transaction
	clock state.Clock

	profiles *state.Cache[*Profile]  // by username; owned by the user's id
	targets  *state.Cache[Target]    // by link id; owned by the link's owner
	previews *state.Cache[*Preview]  // by username; owned by the user's id
	sitemaps *state.Cache[[]byte]    // by page
	qrs      *state.Cache[[]byte]    // by the text encoded; Local, never stale
	hits     *handoff.Buffer[bucket] // views, clicks and visitors, written on the node that writes
	hash     Hasher
}

// New builds the store of app: time is read from clock, buffered views
// and clicks are written every flushEvery (and sooner when the buffer is
// full), and visitors are kept as hash makes them.
func New(app core.App, clock state.Clock, flushEvery time.Duration, hash Hasher) *Store {
	s := &Store{
		app:   app,
		clock: clock,
		hash:  hash,
		profiles: state.NewCache(state.CacheConfig[*Profile]{
			Name: "profiles", Max: profileCacheSize, TTL: profileCacheTTL, Clock: clock,
			Expires: func(p *Profile) time.Time { return p.nextChange },
			Owners:  func(p *Profile) []string { return []string{p.OwnerID} },
		}),
		targets: state.NewCache(state.CacheConfig[Target]{
			Name: "click_targets", Max: targetCacheSize,
			Owners: func(t Target) []string { return []string{t.Owner} },
		}),
		previews: state.NewCache(state.CacheConfig[*Preview]{
			Name: "link_previews", Max: previewCacheSize, TTL: profileCacheTTL, Clock: clock,
			Owners: func(p *Preview) []string { return []string{p.OwnerID} },
		}),
		sitemaps: state.NewCache(state.CacheConfig[[]byte]{
			Name: "sitemaps", Max: sitemapCacheSize, TTL: profileCacheTTL, Clock: clock,
		}),
		qrs: state.NewCache(state.CacheConfig[[]byte]{Name: "qr_codes", Max: qrCacheSize, Local: true}),
	}
	s.hits = handoff.NewBuffer(app, handoff.BufferConfig[bucket]{
		Name: "views_and_clicks", FlushAt: hitsFlushAt + visitorsFlushAt, Max: maxHitKeys + maxVisitors,
		Fold: foldBucket, Every: flushEvery, Clock: clock, Write: s.writeBuckets,
		OnError: func(err error) { app.Logger().Error("flushing views and clicks", "error", err) },
	})
	return s
}

// Flushers are the store's buffers' flushers, for the app's lifecycle.
func (s *Store) Flushers() []*state.Flusher { return []*state.Flusher{s.hits.Flusher()} }

// CacheStats are the figures of the store's caches.
func (s *Store) CacheStats() []state.CacheStats {
	return []state.CacheStats{s.profiles.Stats(), s.targets.Stats(), s.previews.Stats(), s.sitemaps.Stats(), s.qrs.Stats()}
}

// InvalidateUser drops what is cached of a user: their profile and link
// preview, whatever username they are cached under (it may just have
// changed), and their links' click targets (a disabled or deleted owner's
// links close).
func (s *Store) InvalidateUser(userID string) {
	s.profiles.InvalidateOwners(userID)
	s.previews.InvalidateOwners(userID)
	s.targets.InvalidateOwners(userID)
}

// InvalidateLink drops a link's click target and the profiles of its
// owners (before and after the write, should it have moved).
func (s *Store) InvalidateLink(linkID string, ownerIDs ...string) {
	s.targets.Invalidate(linkID)
	s.profiles.InvalidateOwners(ownerIDs...)
}
