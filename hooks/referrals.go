package hooks

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"linkbase/refstore"
	"linkbase/schema"
	"linkbase/stores"
	"linkbase/webhook"
	"linkbase/webhookstore"
)

var (
	errStatusFinal   = validation.NewError("status_final", "A successful referral is final; add a reversal in rewards instead.")
	errReferralFixed = validation.NewError("referral_fixed", "The referrer and the referred user of a referral cannot be changed.")
)

// bindReferrals binds the referral lifecycle, the rewards, rollups and
// webhook messages it writes, and the expiry and review-window job.
func bindReferrals(app core.App, s *stores.Set) {
	refs := s.Referrals
	write := func(e *core.RecordEvent) error { return onReferralWrite(e, s) }
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
		now := s.Clock()
		if n, err := refs.ExpirePending(app, now); err != nil {
			app.Logger().Error("expiring referrals", "error", err, "expired", n)
		}
		if n, err := refs.DecideOverdue(app, now); err != nil {
			app.Logger().Error("deciding overdue reviews", "error", err, "decided", n)
		}
	})
}

// referralEvents are the webhook events of the statuses a referral can
// change to.
var referralEvents = map[string]string{
	schema.StatusSuccessful: webhook.ReferralSuccessful,
	schema.StatusRejected:   webhook.ReferralRejected,
	schema.StatusExpired:    webhook.ReferralExpired,
}

// onReferralWrite applies a status change and, in the same transaction,
// keeps the referrer's rollups in step, counts a new referral's sign-up as
// a visit, writes the webhook messages of the change and, when a referral
// turns successful, grants its rewards. A successful referral never
// changes status again, so its rewards are granted once; the ledger's
// unique (referral, kind) index makes that hold even if this hook were
// bypassed. The referrer hears of a success by mail once it commits.
func onReferralWrite(e *core.RecordEvent, s *stores.Set) error {
	return runInTx(e, func(tx core.App) error {
		status := e.Record.GetString(schema.ReferralStatus)
		isNew := e.Record.IsNew()
		var stored *core.Record
		was := ""
		if !isNew {
			var err error
			if stored, err = storedRecord(tx, e.Record); err != nil {
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
			at, err := types.ParseDateTime(s.Clock())
			if err != nil {
				return err
			}
			e.Record.Set(schema.ReferralCompletedAt, at)
		}
		if err := e.Next(); err != nil {
			return err
		}

		if err := refstore.ApplyReferralChange(tx, stored, e.Record); err != nil {
			return err
		}
		if isNew {
			visitor, err := signupVisitor(tx, e.Record)
			if err != nil {
				return err
			}
			if err := refstore.ClaimVisit(tx, e.Record, visitor); err != nil {
				return err
			}
			if err := s.Webhooks.Enqueue(tx, webhook.ReferralCreated, webhookstore.ReferralData(e.Record)); err != nil {
				return err
			}
		}
		if event, ok := referralEvents[status]; ok && status != was {
			if err := s.Webhooks.Enqueue(tx, event, webhookstore.ReferralData(e.Record)); err != nil {
				return err
			}
		}
		if status == schema.StatusSuccessful && was != schema.StatusSuccessful {
			referrer := e.Record.GetString(schema.ReferralReferrer)
			afterCommit(tx, func() { s.Referrals.NoteSuccess(referrer) })
			return grantReferralReward(tx, s.Referrals, e.Record)
		}
		return nil
	})
}

// signupVisitor is the visit key the referred user's sign-up recorded, ""
// when unknown (a referral made in the dashboard, an account made before).
// A failed read fails the write rather than pass for "unknown", which
// would leave the visit unclaimed.
func signupVisitor(tx core.App, ref *core.Record) (string, error) {
	var visitor string
	err := tx.DB().NewQuery("SELECT [[signup_visitor]] FROM {{users}} WHERE [[id]] = {:u}").
		Bind(dbx.Params{"u": ref.GetString(schema.ReferralReferredUser)}).Row(&visitor)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return visitor, err
}

// onReferralDelete keeps successful referrals, which the ledger and the
// milestones count on, unless their referrer is gone (the cascade), and
// takes a deleted referral out of the rollups.
func onReferralDelete(e *core.RecordEvent) error {
	return runInTx(e, func(tx core.App) error {
		stored, err := storedRecord(tx, e.Record)
		if err != nil {
			return err
		}
		if stored.GetString(schema.ReferralStatus) == schema.StatusSuccessful {
			exists, err := recordExists(tx, schema.Users, stored.GetString(schema.ReferralReferrer))
			if err != nil {
				return err
			}
			if exists {
				return validation.Errors{schema.ReferralStatus: errStatusFinal}
			}
		}
		if err := e.Next(); err != nil {
			return err
		}
		return refstore.ApplyReferralChange(tx, stored, nil)
	})
}

// grantReferralReward writes the ledger rows earned by a referral that has
// just turned successful (its own hook adds them to the balances and the
// rollups), reading the referrer's successful count and earned credits
// from the rollups, which already count this referral.
func grantReferralReward(tx core.App, refs *refstore.Store, ref *core.Record) error {
	rules, err := refs.Rules()
	if err != nil {
		return err
	}
	referrerID := ref.GetString(schema.ReferralReferrer)
	totals, err := refstore.ReadTotals(tx, referrerID)
	if err != nil {
		return err
	}
	successful := totals.Successful
	g := rules.GrantFor(successful, totals.CreditsEarned)
	if err := addReward(tx, referrerID, ref.Id, schema.RewardKindReferral, g.Referral, "Successful referral."); err != nil {
		return err
	}
	if err := addReward(tx, referrerID, ref.Id, schema.RewardKindMilestone, g.Milestone,
		fmt.Sprintf("Milestone: %d successful referrals.", successful)); err != nil {
		return err
	}
	if m := rules.NextMilestone(successful - 1); m != nil && m.Successful == successful {
		afterCommit(tx, func() { refs.NoteMilestone(referrerID, successful, g.Milestone) })
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
