package routes

import (
	"database/sql"
	"errors"
	"net/http"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"linkbase/linkbio"
)

// clickTarget is what a click needs to know about its link, read in one
// query and cached (clickcache.go).
type clickTarget struct {
	Owner    string         `db:"owner"`
	URL      string         `db:"url"`
	Enabled  bool           `db:"enabled"`
	StartsAt types.DateTime `db:"starts_at"`
	EndsAt   types.DateTime `db:"ends_at"`
	Disabled bool           `db:"disabled"`
}

// handleClick serves GET /l/{link_id}: it counts the click in the buffer
// and redirects to the link's URL (validated when the link was saved).
// Links that are disabled, outside their schedule or of a disabled user
// answer 404 like unknown ones.
func (s *site) handleClick(e *core.RequestEvent) error {
	id := e.Request.PathValue("link_id")
	t, err := s.targets.target(e.App, id)
	if errors.Is(err, sql.ErrNoRows) {
		return e.NotFoundError("Link not found.", nil)
	}
	if err != nil {
		return e.InternalServerError("", err)
	}
	now := s.now()
	sched := linkbio.Schedule{Enabled: t.Enabled, StartsAt: t.StartsAt.Time(), EndsAt: t.EndsAt.Time()}
	if t.Disabled || !sched.VisibleAt(now) || linkbio.ValidateURL(t.URL) != nil {
		return e.NotFoundError("Link not found.", nil)
	}
	if e.Request.Method == http.MethodGet {
		s.counter.Click(id, t.Owner, now)
	}
	// Every click must reach us to be counted.
	e.Response.Header().Set("Cache-Control", "no-store")
	e.Response.Header().Set("Referrer-Policy", "strict-origin-when-cross-origin")
	return e.Redirect(http.StatusFound, t.URL)
}
