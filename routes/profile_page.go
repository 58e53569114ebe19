package routes

import (
	"errors"
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	qrcode "github.com/skip2/go-qrcode"

	"linkbase/account"
	"linkbase/linkbio"
	"linkbase/linkstore"
)

// pageSecurityHeaders allow no script at all, styles only from the app
// (the theme is a stylesheet, never an inline style), and no framing.
var pageSecurityHeaders = map[string]string{
	"Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; " +
		"base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
	"X-Content-Type-Options": "nosniff",
	"X-Frame-Options":        "DENY",
	"Referrer-Policy":        "strict-origin-when-cross-origin",
}

// handleProfilePage serves GET /{username}. Main's static route for
// pb_public is GET /{path...}, which ServeMux ranks below this pattern for
// one-segment paths; so a name that is not a valid, unreserved username
// (index.html, favicon.ico, register, …) or no existing profile is handed
// to the static handler, and page names are reserved usernames.
func (srv *server) handleProfilePage(e *core.RequestEvent) error {
	name := e.Request.PathValue("username")
	if account.ValidateUsername(account.NormalizeUsername(name)) != nil {
		return srv.staticFile(e, name)
	}
	p, err := srv.Links.Profile(name)
	if errors.Is(err, linkstore.ErrNotFound) {
		return srv.staticFile(e, name)
	}
	if err != nil {
		return e.InternalServerError("", err)
	}
	if e.Request.Method == http.MethodGet {
		srv.Links.CountView(p.OwnerID, linkbio.ReferrerHost(e.Request.Referer()))
	}
	for k, v := range pageSecurityHeaders {
		e.Response.Header().Set(k, v)
	}
	if notModified(e, p.ETag+"-h") {
		return e.NoContent(http.StatusNotModified)
	}
	return e.Blob(http.StatusOK, "text/html; charset=utf-8", p.Page)
}

func (srv *server) staticFile(e *core.RequestEvent, name string) error {
	e.Request.SetPathValue(apis.StaticWildcardParam, name)
	return srv.static(e)
}

// handleThemeCSS serves the profile's theme as a stylesheet; the page links
// it with its version in the query, so it can be cached for long.
func (srv *server) handleThemeCSS(e *core.RequestEvent) error {
	p, err := srv.profileOrError(e)
	if err != nil {
		return err
	}
	e.Response.Header().Set("X-Content-Type-Options", "nosniff")
	if notModified(e, p.ETag+"-c") {
		return e.NoContent(http.StatusNotModified)
	}
	return e.Blob(http.StatusOK, "text/css; charset=utf-8", p.CSS)
}

// handleQR serves a PNG QR code of the profile page's URL, which is built
// from the configured app URL, never from the request's Host header.
func (srv *server) handleQR(e *core.RequestEvent) error {
	p, err := srv.profileOrError(e)
	if err != nil {
		return err
	}
	png, err := qrcode.Encode(p.PageURL, qrcode.Medium, 512)
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.Blob(http.StatusOK, "image/png", png)
}
