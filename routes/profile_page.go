package routes

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"net/http"
	"net/url"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	qrcode "github.com/skip2/go-qrcode"

	"linkbase/account"
	"linkbase/linkbio"
)

//go:embed templates/profile.html
var templateFS embed.FS

var profileTemplate = template.Must(template.ParseFS(templateFS, "templates/profile.html"))

// renderVersion identifies this build's page template and stylesheet.
var renderVersion = func() string {
	page, _ := templateFS.ReadFile("templates/profile.html")
	sum := sha256.Sum256(append(page, themeCSS(linkbio.Theme{})...))
	return hex.EncodeToString(sum[:8])
}()

// pageSecurityHeaders allow no script at all, styles only from the app
// (the theme is a stylesheet, never an inline style), and no framing.
var pageSecurityHeaders = map[string]string{
	"Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; " +
		"base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
	"X-Content-Type-Options": "nosniff",
	"X-Frame-Options":        "DENY",
	"Referrer-Policy":        "strict-origin-when-cross-origin",
}

// renderProfilePage renders the public HTML page; html/template escapes
// every value for its context (text, attribute, URL).
func renderProfilePage(p *cachedProfile) ([]byte, error) {
	d := p.data
	name := d.DisplayName
	if name == "" {
		name = d.Username
	}
	description := d.Bio
	if description == "" {
		description = fmt.Sprintf("%s's links", name)
	}
	var buf bytes.Buffer
	err := profileTemplate.Execute(&buf, map[string]any{
		"Title": name + " (@" + d.Username + ")", "Name": name, "Username": d.Username,
		"Bio": d.Bio, "Description": description, "PageURL": p.pageURL, "AvatarURL": d.AvatarURL,
		"Theme": d.Theme.WithDefaults(), "Links": d.Links,
		"StylesheetURL": "/api/profiles/" + url.PathEscape(d.Username) + "/theme.css?v=" + p.etag,
	})
	return buf.Bytes(), err
}

// handleProfilePage serves GET /{username}. Main's static route for
// pb_public is GET /{path...}, which ServeMux ranks below this pattern for
// one-segment paths; so a name that is not a valid, unreserved username
// (index.html, favicon.ico, register, …) or no existing profile is handed
// to the static handler, and page names are reserved usernames.
func (s *site) handleProfilePage(e *core.RequestEvent) error {
	name := e.Request.PathValue("username")
	if account.ValidateUsername(account.NormalizeUsername(name)) != nil {
		return s.serveStatic(e, name)
	}
	p, err := s.profileFor(e.App, name)
	if err != nil {
		return e.InternalServerError("", err)
	}
	if p == nil {
		return s.serveStatic(e, name)
	}
	if e.Request.Method == http.MethodGet {
		s.counter.View(p.ownerID, linkbio.ReferrerHost(e.Request.Referer()), s.now())
	}
	for k, v := range pageSecurityHeaders {
		e.Response.Header().Set(k, v)
	}
	if notModified(e, p.etag+"-h") {
		return e.NoContent(http.StatusNotModified)
	}
	return e.Blob(http.StatusOK, "text/html; charset=utf-8", p.page)
}

func (s *site) serveStatic(e *core.RequestEvent, name string) error {
	e.Request.SetPathValue(apis.StaticWildcardParam, name)
	return s.static(e)
}

// handleThemeCSS serves the profile's theme as a stylesheet; the page links
// it with its version in the query, so it can be cached for long.
func (s *site) handleThemeCSS(e *core.RequestEvent) error {
	p, err := s.profileFor(e.App, e.Request.PathValue("username"))
	if err != nil {
		return e.InternalServerError("", err)
	}
	if p == nil {
		return e.NotFoundError("Profile not found.", nil)
	}
	e.Response.Header().Set("X-Content-Type-Options", "nosniff")
	if notModified(e, p.etag+"-c") {
		return e.NoContent(http.StatusNotModified)
	}
	return e.Blob(http.StatusOK, "text/css; charset=utf-8", p.css)
}

// handleQR serves a PNG QR code of the profile page's URL, which is built
// from the configured app URL, never from the request's Host header.
func (s *site) handleQR(e *core.RequestEvent) error {
	p, err := s.profileFor(e.App, e.Request.PathValue("username"))
	if err != nil {
		return e.InternalServerError("", err)
	}
	if p == nil {
		return e.NotFoundError("Profile not found.", nil)
	}
	png, err := qrcode.Encode(p.pageURL, qrcode.Medium, 512)
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.Blob(http.StatusOK, "image/png", png)
}
