package hooks

import (
	"fmt"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"linkbase/refstore"
	"linkbase/schema"
	"linkbase/state"
	"linkbase/stores"
)

var (
	errStatusFinal   = validation.NewError("status_final", "A successful referral is final; add a reversal in rewards instead.")
	errReferralFixed = validation.NewError("referral_fixed", "The referrer and the referred user of a referral cannot be changed.")
)

// bindReferrals binds the referral lifecycle, the rewards it grants and
// the expiry job.
func bindReferrals(app core.App, s *stores.Set) {
	refs := s.Referrals
	write := func(e *core.RecordEvent) error { return onReferralWrite(e, refs, s.Clock) }
	app.OnRecordCreate(schema.Referrals).BindFunc(write)
	app.OnRecordUpdate(schema.Referrals).BindFunc(write)
	app.OnRecordDelete(schema.Referrals).BindFunc(onReferralDelete)

	invalidate := func(e *core.RecordEvent) error {
		refs.InvalidateStats(e.Record.GetString(schema.ReferralReferrer))
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess(schema.Referrals).BindFunc(invalidate)
	app.OnRecordAfterUpdateSuccess(schema.Referrals).BindFunc(invalidate)
	app.OnRecordAfterDeleteSuccess(schema.Referrals).BindFunc(invalidate)

	app.Cron().MustAdd("linkbaseExpireReferrals", "*/10 * * * *", func() {
		if n, err := refs.ExpirePending(app, s.Clock()); err != nil {
			app.Logger().Error("expiring referrals", "error", err, "expired", n)
		}
	})
}

// onReferralWrite applies a status change and, when a referral turns
// successful, grants its rewards in the same transaction. A successful
// referral never changes status again, so its rewards are granted once;
// the ledger's unique (referral, kind) index makes that hold even if this
// hook were bypassed.
func onReferralWrite(e *core.RecordEvent, refs *refstore.Store, clock state.Clock) error {
	return runInTx(e, func(tx core.App) error {
		status := e.Record.GetString(schema.ReferralStatus)
		was := ""
		if !e.Record.IsNew() {
			stored, err := storedRecord(tx, e.Record)
			if err != nil {
				return err
			}
			was = stored.GetString(schema.ReferralStatus)
			// Who referred whom is history; only PocketBase's emptying of
			// a deleted referred user's relation changes it.
			ref := e.Record.GetString(schema.ReferralReferredUser)
			if e.Record.GetString(schema.ReferralReferrer) != stored.GetString(schema.ReferralReferrer) ||
				(ref != "" && ref != stored.GetString(schema.ReferralReferredUser)) {
				return validation.Errors{schema.ReferralReferrer: errReferralFixed}
			}
		}
		if was == schema.StatusSuccessful && status != schema.StatusSuccessful {
			return validation.Errors{schema.ReferralStatus: errStatusFinal}
		}
		if status != was && status != schema.StatusPending && e.Record.GetDateTime(schema.ReferralCompletedAt).IsZero() {
			at, err := types.ParseDateTime(clock())
			if err != nil {
				return err
			}
			e.Record.Set(schema.ReferralCompletedAt, at)
		}
		if err := e.Next(); err != nil {
			return err
		}
		if status == schema.StatusSuccessful && was != schema.StatusSuccessful {
			return grantReferralReward(tx, refs, e.Record)
		}
		return nil
	})
}

// onReferralDelete keeps successful referrals, which the ledger and the
// milestones count on, unless their referrer is gone (the cascade).
func onReferralDelete(e *core.RecordEvent) error {
	if e.Record.GetString(schema.ReferralStatus) == schema.StatusSuccessful {
		exists, err := recordExists(e.App, schema.Users, e.Record.GetString(schema.ReferralReferrer))
		if err != nil {
			return err
		}
		if exists {
			return validation.Errors{schema.ReferralStatus: errStatusFinal}
		}
	}
	return e.Next()
}

// grantReferralReward writes the ledger rows earned by a referral that has
// just turned successful; their own hook adds them to the balances.
func grantReferralReward(tx core.App, refs *refstore.Store, ref *core.Record) error {
	rules, err := refs.Rules()
	if err != nil {
		return err
	}
	referrerID := ref.GetString(schema.ReferralReferrer)
	successful, err := tx.CountRecords(schema.Referrals, dbx.HashExp{
		schema.ReferralReferrer: referrerID, schema.ReferralStatus: schema.StatusSuccessful,
	})
	if err != nil {
		return err
	}
	earned, err := refstore.CreditsEarned(tx, referrerID)
	if err != nil {
		return err
	}
	g := rules.GrantFor(int(successful), earned)
	if err := addReward(tx, referrerID, ref.Id, schema.RewardKindReferral, g.Referral, "Successful referral."); err != nil {
		return err
	}
	if err := addReward(tx, referrerID, ref.Id, schema.RewardKindMilestone, g.Milestone,
		fmt.Sprintf("Milestone: %d successful referrals.", successful)); err != nil {
		return err
	}
	if referred := ref.GetString(schema.ReferralReferredUser); referred != "" {
		return addReward(tx, referred, ref.Id, schema.RewardKindReferred, g.Referred, "Signed up with a referral.")
	}
	return nil
}

func addReward(tx core.App, userID, referralID, kind string, amount int, reason string) error {
	if amount == 0 {
		return nil // the ledger holds no empty rows
	}
	c, err := tx.FindCachedCollectionByNameOrId(schema.Rewards)
	if err != nil {
		return err
	}
	row := core.NewRecord(c)
	row.Set(schema.RewardUser, userID)
	row.Set(schema.RewardReferral, referralID)
	row.Set(schema.RewardKind, kind)
	row.Set(schema.RewardAmount, amount)
	row.Set(schema.RewardReason, reason)
	return tx.Save(row)
}
