// Package hooks binds the rules that must hold for every write, however it
// arrives (custom route, collection API, dashboard, tests), to PocketBase's
// model events.
package hooks

import (
	"errors"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
)

// Register binds every Linkbase hook to app.
func Register(app core.App) {
	registerSettings(app)
	registerUsers(app)
	registerOutbox(app)
	registerReferrals(app)
	registerProfile(app)
	registerLinks(app)
	registerReferralLists(app)
	registerPasswordCost(app)
}

// runInTx runs fn in a transaction with e.App set to the transaction's
// app, so the rest of the chain (e.Next) writes inside it, and puts the
// original app back before returning, as PocketBase's own hooks do
// (core/record_model_superusers.go). PocketBase runs the after-success
// hooks and the realtime broadcast with e.App once the transaction has
// committed: left on the finished transaction, every read there fails
// ("transaction has already been committed") and subscribers never hear
// of the write.
func runInTx(e *core.RecordEvent, fn func(tx core.App) error) error {
	original := e.App
	err := original.RunInTransaction(func(tx core.App) error {
		e.App = tx
		return fn(tx)
	})
	e.App = original
	return err
}

// mergeFieldErrors reports our field errors together with PocketBase's
// (next), so a client sees every bad field at once; PocketBase's own error
// wins for a field both found wrong.
func mergeFieldErrors(ours validation.Errors, next error) error {
	var theirs validation.Errors
	if errors.As(next, &theirs) {
		for name, fe := range ours {
			if _, ok := theirs[name]; !ok {
				theirs[name] = fe
			}
		}
		return theirs
	}
	if next != nil {
		return next
	}
	if len(ours) > 0 {
		return ours
	}
	return nil
}
