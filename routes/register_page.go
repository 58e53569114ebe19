package routes

import (
	"embed"
	"html/template"
	"net/http"
	"regexp"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/referral"
)

//go:embed templates/register.html
var templatesFS embed.FS

var registerPage = template.Must(template.ParseFS(templatesFS, "templates/register.html"))

// visitorCookie identifies a browser across visits, so that a changed IP
// does not count it twice; it holds a random-looking hash, nothing personal.
const visitorCookie = "lb_visitor"

var (
	visitorRe = regexp.MustCompile(`^[0-9a-f]{32}$`)
	codeRe    = regexp.MustCompile(referral.CodePattern)
)

// maxPrefill bounds what of an unusable ?referral= is echoed into the form.
const maxPrefill = 64

// handleRegisterPage serves the sign-up page with the referral code filled
// in (html/template escapes it) and counts a visit for a well-formed code.
// The hot path only hashes and queues; see refstore.Store.RecordVisit.
func (srv *server) handleRegisterPage(e *core.RequestEvent) error {
	code := referral.NormalizeCode(e.Request.URL.Query().Get("referral"))
	if len(code) > maxPrefill {
		code = code[:maxPrefill]
	}
	if codeRe.MatchString(code) {
		if err := srv.countVisit(e, code); err != nil {
			e.App.Logger().Warn("counting a referral visit", "error", err)
		}
	}

	h := e.Response.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	e.Response.WriteHeader(http.StatusOK)
	return registerPage.Execute(e.Response, map[string]any{
		"AppName": e.App.Settings().Meta.AppName, "Code": code, "Referred": code != "",
	})
}

// countVisit identifies the visitor by their cookie, or else by a salted
// hash of IP and user agent (which then becomes their cookie), and queues
// the visit.
func (srv *server) countVisit(e *core.RequestEvent, code string) error {
	id := ""
	if c, err := e.Request.Cookie(visitorCookie); err == nil && visitorRe.MatchString(c.Value) {
		id = c.Value
	} else {
		hash, err := srv.Referrals.Hash("visitor", e.RealIP(), e.Request.UserAgent())
		if err != nil {
			return err
		}
		id = hash
		http.SetCookie(e.Response, &http.Cookie{
			Name: visitorCookie, Value: id, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: isHTTPS(e.App),
		})
	}
	visitor, err := srv.Referrals.Hash("visit", id)
	if err != nil {
		return err
	}
	srv.Referrals.RecordVisit(code, visitor)
	return nil
}
