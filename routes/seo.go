package routes

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/linkbio"
	"linkbase/linkstore"
)

// handleRobots serves /robots.txt, whose Sitemap line is built from the
// configured app URL (never from the request's Host).
func handleRobots(e *core.RequestEvent) error {
	e.Response.Header().Set("Cache-Control", "public, max-age=3600")
	return e.Blob(http.StatusOK, "text/plain; charset=utf-8", linkbio.RobotsTxt(e.App.Settings().Meta.AppURL))
}

// handleSitemap serves /sitemap.xml: the public profiles, or beyond one
// file's worth of them an index of /sitemap.xml?page=N.
func (srv *server) handleSitemap(e *core.RequestEvent) error {
	page := 0
	if raw := e.Request.URL.Query().Get("page"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 {
			return e.NotFoundError("No such sitemap page.", nil)
		}
		page = n
	}
	doc, err := srv.Links.Sitemap(page)
	if errors.Is(err, linkstore.ErrNotFound) {
		return e.NotFoundError("No such sitemap page.", nil)
	}
	if err != nil {
		return e.InternalServerError("", err)
	}
	e.Response.Header().Set("Cache-Control", "public, max-age=600")
	return e.Blob(http.StatusOK, "application/xml; charset=utf-8", doc)
}
