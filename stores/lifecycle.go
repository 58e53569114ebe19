package stores

import (
	"context"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"linkbase/state"
)

// shutdownTimeout bounds how long terminate waits for each final flush
// (retried while the database is busy) and for mails in flight.
const shutdownTimeout = 15 * time.Second

// terminatePriority runs the final flushes after PocketBase's graceful HTTP
// shutdown (-9999), so that requests in flight are counted, and before the
// app closes its database.
const terminatePriority = -1000

// bindFlusher is the one lifecycle of every buffer: its flusher starts
// when the app serves and, when the app terminates, stops and flushes a
// last time, retrying until shutdownTimeout.
func bindFlusher(app core.App, f *state.Flusher) {
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		f.Start()
		return e.Next()
	})
	bindShutdown(app, "flushing "+f.Stats().Name+" on shutdown", f.Stop)
}

// bindShutdown runs stop when app terminates, with shutdownTimeout.
func bindShutdown(app core.App, what string, stop func(context.Context) error) {
	app.OnTerminate().Bind(&hook.Handler[*core.TerminateEvent]{
		Func: func(e *core.TerminateEvent) error {
			ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
			defer cancel()
			if err := stop(ctx); err != nil {
				e.App.Logger().Error(what, "error", err)
			}
			return e.Next()
		},
		Priority: terminatePriority,
	})
}
