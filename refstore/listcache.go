package refstore

import "github.com/pocketbase/pocketbase/core"

// cachedPerPage is the page size whose first page is cached: GET
// /api/referrals' default, what a dashboard opens with and polls.
const cachedPerPage = 20

// listPage is a cached first page of a referrer's list.
type listPage struct {
	items []Item // shared by every reader: never modified once cached
	total int
}

func listCache(app core.App) *Cache[listPage] {
	return app.Store().GetOrSet("linkbase.referralLists", func() any {
		return NewCache[listPage](statsCacheSize)
	}).(*Cache[listPage])
}

// ListReferralsCached is ListReferrals, answered from a per-user cache for
// the first page of every status at the default size; other pages and
// filters go to the database. The cache is dropped by InvalidateStats,
// which every write to a user's referrals calls, and by InvalidateLists
// when a referred user is renamed or deleted.
func ListReferralsCached(app core.App, referrerID, status string, page, perPage int) ([]Item, int, error) {
	if status != "" || page != 1 || perPage != cachedPerPage {
		return ListReferrals(app, referrerID, status, page, perPage)
	}
	p, err := listCache(app).Get(referrerID, func() (listPage, error) {
		items, total, err := ListReferrals(app, referrerID, "", 1, cachedPerPage)
		return listPage{items, total}, err
	})
	return p.items, p.total, err
}

// InvalidateLists drops the cached lists of users.
func InvalidateLists(app core.App, userIDs ...string) { listCache(app).Invalidate(userIDs...) }
