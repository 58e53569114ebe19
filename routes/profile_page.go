package routes

import (
	"errors"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"linkbase/account"
	"linkbase/bots"
	"linkbase/linkbio"
	"linkbase/linkstore"
	"linkbase/referral"
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

// handleProfilePage serves GET /{username}. pb_public's files are served
// by GET /{path...} (handleFiles), which ServeMux ranks below this pattern
// for one-segment paths; so a name that is not a valid, unreserved username
// (index.html, favicon.ico, register, …) or no existing profile is handed
// to the static handler, and page names are reserved usernames. A browser
// asking for a name that is neither gets the HTML 404 page.
func (srv *server) handleProfilePage(e *core.RequestEvent) error {
	name := e.Request.PathValue("username")
	if account.ValidateUsername(account.NormalizeUsername(name)) != nil {
		return srv.staticOrNotFound(e, name)
	}
	p, err := srv.Links.Profile(name)
	if errors.Is(err, linkstore.ErrNotFound) {
		return srv.staticOrNotFound(e, name)
	}
	if err != nil {
		return e.InternalServerError("", err)
	}
	if e.Request.Method == http.MethodGet && !bots.IsAutomated(e.Request.Header) {
		srv.Links.CountView(linkstore.View{
			Profile: p.OwnerID, Host: linkbio.ReferrerHost(e.Request.Referer()), UTMSource: utmSource(e.Request),
			UserAgent: e.Request.UserAgent(), Visitor: visitorOf(e),
		})
	}
	setPageHeaders(e)
	return cachedBlob(e, p.ETag+"-h", "text/html; charset=utf-8", p.Page)
}

func setPageHeaders(e *core.RequestEvent) {
	for k, v := range pageSecurityHeaders {
		e.Response.Header().Set(k, v)
	}
}

// utmSource is the page URL's utm_source, "" without a query (the common
// case, which costs no parsing).
func utmSource(r *http.Request) string {
	if r.URL.RawQuery == "" {
		return ""
	}
	return r.URL.Query().Get("utm_source")
}

// visitorOf tells a page's visitors apart for unique_views: by the visitor
// cookie that the sign-up page sets, else by the client's address and user
// agent. The store keeps only a salted hash of it.
func visitorOf(e *core.RequestEvent) string {
	if c, err := e.Request.Cookie(referral.VisitorCookie); err == nil && referral.IsVisitorID(c.Value) {
		return "cookie\x00" + c.Value
	}
	return "client\x00" + e.RealIP() + "\x00" + e.Request.UserAgent()
}

func (srv *server) staticFile(e *core.RequestEvent, name string) error {
	e.Request.SetPathValue(apis.StaticWildcardParam, name)
	return srv.static(e)
}

// staticOrNotFound serves the pb_public file name, or, when there is none,
// the HTML 404 page to a browser (an API client keeps the JSON answer).
func (srv *server) staticOrNotFound(e *core.RequestEvent, name string) error {
	err := srv.staticFile(e, name)
	if !errors.Is(err, router.ErrFileNotFound) || !wantsHTML(e.Request) {
		return err
	}
	page, renderErr := linkbio.NotFoundPage(name)
	if renderErr != nil {
		return e.InternalServerError("", renderErr)
	}
	setPageHeaders(e)
	e.Response.Header().Set("Cache-Control", "no-store")
	return e.Blob(http.StatusNotFound, "text/html; charset=utf-8", page)
}

// handleFiles serves the GETs no other route takes: GET
// /{username}/og.png, the profile's link preview, and pb_public's files
// (a path of the preview's shape that is not a profile's included).
func (srv *server) handleFiles(e *core.RequestEvent) error {
	path := e.Request.PathValue(apis.StaticWildcardParam)
	name, isPreview := strings.CutSuffix(path, "/og.png")
	if !isPreview || name == "" || strings.Contains(name, "/") {
		return srv.static(e)
	}
	pv, err := srv.Links.Preview(name)
	if errors.Is(err, linkstore.ErrNotFound) {
		return srv.static(e)
	}
	if err != nil {
		return e.InternalServerError("", err)
	}
	return cachedBlob(e, pv.ETag, "image/png", pv.PNG)
}

// handleThemeCSS serves the profile's theme as a stylesheet; the page links
// it with its version in the query, so it can be cached for long.
func (srv *server) handleThemeCSS(e *core.RequestEvent) error {
	p, err := srv.profileOrError(e)
	if err != nil {
		return err
	}
	return cachedBlob(e, p.ETag+"-c", "text/css; charset=utf-8", p.CSS)
}

// handleQR serves a PNG QR code of the profile page's URL, which is built
// from the configured app URL, never from the request's Host header.
func (srv *server) handleQR(e *core.RequestEvent) error {
	p, err := srv.profileOrError(e)
	if err != nil {
		return err
	}
	png, err := srv.Links.QR(p.PageURL)
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.Blob(http.StatusOK, "image/png", png)
}
