package hooks

import (
	"database/sql"
	"errors"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/refstore"
	"linkbase/schema"
)

// reasonReferredDeleted is the review reason of a pending referral whose
// referred user deleted their account before it completed.
const reasonReferredDeleted = "referred account deleted"

var (
	errCreditsReadOnly = validation.NewError("credits_readonly", "Credits change only through the rewards ledger.")
	errCodeRetired     = validation.NewError("referral_code_retired", "This code was retired and cannot be reused.")
	errReferredByFixed = validation.NewError("referred_by_fixed", "The referrer is set at sign-up and cannot be changed.")
)

func registerReferralUsers(app core.App) {
	app.OnRecordUpdate(schema.Users).BindFunc(onUserUpdateReferrals)
	app.OnRecordDelete(schema.Users).BindFunc(onUserDeleteReferrals)
	invalidate := func(e *core.RecordEvent) error {
		refstore.InvalidateStats(e.App, e.Record.Id)
		return e.Next()
	}
	app.OnRecordAfterUpdateSuccess(schema.Users).BindFunc(invalidate)
	// Logins through PocketBase's own auth API (the SDK, OAuth2, OTP) are
	// fraud signals too; POST /api/login records its own.
	app.OnRecordAuthRequest(schema.Users).BindFunc(func(e *core.RecordAuthRequestEvent) error {
		if err := refstore.RecordLogin(e.App, e.Record.Id, e.RealIP()); err != nil {
			e.App.Logger().Warn("recording the login IP hash", "error", err)
		}
		return e.Next()
	})
	app.OnRecordAfterDeleteSuccess(schema.Users).BindFunc(invalidate)
}

// onUserUpdateReferrals keeps credits to the ledger, retires a replaced
// code, and completes the user's referral when they verify their email
// (through the mail flow, the dashboard or anything else that saves them).
func onUserUpdateReferrals(e *core.RecordEvent) error {
	return runInTx(e, func(tx core.App) error {
		orig, err := storedRecord(tx, e.Record)
		if err != nil {
			return err
		}
		// A record loaded before a reward was granted must not write its
		// stale balance back; a record whose credits differ from both its
		// load and the store is an attempt to edit them.
		if c := e.Record.GetInt(schema.UserCredits); c != orig.GetInt(schema.UserCredits) && c != e.Record.Original().GetInt(schema.UserCredits) {
			return validation.Errors{schema.UserCredits: errCreditsReadOnly}
		}
		e.Record.Set(schema.UserCredits, orig.GetInt(schema.UserCredits))

		// The referral row is written at sign-up; re-pointing referred_by
		// later would leave it behind. PocketBase empties it when the
		// referrer is deleted, which stays allowed.
		if by := e.Record.GetString(schema.UserReferredBy); by != "" && by != orig.GetString(schema.UserReferredBy) {
			return validation.Errors{schema.UserReferredBy: errReferredByFixed}
		}

		oldCode, newCode := orig.GetString(schema.UserReferralCode), e.Record.GetString(schema.UserReferralCode)
		if newCode != oldCode && newCode != "" {
			retired, err := refstore.IsCodeRetired(tx, newCode)
			if err != nil {
				return err
			}
			if retired {
				return validation.Errors{schema.UserReferralCode: errCodeRetired}
			}
		}

		if err := e.Next(); err != nil {
			return err
		}

		if newCode != oldCode {
			if err := refstore.RetireCode(tx, oldCode, e.Record.Id); err != nil {
				return err
			}
		}
		if e.Record.Verified() && !orig.Verified() {
			return completeOnVerification(tx, e.Record.Id)
		}
		return nil
	})
}

// completeOnVerification turns the user's pending referral successful,
// unless it waits for an admin's review; an expired or rejected one stays.
func completeOnVerification(tx core.App, userID string) error {
	ref, err := tx.FindFirstRecordByData(schema.Referrals, schema.ReferralReferredUser, userID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	if ref.GetString(schema.ReferralStatus) != schema.StatusPending || ref.GetString(schema.ReferralReviewReason) != "" {
		return nil
	}
	ref.Set(schema.ReferralStatus, schema.StatusSuccessful)
	return tx.Save(ref)
}

// onUserDeleteReferrals retires the user's code, so that their link
// answers referral_expired, and closes their own pending referral so that
// it can never reward anyone afterwards.
func onUserDeleteReferrals(e *core.RecordEvent) error {
	return runInTx(e, func(tx core.App) error {
		ref, err := tx.FindFirstRecordByData(schema.Referrals, schema.ReferralReferredUser, e.Record.Id)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if ref != nil && ref.GetString(schema.ReferralStatus) == schema.StatusPending {
			ref.Set(schema.ReferralStatus, schema.StatusRejected)
			ref.Set(schema.ReferralReviewReason, reasonReferredDeleted)
			if err := tx.Save(ref); err != nil {
				return err
			}
		}
		if err := e.Next(); err != nil {
			return err
		}
		return refstore.RetireCode(tx, e.Record.GetString(schema.UserReferralCode), e.Record.Id)
	})
}
