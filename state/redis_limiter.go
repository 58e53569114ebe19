package state

import (
	"context"
	"crypto/rand"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisLimiter is the Limiter every node of a cluster shares: a key's
// actions are a sorted set in Redis (scored by time), trimmed to the
// window, counted and added to by one Lua script, which Redis runs
// atomically: of many concurrent calls from any nodes for a key with one
// action left, exactly one is allowed. The sliding window is the
// MemoryLimiter's, so one node and many enforce the same rule. The time is
// the calling node's clock (nodes keep theirs in sync, as TLS and tokens
// need anyway). A key's set expires with its window, so Redis holds only
// the keys that acted within one.
type RedisLimiter struct {
	rdb    redis.UniversalClient
	prefix string
	limit  int
	window time.Duration
	clock  Clock
}

var _ Limiter = (*RedisLimiter)(nil)

// NewRedisLimiter returns a limiter of limit actions per window per key,
// keeping its keys under "linkbase:limit:<name>:" in rdb.
func NewRedisLimiter(rdb redis.UniversalClient, name string, limit int, window time.Duration, clock Clock) *RedisLimiter {
	return &RedisLimiter{rdb: rdb, prefix: "linkbase:limit:" + name + ":", limit: max(limit, 1), window: window, clock: clock}
}

// allowScript: ARGV now (ms), window (ms), limit, a unique member.
var allowScript = redis.NewScript(`
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= limit then return 0 end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], window)
return 1
`)

// retryScript: ARGV now (ms), window (ms), limit; the milliseconds until
// the oldest action leaves the window, 0 when the key may act.
var retryScript = redis.NewScript(`
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < limit then return 0 end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return tonumber(oldest[2]) + window - now
`)

func (l *RedisLimiter) args() (now, window int64) {
	return l.clock().UnixMilli(), l.window.Milliseconds()
}

// Allow implements Limiter.
func (l *RedisLimiter) Allow(ctx context.Context, key string) (bool, error) {
	now, window := l.args()
	n, err := allowScript.Run(ctx, l.rdb, []string{l.prefix + key}, now, window, l.limit, rand.Text()).Int()
	return n == 1, err
}

// RetryAfter implements Limiter.
func (l *RedisLimiter) RetryAfter(ctx context.Context, key string) (time.Duration, error) {
	now, window := l.args()
	ms, err := retryScript.Run(ctx, l.rdb, []string{l.prefix + key}, now, window, l.limit).Int64()
	if err != nil {
		return 0, err
	}
	return time.Duration(ms) * time.Millisecond, nil
}

// Forget implements Limiter.
func (l *RedisLimiter) Forget(ctx context.Context, key string) error {
	return l.rdb.Del(ctx, l.prefix+key).Err()
}

// FailoverLimiter asks a shared limiter and, when it cannot answer (Redis
// down or slow), the node's own instead, reporting the failure: the limits
// then hold per node until the shared store is back. Neither open (no
// limit at all while Redis is down, which an attacker could arrange) nor
// closed (every login refused because a cache server died). After a
// failure the shared limiter is left alone for FailoverPause, so that a
// dead Redis costs each request nothing, not a timeout.
type FailoverLimiter struct {
	shared, local Limiter
	onError       func(error)
	retryAt       atomic.Int64 // unix nanoseconds (wall clock) before which shared is not asked
}

// FailoverPause is how long a FailoverLimiter answers from the node's own
// limiter after the shared one failed.
const FailoverPause = 5 * time.Second

var _ Limiter = (*FailoverLimiter)(nil)

// NewFailoverLimiter returns shared backed by local; onError hears of each
// failure of shared.
func NewFailoverLimiter(shared, local Limiter, onError func(error)) *FailoverLimiter {
	return &FailoverLimiter{shared: shared, local: local, onError: onError}
}

func (l *FailoverLimiter) paused() bool { return time.Now().UnixNano() < l.retryAt.Load() }

func (l *FailoverLimiter) failed(err error) {
	l.retryAt.Store(time.Now().Add(FailoverPause).UnixNano())
	l.onError(err)
}

// Allow implements Limiter. The local limiter counts every action too, so
// that it knows the recent past the day the shared one fails.
func (l *FailoverLimiter) Allow(ctx context.Context, key string) (bool, error) {
	localOK, _ := l.local.Allow(ctx, key)
	if l.paused() {
		return localOK, nil
	}
	ok, err := l.shared.Allow(ctx, key)
	if err != nil {
		l.failed(err)
		return localOK, nil
	}
	return ok, nil
}

// RetryAfter implements Limiter.
func (l *FailoverLimiter) RetryAfter(ctx context.Context, key string) (time.Duration, error) {
	if !l.paused() {
		d, err := l.shared.RetryAfter(ctx, key)
		if err == nil {
			return d, nil
		}
		l.failed(err)
	}
	return l.local.RetryAfter(ctx, key)
}

// Forget implements Limiter: both forget key.
func (l *FailoverLimiter) Forget(ctx context.Context, key string) error {
	_ = l.local.Forget(ctx, key)
	if l.paused() {
		return nil
	}
	if err := l.shared.Forget(ctx, key); err != nil {
		l.failed(err)
	}
	return nil
}
