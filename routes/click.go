package routes

import (
	"errors"
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/bots"
	"linkbase/linkstore"
)

// handleClick serves GET /l/{link_id}: it counts the click (unless a
// crawler, a link-preview bot or a prefetch made it) and redirects to the
// link's URL (validated when the link was saved). Links that are
// disabled, outside their schedule or of a disabled user answer 404 like
// unknown ones.
func (srv *server) handleClick(e *core.RequestEvent) error {
	count := e.Request.Method == http.MethodGet && !bots.IsAutomated(e.Request.Header)
	target, err := srv.Links.Follow(e.Request.PathValue("link_id"), count)
	if errors.Is(err, linkstore.ErrNotFound) {
		return e.NotFoundError("Link not found.", nil)
	}
	if err != nil {
		return e.InternalServerError("", err)
	}
	// Every click must reach us to be counted.
	e.Response.Header().Set("Cache-Control", "no-store")
	e.Response.Header().Set("Referrer-Policy", "strict-origin-when-cross-origin")
	return e.Redirect(http.StatusFound, target)
}
