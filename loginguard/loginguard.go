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

	"linkbase/state"
)

// The back-off: 10 failures in 15 minutes (SECURITY.md).
const (
	MaxFailures = 10
	Window      = 15 * time.Minute
)

// Guard counts failed logins in a state.Limiter of MaxFailures per Window:
// in memory for one node, shared (Redis) for many.
type Guard struct {
	failures state.Limiter
}

// New returns a guard counting failures in failures.
func New(failures state.Limiter) *Guard { return &Guard{failures: failures} }

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
func (g *Guard) Check(e *core.RequestEvent, key string) error {
	wait, err := g.failures.RetryAfter(e.Request.Context(), key)
	if err != nil {
		return err
	}
	if wait <= 0 {
		return nil
	}
	e.Response.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	return router.NewApiError(http.StatusTooManyRequests, "Too many failed logins. Try again later.", nil)
}

// Failed records a failed attempt for key.
func (g *Guard) Failed(e *core.RequestEvent, key string) {
	if _, err := g.failures.Allow(e.Request.Context(), key); err != nil {
		e.App.Logger().Warn("recording a failed login", "error", err)
	}
}

// Succeeded clears key's failures.
func (g *Guard) Succeeded(e *core.RequestEvent, key string) {
	if err := g.failures.Forget(e.Request.Context(), key); err != nil {
		e.App.Logger().Warn("clearing failed logins", "error", err)
	}
}
