package routes

import (
	"crypto/subtle"
	"net/http"
	"os"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/security"

	"linkbase/csrf"
	"linkbase/schema"
)

// Cookie and header names of the browser session (API.md).
const (
	sessionCookie = "session"
	csrfCookie    = "csrf_token"
	csrfHeader    = "X-CSRF-Token"
)

// authViaCookieKey marks a request authenticated by the session cookie.
const authViaCookieKey = "linkbaseAuthViaCookie"

// origins holds the extra origins (besides the app's own) that may make
// credentialed cross-origin requests, from LINKBASE_ALLOWED_ORIGINS.
type origins map[string]bool

func allowedOriginsFromEnv() origins {
	allowed := origins{}
	for _, o := range strings.Split(os.Getenv("LINKBASE_ALLOWED_ORIGINS"), ",") {
		if o = strings.TrimRight(strings.TrimSpace(o), "/"); o != "" {
			allowed[o] = true
		}
	}
	return allowed
}

// loadSession is the one authentication middleware besides PocketBase's
// header loader: it authenticates a request without an Authorization
// header from the session cookie (so the collection API and its rules see
// cookie users too), applies the CSRF check to such requests, and drops
// the auth of a disabled user, or of a token without an expiry, whichever
// way it came.
func (srv *server) loadSession(allowed origins) *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id:       "linkbaseLoadSession",
		Priority: apis.DefaultLoadAuthTokenMiddlewarePriority + 1,
		Func: func(e *core.RequestEvent) error {
			header := e.Request.Header.Get("Authorization")
			if e.Auth == nil && header == "" {
				if err := srv.authFromCookie(e, allowed); err != nil {
					return err
				}
			} else if e.Auth != nil && !hasExpiry(bearerToken(header)) {
				e.Auth = nil
			}
			if e.Auth != nil && e.Auth.Collection().Name == schema.Users && e.Auth.GetBool(schema.UserDisabled) {
				e.Auth = nil
			}
			return e.Next()
		},
	}
}

// bearerToken strips the optional "Bearer " scheme, as PocketBase does.
func bearerToken(header string) string {
	if len(header) > 7 && strings.EqualFold(header[:7], "Bearer ") {
		return header[7:]
	}
	return header
}

// hasExpiry reports whether a token carries an exp claim. PocketBase's
// parser checks exp only when present; a token without one (which
// PocketBase never issues) would live for ever, so it is refused.
func hasExpiry(token string) bool {
	claims, err := security.ParseUnverifiedJWT(token)
	_, ok := claims["exp"]
	return err == nil && ok
}

func (srv *server) authFromCookie(e *core.RequestEvent, allowed origins) error {
	cookie, err := e.Request.Cookie(sessionCookie)
	if err != nil || cookie.Value == "" {
		return nil
	}
	user, err := e.App.FindAuthRecordByToken(cookie.Value, core.TokenTypeAuth)
	if err != nil || user.Collection().Name != schema.Users || !hasExpiry(cookie.Value) {
		return nil // an expired or revoked cookie is just no session
	}
	if isUnsafeMethod(e.Request.Method) {
		if isCrossSite(e, allowed) {
			return e.ForbiddenError("Cross-site request refused.", nil)
		}
		if !srv.validCSRFToken(e, cookie.Value) {
			return e.ForbiddenError("Missing or invalid CSRF token.", nil)
		}
	}
	e.Auth = user
	e.Set(authViaCookieKey, true)
	return nil
}

// refuseCrossSite refuses cross-site requests whatever their credentials:
// login, register and logout must not be forged by another site (login CSRF).
func refuseCrossSite(allowed origins) *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id: "linkbaseRefuseCrossSite",
		Func: func(e *core.RequestEvent) error {
			if isCrossSite(e, allowed) {
				return e.ForbiddenError("Cross-site request refused.", nil)
			}
			return e.Next()
		},
	}
}

func isUnsafeMethod(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return false
	}
	return true
}

// isCrossSite trusts the browser's Sec-Fetch-Site first, then its Origin:
// the app's own origin, the request's own origin and the configured origins
// are same-site; anything else, "null" included, is not. Origins are
// compared by scheme, host and port, so http://app.example is not the
// origin of https://app.example. Requests from non-browser clients carry
// neither header.
func isCrossSite(e *core.RequestEvent, allowed origins) bool {
	if e.Request.Header.Get("Sec-Fetch-Site") == "cross-site" {
		return true
	}
	origin := e.Request.Header.Get("Origin")
	if origin == "" {
		return false
	}
	if allowed[origin] || csrf.SameOrigin(origin, e.App.Settings().Meta.AppURL) {
		return false
	}
	return !csrf.SameOrigin(origin, requestOrigin(e.Request))
}

// requestOrigin is the origin the request was sent to: its Host, by the
// scheme of the connection. Behind a proxy that terminates TLS, the app
// URL (https) is the origin that matches.
func requestOrigin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// validCSRFToken reports whether the request's X-CSRF-Token equals its
// csrf_token cookie and is the token the server issued for sessionToken.
func (srv *server) validCSRFToken(e *core.RequestEvent, sessionToken string) bool {
	cookie, err := e.Request.Cookie(csrfCookie)
	header := e.Request.Header.Get(csrfHeader)
	if err != nil || cookie.Value == "" || header == "" ||
		subtle.ConstantTimeCompare([]byte(cookie.Value), []byte(header)) != 1 {
		return false
	}
	valid, err := srv.CSRF.Valid(sessionToken, header)
	if err != nil {
		e.App.Logger().Error("reading the session key", "error", err)
	}
	return valid
}

// setSessionCookies starts a browser session for token: the HttpOnly
// session cookie and a readable CSRF token, bound to the session, for the
// pages to echo back.
func (srv *server) setSessionCookies(e *core.RequestEvent, token string, maxAge int) error {
	csrfToken, err := srv.CSRF.For(token)
	if err != nil {
		return err
	}
	secure := isHTTPS(e.App)
	http.SetCookie(e.Response, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: secure,
	})
	http.SetCookie(e.Response, &http.Cookie{
		Name: csrfCookie, Value: csrfToken, Path: "/", MaxAge: maxAge,
		SameSite: http.SameSiteLaxMode, Secure: secure,
	})
	return nil
}

func clearSessionCookies(e *core.RequestEvent) {
	secure := isHTTPS(e.App)
	for _, name := range []string{sessionCookie, csrfCookie} {
		http.SetCookie(e.Response, &http.Cookie{
			Name: name, Value: "", Path: "/", MaxAge: -1,
			HttpOnly: name == sessionCookie, SameSite: http.SameSiteLaxMode, Secure: secure,
		})
	}
}

func isHTTPS(app core.App) bool {
	return strings.HasPrefix(strings.ToLower(app.Settings().Meta.AppURL), "https://")
}
