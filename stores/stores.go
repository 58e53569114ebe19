// Package stores builds, once per app and in one place, every store that
// holds state (caches, buffers, limiters, the clock they read) and binds
// their lifecycle to the app: flushers start with serve and flush a last
// time on terminate. main.go and the tests build a Set and hand it to
// hooks.Register and routes.Register; nothing else builds a store.
package stores

import (
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/accountstore"
	"linkbase/csrf"
	"linkbase/handoff"
	"linkbase/linkstore"
	"linkbase/loginguard"
	"linkbase/mail"
	"linkbase/metrics"
	"linkbase/passkey"
	"linkbase/refstore"
	"linkbase/state"
	"linkbase/webhookstore"
)

// defaultFlushInterval is how often buffered counts (views, clicks,
// referral visits) are written: a crash loses at most about this much
// (API.md: at most the last second; 10 s lost 62,598 clicks to one
// SIGKILL). LINKBASE_COUNTER_FLUSH_INTERVAL (a Go duration, e.g. "5s")
// overrides it.
const defaultFlushInterval = time.Second

// flushIntervalEnv names the variable that overrides defaultFlushInterval.
const flushIntervalEnv = "LINKBASE_COUNTER_FLUSH_INTERVAL"

// defaultHashMaxWait bounds how long a login or sign-up may wait for a
// hashing slot before it is answered 503 at once (API.md, Operations);
// LINKBASE_HASH_MAX_WAIT (a Go duration; 0 never refuses) overrides it.
const defaultHashMaxWait = 10 * time.Second

// hashMaxWaitEnv names the variable that overrides defaultHashMaxWait.
const hashMaxWaitEnv = "LINKBASE_HASH_MAX_WAIT"

// storeKey is where New records the app's Set, so that Of finds it.
const storeKey = "linkbase.stores"

// Options tune a Set; the zero value is production's.
type Options struct {
	// Clock is what every store reads the time from; time.Now when nil.
	Clock state.Clock
	// FlushEvery is the flush interval of every buffer; from the
	// environment, else defaultFlushInterval, when zero.
	FlushEvery time.Duration
	// HashMaxWait bounds the estimated wait for a hashing slot; from the
	// environment, else defaultHashMaxWait, when zero; negative: never
	// refuse.
	HashMaxWait time.Duration
	// WebhooksAllowPrivate lets webhook deliveries reach loopback, private
	// and link-local addresses (tests; also LINKBASE_WEBHOOK_ALLOW_PRIVATE=1).
	WebhooksAllowPrivate bool
	// RedisURL is where the state nodes share lives; from
	// LINKBASE_REDIS_URL when empty. None: every limit is the process's.
	RedisURL string
	// Terminal is the operator's terminal (main.go: stdout, beside the
	// start-up banner): without SMTP, each mail's recipient, subject and
	// link show there on one line. Nothing is printed when nil.
	Terminal io.Writer
}

// Set is every store of one app.
type Set struct {
	Clock     state.Clock
	Passwords *accountstore.Passwords // bcrypt in GOMAXPROCS slots
	Logins    *loginguard.Guard       // the login back-off and device cookies
	CSRF      *csrf.Tokens            // session-bound CSRF tokens under the install's key
	Mail      *mail.Mailer            // mails off the request path, throttled per address
	Referrals *refstore.Store
	Links     *linkstore.Store
	Passkeys  *passkey.Store      // credentials and single-use challenges
	Webhooks  *webhookstore.Store // the outbox and its delivery worker
	// RateLimits hold PocketBase's rate-limit rules across the nodes, in
	// Redis; nil without Redis (PocketBase's limiter alone applies).
	RateLimits *RuleLimits

	started time.Time // when the Set was built, for the flush lag before a first flush
	shared  *shared   // builds the limiters, in Redis when it is set
}

// Limiter returns a limiter of limit actions per window per key, named
// name: in Redis (shared by every node, falling back to this node's own
// while Redis fails) when LINKBASE_REDIS_URL is set, else in memory.
// Build limiters through it, so that a limit holds across a cluster.
func (s *Set) Limiter(name string, limit int, window time.Duration) state.Limiter {
	return s.shared.limiter(name, limit, window)
}

