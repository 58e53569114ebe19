package routes

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/security"
)

// contentSecurityPolicy allows only the app's own scripts, styles and
// connections: no inline script or style, no plugins, no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders adds to PocketBase's defaults (nosniff) a strict CSP,
// framing denial and a referrer policy on every answer but the dashboard's,
// which PocketBase builds with its own needs. A page that carries a secret
// in its URL overrides Referrer-Policy with no-referrer.
func securityHeaders() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id:       "linkbaseSecurityHeaders",
		Priority: apis.DefaultSecurityHeadersMiddlewarePriority + 1,
		Func: func(e *core.RequestEvent) error {
			if !strings.HasPrefix(e.Request.URL.Path, "/_/") {
				h := e.Response.Header()
				h.Set("Content-Security-Policy", contentSecurityPolicy)
				h.Set("X-Frame-Options", "DENY")
				h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
			}
			return e.Next()
		},
	}
}

// retryAfter adds Retry-After to PocketBase's 429 answers: the window of
// the rate-limit rule that matched, an upper bound of the wait.
func retryAfter() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id:       "linkbaseRetryAfter",
		Priority: apis.DefaultRateLimitMiddlewarePriority - 1,
		Func: func(e *core.RequestEvent) error {
			err := e.Next()
			var apiErr *router.ApiError
			if errors.As(err, &apiErr) && apiErr.Status == http.StatusTooManyRequests && e.Response.Header().Get("Retry-After") == "" {
				e.Response.Header().Set("Retry-After", strconv.FormatInt(rateLimitWindow(e), 10))
			}
			return err
		},
	}
}

// rateLimitWindow is the duration in seconds of the rule that limits this
// request, or of the longest rule when it cannot be told (collection rules).
func rateLimitWindow(e *core.RequestEvent) int64 {
	limits := e.App.Settings().RateLimits
	labels := []string{e.Request.Method + " " + e.Request.URL.Path, e.Request.URL.Path}
	if rule, ok := limits.FindRateLimitRule(labels); ok {
		return rule.Duration
	}
	var longest int64 = 1
	for _, rule := range limits.Rules {
		longest = max(longest, rule.Duration)
	}
	return longest
}

// requestID tags every request with an id, sent back as X-Request-Id and
// stored with PocketBase's request log (dashboard → Logs, with the error's
// details), so a generic 500 can be traced without revealing internals.
func requestID() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id:       "linkbaseRequestID",
		Priority: apis.DefaultActivityLoggerMiddlewarePriority + 1,
		Func: func(e *core.RequestEvent) error {
			id := security.RandomString(16)
			e.Response.Header().Set("X-Request-Id", id)
			e.Set(apis.RequestEventKeyLogMeta, map[string]any{"requestId": id})
			return e.Next()
		},
	}
}
