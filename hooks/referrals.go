package hooks

import (
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"linkbase/referral"
	"linkbase/refstore"
	"linkbase/schema"
)

// registerReferrals binds the whole referral program: lifecycle, ledger,
// user-side rules, the settings row and the background jobs.
func registerReferrals(app core.App) {
	app.OnRecordCreate(schema.Referrals).BindFunc(onReferralWrite)
	app.OnRecordUpdate(schema.Referrals).BindFunc(onReferralWrite)
	app.OnRecordDelete(schema.Referrals).BindFunc(onReferralDelete)
	app.OnRecordAfterCreateSuccess(schema.Referrals).BindFunc(invalidateReferralStats)
	app.OnRecordAfterUpdateSuccess(schema.Referrals).BindFunc(invalidateReferralStats)
	app.OnRecordAfterDeleteSuccess(schema.Referrals).BindFunc(invalidateReferralStats)
	registerRewards(app)
	registerReferralUsers(app)
	registerReferralSettings(app)
	registerReferralJobs(app)
}

var (
	errStatusFinal   = validation.NewError("status_final", "A successful referral is final; add a reversal in rewards instead.")
	errReferralFixed = validation.NewError("referral_fixed", "The referrer and the referred user of a referral cannot be changed.")
)

// onReferralWrite applies a status change and, when a referral turns
// successful, grants its rewards in the same transaction. A successful
// referral never changes status again, so its rewards are granted once;
// the ledger's unique (referral, kind) index makes that hold even if this
// hook were bypassed.
func onReferralWrite(e *core.RecordEvent) error {
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
			e.Record.Set(schema.ReferralCompletedAt, types.NowDateTime())
		}
		if err := e.Next(); err != nil {
			return err
		}
		if status == schema.StatusSuccessful && was != schema.StatusSuccessful {
			return grantReferralReward(tx, e.Record)
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

func invalidateReferralStats(e *core.RecordEvent) error {
	refstore.InvalidateStats(e.App, e.Record.GetString(schema.ReferralReferrer))
	return e.Next()
}

// grantReferralReward writes the ledger rows earned by a referral that has
// just turned successful; their own hook adds them to the balances.
func grantReferralReward(tx core.App, ref *core.Record) error {
	rules, err := refstore.Rules(tx)
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
	var earned int
	err = tx.DB().NewQuery("SELECT COALESCE(SUM([[amount]]), 0) FROM {{rewards}} WHERE [[user]] = {:u} AND [[kind]] IN ({:k1}, {:k2})").
		Bind(dbx.Params{"u": referrerID, "k1": schema.RewardKindReferral, "k2": schema.RewardKindMilestone}).Row(&earned)
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

// referralSignals gathers the fraud signals of a referred sign-up.
func referralSignals(tx core.App, rules referral.Rules, referrer, user *core.Record, now time.Time) (referral.SignUp, error) {
	s := referral.SignUp{Email: user.Email(), IPHash: user.GetString(schema.UserSignupIPHash)}
	since := now.Add(-rules.IPWindow)
	if referrer.GetDateTime("created").Time().After(since) {
		s.ReferrerIPHashes = append(s.ReferrerIPHashes, referrer.GetString(schema.UserSignupIPHash))
	}
	if referrer.GetDateTime(schema.UserLoginAt).Time().After(since) {
		s.ReferrerIPHashes = append(s.ReferrerIPHashes, referrer.GetString(schema.UserLoginIPHash))
	}
	if rules.BurstLimit > 0 {
		from, err := types.ParseDateTime(now.Add(-rules.BurstWindow))
		if err != nil {
			return s, err
		}
		n, err := tx.CountRecords(schema.Referrals, dbx.HashExp{schema.ReferralReferrer: referrer.Id},
			dbx.NewExp("[[created]] >= {:from}", dbx.Params{"from": from.String()}))
		if err != nil {
			return s, err
		}
		s.RecentOnCode = int(n)
	}
	return s, nil
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
