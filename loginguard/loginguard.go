// Package loginguard backs off failed logins per account and client
// address: after MaxFailures failures inside Window, that account refuses
// further attempts from that address with 429 until the oldest failure
// leaves the window. Keying by address as well as account means an
// attacker elsewhere can never lock the real user out; the per-IP rate
// limits bound what one address may try across accounts.
package loginguard

import (
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"linkbase/throttle"
)

// The back-off: 10 failures in 15 minutes (SECURITY.md).
const (
	MaxFailures = 10
	Window      = 15 * time.Minute
)

const storeKey = "linkbaseLoginFailures"

// Key names the account being tried from an address: the user's id, or the
// identity as typed when there is no such user, so unknown accounts back
// off exactly like real ones and a 429 tells nothing about existence.
func Key(user *core.Record, identity, ip string) string {
	if user != nil {
		return user.Id + "|" + ip
	}
	return "?" + identity + "|" + ip
}

// Check returns the 429 to answer when key is backing off, else nil.
func Check(e *core.RequestEvent, key string) error {
	wait := failures(e.App).RetryAfter(key)
	if wait <= 0 {
		return nil
	}
	e.Response.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	return router.NewApiError(http.StatusTooManyRequests, "Too many failed logins. Try again later.", nil)
}

// Failed records a failed attempt for key.
func Failed(app core.App, key string) { failures(app).Allow(key) }

// Succeeded clears key's failures.
func Succeeded(app core.App, key string) { failures(app).Forget(key) }

func failures(app core.App) *throttle.Store {
	return app.Store().GetOrSet(storeKey, func() any {
		return throttle.New(MaxFailures, Window, time.Now)
	}).(*throttle.Store)
}