// New builds the stores of app and binds their lifecycle to it. It panics
// if app already has a Set: a second one would split the app's state.
func New(app core.App, opts Options) *Set {
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.FlushEvery <= 0 {
		opts.FlushEvery = flushIntervalFromEnv()
	}
	if opts.HashMaxWait == 0 {
		opts.HashMaxWait = durationFromEnv(hashMaxWaitEnv, defaultHashMaxWait, true)
	}
	if opts.RedisURL == "" {
		opts.RedisURL = redisURLFromEnv()
	}
	if _, exists := app.Store().GetOk(storeKey); exists {
		panic("stores.New: the app already has its stores")
	}
	sh := newShared(app, opts.Clock, opts.RedisURL)
	tokens := csrf.NewTokens(app)
	deviceKey := func() ([]byte, error) { return tokens.Subkey("device-cookie") }
	mailer := mail.New(app, opts.Clock, sh.limiter("mail", 1, mail.ThrottleWindow), opts.Terminal)
	refs := refstore.New(app, opts.Clock, opts.FlushEvery, mailer)
	s := &Set{
		Clock:     opts.Clock,
		Passwords: accountstore.NewPasswords(runtime.GOMAXPROCS(0), max(opts.HashMaxWait, 0)),
		Logins:    loginguard.New(sh.limiter("login_failures", loginguard.MaxFailures, loginguard.Window), deviceKey, opts.Clock),
		CSRF:      tokens,
		Mail:      mailer,
		Referrals: refs,
		Links:     linkstore.New(app, opts.Clock, opts.FlushEvery, refs.Hash), // visitors hashed with the install's salt
		Passkeys:  passkey.New(app, opts.Clock),
		Webhooks:  webhookstore.New(app, opts.Clock, func() bool { return !handoff.IsReplica(app) }, opts.WebhooksAllowPrivate || webhooksAllowPrivateFromEnv()),
		started:   opts.Clock(),
		shared:    sh,
	}
	if sh.rdb != nil {
		s.RateLimits = &RuleLimits{s: s, by: map[string]state.Limiter{}}
	}
	app.Store().Set(storeKey, s)
	metrics.MustRegister(app, newCollector(s))
	bindLifecycle(app, s.Flushers(), s.Mail.Drain)
	return s
}

// Of returns the Set that New built for app, for tests and tools; app code
// is handed its Set by Register.
func Of(app core.App) *Set {
	s, _ := app.Store().Get(storeKey).(*Set)
	return s
}

// Flushers are every buffer's flusher (and the webhook worker), for their
// figures.
func (s *Set) Flushers() []*state.Flusher {
	return slices.Concat(s.Referrals.Flushers(), s.Links.Flushers(), s.Webhooks.Flushers())
}

// CacheStats are the figures of every cache.
func (s *Set) CacheStats() []state.CacheStats {
	return append(s.Referrals.CacheStats(), s.Links.CacheStats()...)
}

// webhooksAllowPrivateEnv names the variable that lets webhook deliveries
// reach internal addresses.
const webhooksAllowPrivateEnv = "LINKBASE_WEBHOOK_ALLOW_PRIVATE"

func webhooksAllowPrivateFromEnv() bool {
	v, _ := strconv.ParseBool(os.Getenv(webhooksAllowPrivateEnv))
	return v
}

func flushIntervalFromEnv() time.Duration {
	return durationFromEnv(flushIntervalEnv, defaultFlushInterval, false)
}

// durationFromEnv reads a Go duration from the variable name: def when it
// is unset, malformed or negative, or zero unless zero is allowed (it then
// comes back as -1, "off", since zero asks for the default in Options).
func durationFromEnv(name string, def time.Duration, zeroAllowed bool) time.Duration {
	d, err := time.ParseDuration(os.Getenv(name))
	switch {
	case err != nil || d < 0:
		return def
	case d == 0 && zeroAllowed:
		return -1
	case d == 0:
		return def
	}
	return d
}
