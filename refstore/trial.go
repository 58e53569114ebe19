package refstore

import (
	"errors"
	"net/netip"
	"net/url"
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// A local trial (LINKBASE_LOCAL_TRIAL) is one person trying the app on one
// machine: every sign-up and login comes from a loopback address, so the
// same-IP signal would hold every referral for review. During a trial a
// loopback address is taken as no one's address (HashIP gives no hash),
// and only loopback addresses: sign-ups from anywhere else keep every
// signal. A trial needs an app URL on this machine, which a deployment's
// public app URL never is; it is checked at every use, so setting a public
// app URL in the dashboard ends the trial at once.

const localTrialKey = "linkbase.localTrial"

// ErrTrialNotLocal refuses a local trial on an app whose URL is not local.
var ErrTrialNotLocal = errors.New("a local trial needs an app URL on this machine (http://localhost:8090, 127.0.0.1 or [::1])")

// EnableLocalTrial starts a local trial on app, refused unless its app URL
// is local.
func EnableLocalTrial(app core.App) error {
	if !isLocalURL(app.Settings().Meta.AppURL) {
		return ErrTrialNotLocal
	}
	app.Store().Set(localTrialKey, true)
	return nil
}

// InLocalTrial reports whether app runs a local trial with a local app URL.
func InLocalTrial(app core.App) bool {
	on, _ := app.Store().Get(localTrialKey).(bool)
	return on && isLocalURL(app.Settings().Meta.AppURL)
}

// isLocalURL reports whether raw is an http(s) URL whose host is localhost
// or a loopback address.
func isLocalURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	host := strings.ToLower(u.Hostname())
	return host == "localhost" || strings.HasSuffix(host, ".localhost") || isLoopback(host)
}

// isLoopback reports whether ip is a loopback address (127.0.0.0/8, ::1,
// and IPv4 loopback written as IPv6).
func isLoopback(ip string) bool {
	addr, err := netip.ParseAddr(ip)
	return err == nil && addr.Unmap().IsLoopback()
}
