// Package hooks binds the rules that must hold for every write, however it
// arrives (custom route, collection API, dashboard, tests), to PocketBase's
// model events: one file per collection, each binding all of that
// collection's model and request hooks, and its cache invalidation after
// commits.
package hooks

import (
	"errors"
	"fmt"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/stores"
)

// Register binds every Linkbase hook to app, using the stores of s.
//
// The order of the calls follows the data model. No binding depends on
// another file's: where two rules share an event of one collection they
// are one handler, in that collection's file, and run in the order written
// there (users: normalise, then the referral checks; validate: our rules,
// then PocketBase's field validation, reported together). Across
// collections PocketBase runs each record's own hooks, so a user's sign-up
// runs the users hooks, then the referrals hooks of the referral it saves,
// then (on success) the rewards hooks.
func Register(app core.App, s *stores.Set) {
	bindSettings(app, s)         // start-up overrides from the environment; the mail outbox
	bindUsers(app, s)            // identity, referral codes, sign-up referral, verification, back-off
	bindReferrals(app, s)        // lifecycle, rewards on success, expiry job
	bindRewards(app, s)          // the append-only ledger and the credits it sums to
	bindReferralSettings(app, s) // the single rules row
	bindLinks(app, s)            // link rules and the per-user limit
	bindWebhooks(app, s)         // webhook targets and secrets
	bindFiles(app)               // uploads of every collection: no decompression bombs
	bindBatch(app)               // no passwords in PocketBase's batch API
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

// afterCommit runs fn once the transaction of tx has committed, and never
// after a rollback (at once when tx is no transaction): for what must not
// happen unless the write stands, such as noting a mail.
func afterCommit(tx core.App, fn func()) {
	info := tx.TxInfo()
	if info == nil {
		fn()
		return
	}
	info.OnComplete(func(txErr error) error {
		if txErr == nil {
			fn()
		}
		return nil
	})
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

// storedRecord is the committed state of a record being updated. A
// record's Original() is only as old as its last load, so comparing with
// it would miss changes made by earlier saves of the same object.
func storedRecord(tx core.App, r *core.Record) (*core.Record, error) {
	id, _ := r.LastSavedPK().(string)
	if id == "" {
		id = r.Id
	}
	return tx.FindRecordById(r.Collection(), id)
}

func recordExists(app core.App, collection, id string) (bool, error) {
	if id == "" {
		return false, nil
	}
	n, err := app.CountRecords(collection, dbx.HashExp{"id": id})
	if err != nil {
		return false, fmt.Errorf("checking a %s record: %w", collection, err)
	}
	return n > 0, nil
}
