package routes

import (
	"embed"
	"html/template"
	"net/http"
	"regexp"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/bots"
	"linkbase/referral"
)

//go:embed templates/register.html
var templatesFS embed.FS

var registerPage = template.Must(template.ParseFS(templatesFS, "templates/register.html"))

var codeRe = regexp.MustCompile(referral.CodePattern)

// maxPrefill bounds what of an unusable ?referral= is echoed into the form.
const maxPrefill = 64

// handleRegisterPage serves the sign-up page with the referral code filled
// in (html/template escapes it); for a well-formed code it remembers the
// code in the browser (the attribution cookie) and counts a visit unless
// a crawler, a link-preview bot or a prefetch made the request. The hot
// path only hashes and queues; see refstore.Store.RecordVisit.
func (srv *server) handleRegisterPage(e *core.RequestEvent) error {
	code := referral.NormalizeCode(e.Request.URL.Query().Get("referral"))
	if len(code) > maxPrefill {
		code = code[:maxPrefill]
	}
	if codeRe.MatchString(code) {
		if err := srv.rememberCode(e, code); err != nil {
			e.App.Logger().Warn("remembering a referral code", "error", err)
		}
		if !bots.IsAutomated(e.Request.Header) {
			if err := srv.countVisit(e, code); err != nil {
				e.App.Logger().Warn("counting a referral visit", "error", err)
			}
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

// rememberCode sets the attribution cookie (API.md: lb_ref, HttpOnly,
// SameSite=Lax, for the referral settings' attribution_days), so that a
// later sign-up in this browser without a code is attributed to it. A code
// that turns out unknown or retired is dropped at that sign-up.
func (srv *server) rememberCode(e *core.RequestEvent, code string) error {
	rules, err := srv.Referrals.Rules()
	if err != nil || rules.AttributionDays == 0 {
		return err
	}
	http.SetCookie(e.Response, &http.Cookie{
		Name: referral.AttributionCookie, Value: code, Path: "/", MaxAge: rules.AttributionDays * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: isHTTPS(e.App),
	})
	return nil
}

// countVisit identifies the visitor by their cookie, or else by their
// client IP (which then becomes their cookie), and queues the visit.
func (srv *server) countVisit(e *core.RequestEvent, code string) error {
	id, fresh, err := srv.Referrals.VisitorID(cookieValue(e, referral.VisitorCookie), e.RealIP())
	if err != nil {
		return err
	}
	if fresh {
		http.SetCookie(e.Response, &http.Cookie{
			Name: referral.VisitorCookie, Value: id, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: isHTTPS(e.App),
		})
	}
	visitor, err := srv.Referrals.VisitKey(id)
	if err != nil {
		return err
	}
	srv.Referrals.RecordVisit(code, visitor)
	return nil
}

// rememberedCode is the well-formed code of the browser's attribution
// cookie, or "".
func rememberedCode(e *core.RequestEvent) string {
	code := referral.NormalizeCode(cookieValue(e, referral.AttributionCookie))
	if !codeRe.MatchString(code) {
		return ""
	}
	return code
}

// cookieValue is the value of the request's cookie name, or "".
func cookieValue(e *core.RequestEvent, name string) string {
	c, err := e.Request.Cookie(name)
	if err != nil {
		return ""
	}
	return c.Value
}
