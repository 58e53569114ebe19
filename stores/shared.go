package stores

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"linkbase/metrics"
	"linkbase/state"
)

// RedisURLEnv names Redis, where the state nodes share lives (limits,
// back-off, throttles): redis://host:port/db. Unset, it lives in each
// process, which is right for one node.
const RedisURLEnv = "LINKBASE_REDIS_URL"

// Redis timeouts: a limiter is asked on the request path, so a slow Redis
// must cost little before the node falls back to its own limits.
const (
	redisDialTimeout = time.Second
	redisIOTimeout   = 500 * time.Millisecond
)

// shared builds the limiters of a Set: in Redis, behind the node's own
// (state.FailoverLimiter), when Redis is configured; else in memory.
type shared struct {
	app      core.App
	clock    state.Clock
	rdb      *redis.Client // nil: one node
	failures prometheus.Counter
	lastLog  atomic.Int64 // unix seconds of the last failure logged
}

// newShared connects to Redis at url ("": none). A bad URL fails the
// start-up, before the app serves.
func newShared(app core.App, clock state.Clock, url string) *shared {
	sh := &shared{app: app, clock: clock, failures: prometheus.NewCounter(prometheus.CounterOpts{
		Name: "linkbase_shared_state_failures_total",
		Help: "Calls to Redis (shared limits, back-off, throttles) that failed; the node's own limits answered instead.",
	})}
	metrics.MustRegister(app, sh.failures)
	if url == "" {
		return sh
	}
	opts, err := redis.ParseURL(url)
	if err != nil {
		app.OnBootstrap().BindFunc(func(*core.BootstrapEvent) error {
			return fmt.Errorf("%s: %w", RedisURLEnv, err)
		})
		return sh
	}
	opts.DialTimeout, opts.ReadTimeout, opts.WriteTimeout = redisDialTimeout, redisIOTimeout, redisIOTimeout
	sh.rdb = redis.NewClient(opts)
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		ctx, cancel := context.WithTimeout(context.Background(), 2*redisDialTimeout)
		defer cancel()
		if err := sh.rdb.Ping(ctx).Err(); err != nil {
			sh.failed(err)
		} else {
			app.Logger().Info("Redis answers: limits, back-off and throttles are shared by the nodes", "addr", opts.Addr)
		}
		return e.Next()
	})
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		_ = sh.rdb.Close()
		return e.Next()
	})
	return sh
}

func redisURLFromEnv() string { return os.Getenv(RedisURLEnv) }

// limiter is a limiter of limit actions per window per key, named name
// (its keys' prefix in Redis), shared by the nodes when Redis is set.
func (sh *shared) limiter(name string, limit int, window time.Duration) state.Limiter {
	local := state.NewMemoryLimiter(limit, window, sh.clock)
	if sh.rdb == nil {
		return local
	}
	return state.NewFailoverLimiter(state.NewRedisLimiter(sh.rdb, name, limit, window, sh.clock), local, sh.failed)
}

// failed counts a failure of Redis and logs it, at most every 10 s.
func (sh *shared) failed(err error) {
	sh.failures.Inc()
	now := time.Now().Unix()
	if last := sh.lastLog.Load(); now-last >= 10 && sh.lastLog.CompareAndSwap(last, now) {
		sh.app.Logger().Error("Redis failed: limits hold per node until it is back", "error", err)
	}
}
