package stores

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/state"
)

// RuleLimits enforce PocketBase's rate-limit rules (Settings → Application)
// in Redis, so that a rule holds across the nodes of a cluster: a
// limiter per rule, built on first use. PocketBase's own limiter counts
// per process; behind a balancer that lets each client N times the rule.
// Nil when Redis is not set: then PocketBase's limiter alone applies.
type RuleLimits struct {
	s  *Set
	mu sync.Mutex
	by map[string]state.Limiter // rule (label, audience, limit, window) -> limiter
}

// Allow records an action of client under rule and reports whether it is
// allowed, and if not, how long the client must wait.
func (r *RuleLimits) Allow(ctx context.Context, rule core.RateLimitRule, client string) (bool, time.Duration, error) {
	l := r.limiter(rule)
	ok, err := l.Allow(ctx, client)
	if err != nil || ok {
		return ok, 0, err
	}
	wait, err := l.RetryAfter(ctx, client)
	return false, wait, err
}

func (r *RuleLimits) limiter(rule core.RateLimitRule) state.Limiter {
	key := rule.Label + "|" + rule.Audience + "|" + strconv.Itoa(rule.MaxRequests) + "/" + strconv.FormatInt(rule.Duration, 10)
	r.mu.Lock()
	defer r.mu.Unlock()
	l, ok := r.by[key]
	if !ok {
		l = r.s.Limiter("rule:"+key, rule.MaxRequests, time.Duration(rule.Duration)*time.Second)
		r.by[key] = l
	}
	return l
}
