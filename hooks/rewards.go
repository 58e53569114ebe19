package hooks

import (
	"database/sql"
	"errors"
	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/refstore"
	"linkbase/schema"
	"linkbase/stores"
	"linkbase/webhook"
	"linkbase/webhookstore"
)

// bindRewards keeps the rewards ledger append-only: a row adds its amount
// to its user's credits in the transaction that inserts it, whoever inserts
// it (a referral, an admin's manual reward or reversal in the dashboard),
// so credits always equal the sum of the ledger; a referral or milestone
// reward also counts in the user's rollups, and every row is a
// reward.granted webhook message.
func bindRewards(app core.App, s *stores.Set) {
	app.OnRecordCreate(schema.Rewards).BindFunc(func(e *core.RecordEvent) error { return onRewardCreate(e, s) })
	app.OnRecordUpdate(schema.Rewards).BindFunc(onRewardUpdate)
	app.OnRecordDelete(schema.Rewards).BindFunc(onRewardDelete)
	invalidate := func(e *core.RecordEvent) error {
		s.Referrals.InvalidateStats(e.Record.GetString(schema.RewardUser))
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess(schema.Rewards).BindFunc(invalidate)
}

var (
	errLedgerAppendOnly = validation.NewError("ledger_append_only", "Rewards cannot be changed or deleted; add a reversal instead.")
	errCreditsNegative  = validation.NewError("credits_negative", "This would take the user's credits below zero.")
)

func onRewardCreate(e *core.RecordEvent, s *stores.Set) error {
	return runInTx(e, func(tx core.App) error {
		userID := e.Record.GetString(schema.RewardUser)
		amount := e.Record.GetInt(schema.RewardAmount)
		var credits int
		err := tx.DB().NewQuery("SELECT [[credits]] FROM {{users}} WHERE [[id]] = {:u}").Bind(dbx.Params{"u": userID}).Row(&credits)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			// A missing user is left to the relation field's validation.
		case err != nil:
			return err // never skip the check on a failed read
		case credits+amount < 0:
			return validation.Errors{schema.RewardAmount: errCreditsNegative}
		}
		if err := e.Next(); err != nil {
			return err
		}
		_, err = tx.DB().NewQuery("UPDATE {{users}} SET [[credits]] = [[credits]] + {:n} WHERE [[id]] = {:u}").
			Bind(dbx.Params{"n": amount, "u": userID}).Execute()
		if err != nil {
			return err
		}
		if kind := e.Record.GetString(schema.RewardKind); kind == schema.RewardKindReferral || kind == schema.RewardKindMilestone {
			if err := refstore.AddCreditsEarned(tx, userID, amount); err != nil {
				return err
			}
		}
		return s.Webhooks.Enqueue(tx, webhook.RewardGranted, webhookstore.RewardData(e.Record))
	})
}

// onRewardUpdate allows only what PocketBase itself does when a referral is
// deleted: emptying the row's referral relation.
func onRewardUpdate(e *core.RecordEvent) error {
	orig, err := storedRecord(e.App, e.Record)
	if err != nil {
		return err
	}
	for _, f := range []string{schema.RewardUser, schema.RewardKind, schema.RewardAmount, schema.RewardReason, "created"} {
		if e.Record.GetString(f) != orig.GetString(f) {
			return validation.Errors{f: errLedgerAppendOnly}
		}
	}
	if ref := e.Record.GetString(schema.RewardReferral); ref != "" && ref != orig.GetString(schema.RewardReferral) {
		return validation.Errors{schema.RewardReferral: errLedgerAppendOnly}
	}
	return e.Next()
}

// onRewardDelete allows only the cascade of a deleted user, whose
// balance goes with them.
func onRewardDelete(e *core.RecordEvent) error {
	exists, err := recordExists(e.App, schema.Users, e.Record.GetString(schema.RewardUser))
	if err != nil {
		return err
	}
	if exists {
		return validation.Errors{schema.RewardAmount: errLedgerAppendOnly}
	}
	return e.Next()
}
