// Package loginguard backs off password guessing per account, across all
// client addresses, without letting an attacker lock the real user out:
// OWASP's device-cookie scheme. A browser that has logged in to an
// account holds a signed device cookie for it (device.go) and draws on a
// budget of its own; every other client (a new browser, or 1,100
// addresses of a credential-stuffing run) shares the account's one
// budget. A budget allows MaxFailures attempts per Window; a correct
// password gives its attempts back. The per-IP rate limits (PocketBase's
// limiter) bound what one address may try across accounts.
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

// The back-off: 10 attempts in 15 minutes per budget (SECURITY.md).
const (
	MaxFailures = 10
	Window      = 15 * time.Minute
)

// Guard counts password attempts in a state.Limiter of MaxFailures per
// Window (in memory for one node, shared by all nodes in a cluster) and
// issues and checks device cookies.
type Guard struct {
	attempts state.Limiter
	devices  devices
}

// New returns a guard counting attempts in attempts (in this process, or
// shared by a cluster's nodes in Redis) and signing device cookies with the
// key deviceKey returns (the install's, so that every node of a cluster
// accepts the cookies of every other).
func New(attempts state.Limiter, deviceKey func() ([]byte, error), clock state.Clock) *Guard {
	return &Guard{attempts: attempts, devices: devices{key: deviceKey, clock: clock}}
}

// Attempt takes one attempt from the budget a password check of user
// draws on, before the password is compared: the budget of the device
// cookie the request holds for user, else the account's shared one (for
// an unknown account, that of the identity as typed, so a 429 tells
// nothing about existence). It returns the budget's key, for Succeeded,
// or the 429 to answer, with Retry-After, when the budget is spent.
// Taking the attempt first makes the budget exact under concurrency: of
// many simultaneous guesses with one attempt left, one is compared. A
// limiter that cannot be reached lets the attempt through (logged): the
// per-IP limits still hold.
func (g *Guard) Attempt(e *core.RequestEvent, user *core.Record, identity string) (string, error) {
	key := g.budget(e, user, identity)
	ctx := e.Request.Context()
	allowed, err := g.attempts.Allow(ctx, key)
	if err != nil {
		e.App.Logger().Error("Failed to count a login attempt", "error", err)
		return key, nil
	}
	if allowed {
		return key, nil
	}
	wait, err := g.attempts.RetryAfter(ctx, key)
	if err != nil || wait <= 0 {
		wait = time.Second
	}
	e.Response.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	return key, router.NewApiError(http.StatusTooManyRequests, "Too many failed logins. Try again later.", nil)
}

// Succeeded gives key's attempts back after a correct password.
func (g *Guard) Succeeded(e *core.RequestEvent, key string) {
	if err := g.attempts.Forget(e.Request.Context(), key); err != nil {
		e.App.Logger().Warn("Failed to clear login attempts", "error", err)
	}
}

// budget names the budget an attempt on user from this request draws on.
func (g *Guard) budget(e *core.RequestEvent, user *core.Record, identity string) string {
	if user == nil {
		return "identity:" + identity
	}
	if device, ok := g.devices.of(e.Request, user.Id); ok {
		return "device:" + device
	}
	return "account:" + user.Id
}
