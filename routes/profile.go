package routes

import (
	"errors"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/linkstore"
)

// notModified sets the validators of a cacheable answer and reports
// whether the client already holds it. no-cache lets browsers and proxies
// keep the body but revalidate every time, so an edit shows at once and a
// page view is still counted.
func notModified(e *core.RequestEvent, etag string) bool {
	quoted := `"` + etag + `"`
	e.Response.Header().Set("ETag", quoted)
	e.Response.Header().Set("Cache-Control", "public, no-cache")
	for _, t := range strings.Split(e.Request.Header.Get("If-None-Match"), ",") {
		if t = strings.TrimPrefix(strings.TrimSpace(t), "W/"); t == quoted || t == "*" {
			return true
		}
	}
	return false
}

// profileOrError is the profile named in the path, or the error to answer
// (404 for an unknown, invalid or disabled username).
func (srv *server) profileOrError(e *core.RequestEvent) (*linkstore.Profile, error) {
	p, err := srv.Links.Profile(e.Request.PathValue("username"))
	if errors.Is(err, linkstore.ErrNotFound) {
		return nil, e.NotFoundError("Profile not found.", nil)
	}
	if err != nil {
		return nil, e.InternalServerError("", err)
	}
	return p, nil
}

// handleProfileJSON serves GET /api/profiles/{username}.
func (srv *server) handleProfileJSON(e *core.RequestEvent) error {
	p, err := srv.profileOrError(e)
	if err != nil {
		return err
	}
	if notModified(e, p.ETag) {
		return e.NoContent(http.StatusNotModified)
	}
	return e.Blob(http.StatusOK, "application/json", p.JSON)
}
