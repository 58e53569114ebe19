package linkstore

import (
	"database/sql"
	"errors"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tools/types"

	"linkbase/linkbio"
)

// Target is what a click needs to know about its link, read in one query
// and cached: the schedule is cached, not its outcome, so a link still
// opens and closes on time. URL is checked once, when read: "" for one
// linkbio.ValidateURL refuses.
type Target struct {
	Owner    string         `db:"owner"`
	URL      string         `db:"url"`
	Enabled  bool           `db:"enabled"`
	StartsAt types.DateTime `db:"starts_at"`
	EndsAt   types.DateTime `db:"ends_at"`
	Disabled bool           `db:"disabled"` // the owner's
}

// Follow returns where the link with id leads and, if count, counts the
// click in the buffer. Links that are unknown, disabled, outside their
// schedule or of a disabled user are ErrNotFound alike. A busy link is
// answered without touching SQLite: its target is cached until a write to
// the link or its owner.
func (s *Store) Follow(linkID string, count bool) (string, error) {
	t, err := s.targets.Get(linkID, func() (Target, error) {
		var t Target
		err := s.app.DB().NewQuery(`SELECT l.[[owner]], l.[[url]], l.[[enabled]], l.[[starts_at]], l.[[ends_at]], u.[[disabled]]
			FROM {{links}} l JOIN {{users}} u ON u.[[id]] = l.[[owner]] WHERE l.[[id]] = {:id} LIMIT 1`).
			Bind(dbx.Params{"id": linkID}).One(&t)
		if errors.Is(err, sql.ErrNoRows) {
			return t, ErrNotFound // not cached: the link may be created later
		}
		if err == nil && linkbio.ValidateURL(t.URL) != nil {
			t.URL = "" // written past the hooks (raw SQL, an older row): never followed
		}
		return t, err
	})
	if err != nil {
		return "", err
	}
	now := s.clock()
	sched := linkbio.Schedule{Enabled: t.Enabled, StartsAt: t.StartsAt.Time(), EndsAt: t.EndsAt.Time()}
	if t.Disabled || t.URL == "" || !sched.VisibleAt(now) {
		return "", ErrNotFound
	}
	if count {
		s.count(Hit{Link: linkID, Profile: t.Owner, Day: now.UTC().Format(DayFormat)})
	}
	return t.URL, nil
}
