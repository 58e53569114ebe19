package hooks

import (
	"crypto/rand"
	"database/sql"
	"errors"
	"time"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/account"
	"linkbase/apperr"
	"linkbase/loginguard"
	"linkbase/referral"
	"linkbase/refstore"
	"linkbase/schema"
)

// maxCodeAttempts bounds the retries on a referral code collision; with
// 31^8 codes a single retry is already rare.
const maxCodeAttempts = 8

func registerUsers(app core.App) {
	app.OnRecordCreate(schema.Users).BindFunc(onUserCreate)
	app.OnRecordUpdate(schema.Users).BindFunc(func(e *core.RecordEvent) error {
		normalizeIdentity(e.Record)
		return e.Next()
	})
	app.OnRecordValidate(schema.Users).BindFunc(validateUser)
	app.OnRecordAuthWithPasswordRequest(schema.Users).BindFunc(guardSDKLogin)
}

// guardSDKLogin holds PocketBase's own password login (the SDK's
// authWithPassword) to the rules of POST /api/login: the per-account
// back-off, and no password the policy could never have stored (bcrypt
// compares only 72 bytes, so "stored password + more" would log in).
func guardSDKLogin(e *core.RecordAuthWithPasswordRequestEvent) error {
	key := loginguard.Key(e.Record, account.NormalizeEmail(e.Identity), e.RealIP())
	if err := loginguard.Check(e.RequestEvent, key); err != nil {
		return err
	}
	if !account.CouldBePassword(e.Password) {
		e.Record = nil
	}
	if err := e.Next(); err != nil {
		loginguard.Failed(e.App, key)
		return err
	}
	loginguard.Succeeded(e.App, key)
	return nil
}

// onUserCreate gives the new user a referral code and, when they were
// referred, checks the referrer and records the pending referral, all in the
// transaction that inserts the user.
func onUserCreate(e *core.RecordEvent) error {
	normalizeIdentity(e.Record)
	return runInTx(e, func(txApp core.App) error {
		if e.Record.GetString(schema.UserReferralCode) == "" {
			code, err := UniqueReferralCode(txApp, func() (string, error) { return referral.NewCode(rand.Reader) })
			if err != nil {
				return err
			}
			e.Record.Set(schema.UserReferralCode, code)
		}

		// Credits start at zero and grow only through the rewards ledger.
		e.Record.Set(schema.UserCredits, 0)

		referrer, err := findReferrer(txApp, e.Record)
		if err != nil {
			return err
		}
		reviewReason := ""
		if referrer != nil {
			if reviewReason, err = reviewReasonOf(txApp, referrer, e.Record); err != nil {
				return err
			}
		}

		if err := e.Next(); err != nil {
			return err
		}

		if referrer == nil {
			return nil
		}
		return createPendingReferral(txApp, referrer, e.Record, reviewReason)
	})
}

// reviewReasonOf is why a referred sign-up must wait for an admin, or "".
func reviewReasonOf(txApp core.App, referrer, user *core.Record) (string, error) {
	rules, err := refstore.Rules(txApp)
	if err != nil {
		return "", err
	}
	signals, err := referralSignals(txApp, rules, referrer, user, time.Now())
	if err != nil {
		return "", err
	}
	return rules.ReviewReason(signals), nil
}

// normalizeIdentity stores emails, usernames and codes in the one form
// that lookups use, whoever wrote them.
func normalizeIdentity(user *core.Record) {
	user.SetEmail(account.NormalizeEmail(user.Email()))
	user.Set(schema.UserUsername, account.NormalizeUsername(user.GetString(schema.UserUsername)))
	user.Set(schema.UserReferralCode, referral.NormalizeCode(user.GetString(schema.UserReferralCode)))
}

// UniqueReferralCode draws codes until one is neither in use nor retired. Called inside the
// transaction that saves the user, the check and the insert cannot be
// separated by another writer (SQLite has one).
func UniqueReferralCode(app core.App, newCode func() (string, error)) (string, error) {
	for range maxCodeAttempts {
		code, err := newCode()
		if err != nil {
			return "", err
		}
		free, err := refstore.IsCodeFree(app, code)
		if err != nil {
			return "", err
		}
		if free {
			return code, nil
		}
	}
	return "", errors.New("no free referral code after several attempts")
}

// findReferrer loads and checks the user named in referred_by, if any.
func findReferrer(app core.App, user *core.Record) (*core.Record, error) {
	id := user.GetString(schema.UserReferredBy)
	if id == "" {
		return nil, nil
	}
	referrer, err := app.FindRecordById(schema.Users, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, validation.Errors{schema.UserReferredBy: apperr.Field(referral.ErrCodeInvalid)}
	}
	if err != nil {
		return nil, err
	}
	if err := referral.CheckReferrer(referrer.Email(), referrer.GetBool(schema.UserDisabled), user.Email()); err != nil {
		return nil, validation.Errors{schema.UserReferredBy: apperr.Field(err)}
	}
	return referrer, nil
}

func createPendingReferral(app core.App, referrer, user *core.Record, reviewReason string) error {
	referrals, err := app.FindCachedCollectionByNameOrId(schema.Referrals)
	if err != nil {
		return err
	}
	row := core.NewRecord(referrals)
	row.Set(schema.ReferralReferrer, referrer.Id)
	row.Set(schema.ReferralReferredUser, user.Id)
	row.Set(schema.ReferralCodeUsed, referrer.GetString(schema.UserReferralCode))
	row.Set(schema.ReferralStatus, schema.StatusPending)
	row.Set(schema.ReferralReviewReason, reviewReason)
	return app.Save(row)
}

// validateUser adds Linkbase's rules to PocketBase's field validation, and
// reports both together.
func validateUser(e *core.RecordEvent) error {
	errs := validation.Errors{}

	username := e.Record.GetString(schema.UserUsername)
	if e.Record.IsNew() || username != e.Record.Original().GetString(schema.UserUsername) {
		if account.IsReservedUsername(username) {
			errs[schema.UserUsername] = apperr.Field(account.ErrUsernameReserved)
		}
	}

	if pv, ok := e.Record.GetRaw(core.FieldNamePassword).(*core.PasswordFieldValue); ok && pv.Plain != "" {
		if err := account.CheckPassword(pv.Plain, username, e.Record.Email()); err != nil {
			errs[core.FieldNamePassword] = apperr.Field(err)
		}
	}

	return mergeFieldErrors(errs, e.Next())
}
