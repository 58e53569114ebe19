package refstore

import (
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Item is one referred user as the referrer sees them: never their email.
// ID is the referral's id; Username is "" once the referred user is deleted.
type Item struct {
	ID           string  `json:"id"`
	Username     string  `json:"username"`
	Status       string  `json:"status"`
	DateReferred string  `json:"date_referred"`
	CompletedAt  *string `json:"completed_at"`
}

// ListReferrals returns a page of referrerID's referrals, newest first
// (insertion order breaks ties of the millisecond timestamps),
// optionally of one status, and the total number of them.
func ListReferrals(app core.App, referrerID, status string, page, perPage int) ([]Item, int, error) {
	where := dbx.And(dbx.HashExp{"r.referrer": referrerID})
	if status != "" {
		where = dbx.And(where, dbx.HashExp{"r.status": status})
	}
	var total int
	if err := app.DB().Select("COUNT(*)").From("referrals r").Where(where).Row(&total); err != nil {
		return nil, 0, err
	}

	type row struct {
		ID          string `db:"id"`
		Username    string `db:"username"`
		Status      string `db:"status"`
		Created     string `db:"created"`
		CompletedAt string `db:"completed_at"`
	}
	var rows []row
	err := app.DB().
		Select("r.id", "COALESCE(u.username, '') AS username", "r.status", "r.created", "r.completed_at").
		From("referrals r").
		LeftJoin("users u", dbx.NewExp("u.id = r.referred_user")).
		Where(where).
		OrderBy("r.created DESC", "r.rowid DESC").
		Limit(int64(perPage)).Offset(int64((page - 1) * perPage)).
		All(&rows)
	if err != nil {
		return nil, 0, err
	}
	items := make([]Item, len(rows))
	for i, r := range rows {
		items[i] = Item{ID: r.ID, Username: r.Username, Status: r.Status, DateReferred: rfc3339(r.Created)}
		if r.CompletedAt != "" {
			s := rfc3339(r.CompletedAt)
			items[i].CompletedAt = &s
		}
	}
	return items, total, nil
}

// cachedPerPage is the page size whose first page is cached: GET
// /api/referrals' default, what a dashboard opens with and polls.
const cachedPerPage = 20

// listPage is a cached first page of a referrer's list.
type listPage struct {
	items []Item // shared by every reader: never modified once cached
	total int
}

// List is ListReferrals, answered from a per-user cache for the first page
// of every status at the default size; other pages and filters go to the
// database. The cache is dropped by InvalidateStats, which every write to
// a user's referrals calls, and by InvalidateLists when a referred user is
// renamed or deleted.
func (s *Store) List(referrerID, status string, page, perPage int) ([]Item, int, error) {
	if status != "" || page != 1 || perPage != cachedPerPage {
		return ListReferrals(s.app, referrerID, status, page, perPage)
	}
	p, err := s.lists.Get(referrerID, func() (listPage, error) {
		items, total, err := ListReferrals(s.app, referrerID, "", 1, cachedPerPage)
		return listPage{items, total}, err
	})
	return p.items, p.total, err
}

// rfc3339 turns a stored PocketBase datetime into API.md's format.
func rfc3339(stored string) string {
	dt, err := types.ParseDateTime(stored)
	if err != nil {
		return stored
	}
	return dt.Time().UTC().Format(time.RFC3339)
}
