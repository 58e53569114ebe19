package routes

import (
	"errors"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/linkstore"
)

// cachedBlob answers body as contentType with its validators, or 304 Not
// Modified when the client already holds etag. no-cache lets browsers and
// proxies keep the body but revalidate every time, so an edit shows at
// once and a page view is still counted. nosniff: every such body (page,
// JSON, stylesheet, PNG) is served only as the type it is.
func cachedBlob(e *core.RequestEvent, etag, contentType string, body []byte) error {
	quoted := `"` + etag + `"`
	h := e.Response.Header()
	h.Set("ETag", quoted)
	h.Set("Cache-Control", "public, no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	for _, t := range strings.Split(e.Request.Header.Get("If-None-Match"), ",") {
		if t = strings.TrimPrefix(strings.TrimSpace(t), "W/"); t == quoted || t == "*" {
			return e.NoContent(http.StatusNotModified)
		}
	}
	return e.Blob(http.StatusOK, contentType, body)
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
	return cachedBlob(e, p.ETag, "application/json", p.JSON)
}
