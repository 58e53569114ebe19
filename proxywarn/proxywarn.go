// Package proxywarn tells the operator when the client addresses Linkbase
// sees are probably a proxy's: requests arrive from a loopback or private
// address while no trusted proxy header is set. Behind a reverse proxy
// every client then has the proxy's address, so the per-IP rate limits are
// shared by everyone and every referral between clients is held as "same
// IP as the referrer" — and nothing else would say why.
package proxywarn

import (
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"linkbase/refstore"
)

// Where the operator sets the trusted header.
const (
	settingPath = "Dashboard → Settings → Application → IP proxy headers"
	settingEnv  = "LINKBASE_TRUSTED_PROXY_HEADERS"
	healthPath  = "/api/health"
)

// proxyHeaders are the client-address headers reverse proxies and hosting
// platforms commonly set, most common first.
var proxyHeaders = []string{"X-Forwarded-For", "X-Real-IP", "CF-Connecting-IP", "Fly-Client-IP"}

// sharedSpace is 100.64.0.0/10, the carrier-grade NAT range that some
// load balancers and overlay networks connect from; netip calls it neither
// private nor loopback.
var sharedSpace = netip.MustParsePrefix("100.64.0.0/10")

// Register binds the warning: once per process, at the first request from
// a loopback or private address while no trusted proxy header is set, it
// is written to out (the terminal) and to the app log (Dashboard → Logs).
// At start-up nothing is known of where requests will come from; the first
// one says it. Health probes (Docker's HEALTHCHECK runs on loopback) do not
// count. A local trial's loopback requests do not either: there, the
// address is this machine's by design.
//
// It also completes PocketBase's health answer to superusers (see
// healthHint), which the dashboard uses to flag the setting itself.
func Register(app core.App, out io.Writer) {
	var warned atomic.Bool
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.Bind(&hook.Handler[*core.RequestEvent]{
			Id: "linkbaseProxyWarning",
			// After the auth token is loaded (healthHint needs it), before
			// the rate limiter, so a throttled request is seen too.
			Priority: apis.DefaultRateLimitMiddlewarePriority - 1,
			Func: func(e *core.RequestEvent) error {
				isHealth := e.Request.URL.Path == healthPath
				if !warned.Load() && !isHealth {
					if ip, ok := untrustedClient(e); ok && warned.CompareAndSwap(false, true) {
						warn(e.App, out, ip, proxyHeaderOf(e.Request))
					}
				}
				if isHealth && e.Request.Method == http.MethodGet {
					return healthHint(e)
				}
				return e.Next()
			},
		})
		return se.Next()
	})
}

// untrustedClient returns the request's socket address when it is a
// loopback or private one and no trusted proxy header is set.
func untrustedClient(e *core.RequestEvent) (string, bool) {
	if len(e.App.Settings().TrustedProxy.Headers) > 0 {
		return "", false
	}
	ip := e.RemoteIP()
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return "", false
	}
	addr = addr.Unmap()
	switch {
	case addr.IsLoopback():
		return ip, !refstore.InLocalTrial(e.App)
	case addr.IsPrivate() || sharedSpace.Contains(addr):
		return ip, true
	}
	return "", false
}

// proxyHeaderOf is the first client-address header the request carries,
// or "".
func proxyHeaderOf(r *http.Request) string {
	for _, h := range proxyHeaders {
		if r.Header.Get(h) != "" {
			return h
		}
	}
	return ""
}

func warn(app core.App, out io.Writer, ip, header string) {
	suggested := header
	if suggested == "" {
		suggested = proxyHeaders[0]
	}
	app.Logger().Warn(fmt.Sprintf("Requests arrive from %s with no trusted proxy header set: behind a reverse proxy, set %s (%s=%s).",
		ip, settingPath, settingEnv, suggested),
		"remoteIP", ip, "proxyHeader", header)
	if !app.IsDev() { // in dev mode the logger prints to the terminal itself
		fmt.Fprint(out, message(ip, header))
	}
}

// message is the terminal's warning about requests from ip (a loopback or
// private address) with no trusted proxy header set; header is the client
// address header the request carried, or "".
func message(ip, header string) string {
	seen := "usually " + proxyHeaders[0]
	suggested := proxyHeaders[0]
	if header != "" {
		seen, suggested = "this request has "+header, header
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n(!) Requests arrive from %s and no trusted proxy header is set.\n", ip)
	b.WriteString("    Behind a reverse proxy every client has the proxy's address: the per-IP rate limits\n")
	b.WriteString("    (such as 10 logins a minute) are shared by all of them, and every referral between\n")
	b.WriteString("    them is held as \"same IP as the referrer\". Trust the header your proxy sets\n")
	fmt.Fprintf(&b, "    (%s) in %s,\n", seen, settingPath)
	fmt.Fprintf(&b, "    or with %s=%s.\n", settingEnv, suggested)
	if addr, err := netip.ParseAddr(ip); err == nil && addr.Unmap().IsLoopback() {
		b.WriteString("    Trying the app on this machine? LINKBASE_LOCAL_TRIAL=1 lets referrals between\n")
		b.WriteString("    sign-ups from here complete (README: \"Trying referrals on one machine\").\n\n")
	} else {
		b.WriteString("    Clients that connect directly from a private network need nothing.\n\n")
	}
	return b.String()
}
