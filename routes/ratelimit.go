package routes

import (
	"errors"
	"math"
	"net/netip"
	"strconv"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"linkbase/handoff"
)

// vouchLimited is what a node that counted a request's rate limit vouches
// when it forwards the request (handoff.Forward): the primary does not
// count it again.
const vouchLimited = "limited"

// sharedRateLimit enforces PocketBase's rate-limit rules in Redis
// (stores.RuleLimits), so that each holds across every node: behind a
// balancer PocketBase's own per-process limiter lets a client N times a
// rule. It runs just before PocketBase's limiter, which stays (its
// per-process count never exceeds the shared one, and it alone knows the
// collection rules, such as users:auth, whose requests all reach the
// primary anyway); a rule here is one of the router's labels ("POST
// /api/login", "/api/"), as PocketBase matches them. Only with Redis.
func (srv *server) sharedRateLimit() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id:       "linkbaseSharedRateLimit",
		Priority: apis.DefaultRateLimitMiddlewarePriority - 1,
		Func: func(e *core.RequestEvent) error {
			limits := e.App.Settings().RateLimits
			if !limits.Enabled || e.HasSuperuserAuth() || inList(limits.ExcludedIPs, e.RealIP()) {
				return e.Next()
			}
			if _, ok := handoff.Vouched(e, vouchLimited); ok {
				return e.Next()
			}
			audience := []string{core.RateLimitRuleAudienceAll, core.RateLimitRuleAudienceGuest}
			if e.Auth != nil {
				audience[1] = core.RateLimitRuleAudienceAuth
			}
			labels := []string{e.Request.Method + " " + e.Request.URL.Path, e.Request.URL.Path}
			rule, ok := limits.FindRateLimitRule(labels, audience...)
			if !ok {
				return e.Next()
			}
			allowed, wait, err := srv.RateLimits.Allow(e.Request.Context(), rule, e.RealIP())
			if err != nil || allowed { // err: Redis and the node's own limiter both failed
				return e.Next()
			}
			e.Response.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(wait.Seconds())))))
			return e.TooManyRequestsError("", errors.New("triggered rate limit rule: "+rule.String()))
		},
	}
}

// inList reports whether ip is one of ipsOrSubnets (PocketBase's excluded
// IPs setting: addresses and CIDR ranges).
func inList(ipsOrSubnets []string, ip string) bool {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	for _, item := range ipsOrSubnets {
		if prefix, err := netip.ParsePrefix(item); err == nil && prefix.Contains(addr) {
			return true
		}
		if a, err := netip.ParseAddr(item); err == nil && a == addr {
			return true
		}
	}
	return false
}
