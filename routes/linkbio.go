package routes

import (
	"os"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"linkbase/linkbio"
	pbpublic "linkbase/pb_public"
)

// siteStoreKey is where an app keeps its link-in-bio state, so that tests
// (and an admin command) can reach the counters and the clock of that app.
const siteStoreKey = "linkbase.linkbio.site"

// defaultFlushInterval is how often buffered views and clicks are written;
// LINKBASE_COUNTER_FLUSH_INTERVAL (a Go duration, e.g. "30s") overrides it.
const defaultFlushInterval = 10 * time.Second

// site is the link-in-bio state of one app: the profile cache, the buffer
// of views and clicks, the clock and the static handler that single-segment
// paths which are not profiles fall through to.
type site struct {
	app     core.App
	cache   *profileCache
	targets *clickCache // of GET /l/{id}
	counter *linkbio.Counter
	static  func(*core.RequestEvent) error // pb_public, as main's GET /{path...} serves it

	clockMu sync.RWMutex
	clock   func() time.Time

	flushEvery time.Duration
	startOnce  sync.Once
	stopOnce   sync.Once
	stop, done chan struct{}
}

func newSite(app core.App) *site {
	every := defaultFlushInterval
	if d, err := time.ParseDuration(os.Getenv("LINKBASE_COUNTER_FLUSH_INTERVAL")); err == nil && d > 0 {
		every = d
	}
	return &site{
		app:        app,
		cache:      newProfileCache(1000),
		targets:    newClickCache(),
		counter:    linkbio.NewCounter(),
		static:     apis.Static(pbpublic.FS(), false),
		clock:      time.Now,
		flushEvery: every,
		stop:       make(chan struct{}),
		done:       make(chan struct{}),
	}
}

func (s *site) now() time.Time {
	s.clockMu.RLock()
	defer s.clockMu.RUnlock()
	return s.clock()
}

// registerLinkbio binds the link-in-bio state's life cycle to app: cache
// invalidation after every profile or link write, the flush ticker while
// serving, and a last flush on shutdown.
func registerLinkbio(app core.App) *site {
	s := newSite(app)
	app.Store().Set(siteStoreKey, s)
	bindCacheInvalidation(app, s.cache)
	bindClickCacheInvalidation(app, s.targets)

	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		s.startOnce.Do(func() { go s.flushLoop() })
		return e.Next()
	})
	app.OnTerminate().Bind(&hook.Handler[*core.TerminateEvent]{
		Id: "linkbaseFlushCounters",
		Func: func(e *core.TerminateEvent) error {
			s.stopFlushLoop()
			if err := s.flush(); err != nil {
				e.App.Logger().Error("flushing counters on shutdown", "error", err)
			}
			return e.Next()
		},
		// After PocketBase's graceful HTTP shutdown (-9999), so in-flight
		// requests are counted, and before the app closes its database.
		Priority: -1000,
	})
	return s
}

func (s *site) flushLoop() {
	defer close(s.done)
	ticker := time.NewTicker(s.flushEvery)
	defer ticker.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-ticker.C:
			if err := s.flush(); err != nil {
				s.app.Logger().Error("flushing counters", "error", err)
			}
		}
	}
}

// stopFlushLoop stops the ticker and waits for a flush in progress, so the
// final flush on shutdown is the last one.
func (s *site) stopFlushLoop() {
	s.stopOnce.Do(func() {
		close(s.stop)
		s.startOnce.Do(func() { close(s.done) }) // never started: nothing to wait for
		<-s.done
	})
}

func siteOf(app core.App) *site {
	s, _ := app.Store().Get(siteStoreKey).(*site)
	return s
}

// FlushCounters writes the buffered views and clicks of app now. The app
// does this on a ticker and on shutdown; tests and tools call it directly.
func FlushCounters(app core.App) error {
	if s := siteOf(app); s != nil {
		return s.flush()
	}
	return nil
}

// SetClock replaces the clock that link schedules, view and click days and
// analytics ranges are read from. For tests.
func SetClock(app core.App, now func() time.Time) {
	if s := siteOf(app); s != nil {
		s.clockMu.Lock()
		s.clock = now
		s.clockMu.Unlock()
		s.cache.invalidateAll()
	}
}
