package refstore

import (
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"linkbase/schema"
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

// ListQuery picks a page of a referrer's list: by Page (1-based, an
// OFFSET, as in the first version of the API) or, when Cursor is set, the
// page after the one whose NextCursor it is; optionally of one Status.
type ListQuery struct {
	Status  string
	Page    int
	PerPage int
	Cursor  string
}

// Page is a page of a referrer's list. Total is the number of their
// referrals (of the status asked for), from the rollups; NextCursor
// continues after the last item, "" when it is the end.
type Page struct {
	Items      []Item
	Total      int
	NextCursor string
}

// ErrCursorInvalid reports a cursor the list did not hand out.
var ErrCursorInvalid = errors.New("invalid cursor")

// The list is ordered newest first: by created, then by insertion order
// (rowid) among referrals of one millisecond. A cursor is the position of
// the last item shown, so the next page is an index seek after it,
// whatever its depth, and referrals inserted meanwhile (at the head) never
// shift it.
type cursor struct {
	created string
	rowid   int64
}

func (c cursor) String() string {
	return base64.RawURLEncoding.EncodeToString([]byte(c.created + "|" + strconv.FormatInt(c.rowid, 10)))
}

func parseCursor(s string) (cursor, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return cursor{}, ErrCursorInvalid
	}
	created, rowid, ok := strings.Cut(string(raw), "|")
	n, err := strconv.ParseInt(rowid, 10, 64)
	if !ok || err != nil || n < 1 {
		return cursor{}, ErrCursorInvalid
	}
	if _, err := types.ParseDateTime(created); err != nil || created == "" {
		return cursor{}, ErrCursorInvalid
	}
	return cursor{created: created, rowid: n}, nil
}

// ListReferrals returns a page of referrerID's referrals, newest first.
func ListReferrals(app core.App, referrerID string, q ListQuery) (Page, error) {
	where := dbx.And(dbx.HashExp{"r.referrer": referrerID})
	if q.Status != "" {
		where = dbx.And(where, dbx.HashExp{"r.status": q.Status})
	}
	offset := int64(0)
	if q.Cursor != "" {
		c, err := parseCursor(q.Cursor)
		if err != nil {
			return Page{}, err
		}
		where = dbx.And(where, dbx.NewExp("(r.created, r.rowid) < ({:c}, {:rid})", dbx.Params{"c": c.created, "rid": c.rowid}))
	} else if q.Page > 1 {
		offset = int64((q.Page - 1) * q.PerPage)
	}

	type row struct {
		RowID       int64  `db:"rid"`
		ID          string `db:"id"`
		Username    string `db:"username"`
		Status      string `db:"status"`
		Created     string `db:"created"`
		CompletedAt string `db:"completed_at"`
	}
	var rows []row
	err := app.DB().
		Select("r.rowid AS rid", "r.id", "COALESCE(u.username, '') AS username", "r.status", "r.created", "r.completed_at").
		From("referrals r").
		LeftJoin("users u", dbx.NewExp("u.id = r.referred_user")).
		Where(where).
		OrderBy("r.created DESC", "r.rowid DESC").
		Limit(int64(q.PerPage + 1)).Offset(offset). // one more tells whether a next page exists
		All(&rows)
	if err != nil {
		return Page{}, err
	}
	p := Page{Items: make([]Item, 0, min(len(rows), q.PerPage))}
	if len(rows) > q.PerPage {
		last := rows[q.PerPage-1]
		p.NextCursor = cursor{created: last.Created, rowid: last.RowID}.String()
		rows = rows[:q.PerPage]
	}
	for _, r := range rows {
		item := Item{ID: r.ID, Username: r.Username, Status: r.Status, DateReferred: rfc3339(r.Created)}
		if r.CompletedAt != "" {
			s := rfc3339(r.CompletedAt)
			item.CompletedAt = &s
		}
		p.Items = append(p.Items, item)
	}

	t, err := ReadTotals(app, referrerID)
	if err != nil {
		return Page{}, err
	}
	p.Total = map[string]int{
		"": t.Signups, schema.StatusPending: t.Pending, schema.StatusSuccessful: t.Successful,
		schema.StatusExpired: t.Expired, schema.StatusRejected: t.Rejected,
	}[q.Status]
	return p, nil
}

// cachedPerPage is the page size whose first page is cached: GET
// /api/referrals' default, what a dashboard opens with and polls.
const cachedPerPage = 20

// List is ListReferrals, answered from a per-user cache for the first page
// at the default size without a filter; other pages, cursors and filters
// go to the database. The cache is dropped by InvalidateStats, which every
// write to a user's referrals calls, and by InvalidateLists when a
// referred user is renamed or deleted.
func (s *Store) List(referrerID string, q ListQuery) (Page, error) {
	if q.Status != "" || q.Cursor != "" || q.Page > 1 || q.PerPage != cachedPerPage {
		return ListReferrals(s.app, referrerID, q)
	}
	return s.lists.Get(referrerID, func() (Page, error) {
		return ListReferrals(s.app, referrerID, ListQuery{Page: 1, PerPage: cachedPerPage})
	}) // the cached Items are shared by every reader: never modified
}

// rfc3339 turns a stored PocketBase datetime into API.md's format.
func rfc3339(stored string) string {
	dt, err := types.ParseDateTime(stored)
	if err != nil {
		return stored
	}
	return dt.Time().UTC().Format(time.RFC3339)
}
