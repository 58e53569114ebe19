package stores

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"linkbase/state"
)

// shutdownTimeout is the shutdown deadline: how long terminate waits, from
// the signal, for every buffer's final flush (retried while the database
// is busy, e.g. another process holds the write lock) and for the mails in
// flight. An attempt under way at the deadline may still wait out the
// busy timeout (shutdownBusyTimeout); a supervisor should allow about 30 s
// before SIGKILL (compose.yaml's stop_grace_period), which also leaves room
// for the HTTP server to drain.
const shutdownTimeout = 15 * time.Second

// shutdownBusyTimeout is how long each final-flush attempt waits for a
// write lock another process holds. Every write goes through PocketBase's
// one writer connection, so with SQLite's usual 10 s one buffer's attempt
// would keep the others from trying at all before the deadline (issue
// 13's notices and webhook worker made four buffers); at 1 s they take
// turns, and each is written soon after the lock is released.
const shutdownBusyTimeout = time.Second

// terminatePriority runs the final flushes after PocketBase's graceful HTTP
// shutdown (-9999), so that requests in flight are counted, and before the
// app closes its database.
const terminatePriority = -1000

// bindLifecycle is the one lifecycle of every buffer: its flusher starts
// when the app serves; when the app terminates, every flusher stops and
// flushes a last time, all at once and each retrying until the one
// deadline, while the mails in flight drain within it too.
func bindLifecycle(app core.App, flushers []*state.Flusher, drainMail func(context.Context) error) {
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		for _, f := range flushers {
			f.Start()
		}
		return e.Next()
	})
	app.OnTerminate().Bind(&hook.Handler[*core.TerminateEvent]{
		Func: func(e *core.TerminateEvent) error {
			ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
			defer cancel()
			if e.App.IsBootstrapped() { // not after a command that never opened the database
				busy := fmt.Sprintf("PRAGMA busy_timeout = %d", shutdownBusyTimeout.Milliseconds())
				if _, err := e.App.NonconcurrentDB().NewQuery(busy).Execute(); err != nil {
					e.App.Logger().Warn("Shortening the busy timeout for the final flushes", "error", err)
				}
			}
			var wg sync.WaitGroup
			for _, f := range flushers {
				wg.Go(func() {
					if err := f.Stop(ctx); err != nil {
						e.App.Logger().Error("Counts lost at shutdown: the final flush failed until the deadline",
							"buffer", f.Stats().Name, "pending", f.Stats().Pending, "error", err)
					}
				})
			}
			wg.Go(func() {
				if err := drainMail(ctx); err != nil {
					e.App.Logger().Error("Mails in flight at shutdown", "error", err)
				}
			})
			wg.Wait()
			return e.Next()
		},
		Priority: terminatePriority,
	})
}
