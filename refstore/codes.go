package refstore

import (
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/referral"
	"linkbase/schema"
)

// FindReferrerByCode returns the active owner of a normalised code.
// A retired code (replaced, or its owner deleted) and a disabled owner's
// code are referral.ErrCodeExpired; an unknown code is
// referral.ErrCodeInvalid.
func FindReferrerByCode(app core.App, code string) (*core.Record, error) {
	owner, err := app.FindFirstRecordByData(schema.Users, schema.UserReferralCode, code)
	if errors.Is(err, sql.ErrNoRows) {
		retired, err := IsCodeRetired(app, code)
		if err != nil {
			return nil, err
		}
		if retired {
			return nil, referral.ErrCodeExpired
		}
		return nil, referral.ErrCodeInvalid
	}
	if err != nil {
		return nil, err
	}
	if owner.GetBool(schema.UserDisabled) {
		return nil, referral.ErrCodeExpired
	}
	return owner, nil
}

// ReferrerFor returns the referrer whose normalised code a new account
// with newEmail gives at sign-up, held to referral.CheckReferrer: an
// unknown, retired or disabled owner's code and a self-referral are the
// referral package's errors, which callers report on the code's field.
func ReferrerFor(app core.App, code, newEmail string) (*core.Record, error) {
	referrer, err := FindReferrerByCode(app, code)
	if err != nil {
		return nil, err
	}
	if err := referral.CheckReferrer(referrer.Email(), referrer.GetBool(schema.UserDisabled), newEmail); err != nil {
		return nil, err
	}
	return referrer, nil
}

// IsCodeRetired reports whether code was once someone's code.
func IsCodeRetired(app core.App, code string) (bool, error) {
	n, err := app.CountRecords(schema.RetiredCodes, dbx.HashExp{schema.RetiredCode: code})
	if err != nil {
		return false, fmt.Errorf("checking retired codes: %w", err)
	}
	return n > 0, nil
}

// RetireCode records that code no longer belongs to owner. Retiring a code
// twice is harmless.
func RetireCode(app core.App, code, ownerID string) error {
	if code == "" {
		return nil
	}
	retired, err := IsCodeRetired(app, code)
	if err != nil || retired {
		return err
	}
	c, err := app.FindCachedCollectionByNameOrId(schema.RetiredCodes)
	if err != nil {
		return err
	}
	row := core.NewRecord(c)
	row.Set(schema.RetiredCode, code)
	row.Set(schema.RetiredOwner, ownerID)
	return app.Save(row)
}

// IsCodeFree reports whether code is neither in use nor retired.
func IsCodeFree(app core.App, code string) (bool, error) {
	taken, err := app.CountRecords(schema.Users, dbx.HashExp{schema.UserReferralCode: code})
	if err != nil {
		return false, fmt.Errorf("checking referral code: %w", err)
	}
	if taken > 0 {
		return false, nil
	}
	retired, err := IsCodeRetired(app, code)
	return !retired, err
}

// maxCodeAttempts bounds the retries on a referral code collision; with
// 31^8 codes a single retry is already rare.
const maxCodeAttempts = 8

// UniqueCode draws codes until one is neither in use nor retired. Called
// inside the transaction that saves the user, the check and the insert
// cannot be separated by another writer (SQLite has one).
func UniqueCode(app core.App, newCode func() (string, error)) (string, error) {
	for range maxCodeAttempts {
		code, err := newCode()
		if err != nil {
			return "", err
		}
		free, err := IsCodeFree(app, code)
		if err != nil {
			return "", err
		}
		if free {
			return code, nil
		}
	}
	return "", errors.New("no free referral code after several attempts")
}

// NewCode draws a random code that is neither in use nor retired.
func NewCode(app core.App) (string, error) {
	return UniqueCode(app, func() (string, error) { return referral.NewCode(rand.Reader) })
}

// RegenerateCode gives user a new referral code; the users hook retires
// the old one in the same transaction, so it answers referral_expired from
// then on.
func RegenerateCode(app core.App, user *core.Record) error {
	return app.RunInTransaction(func(tx core.App) error {
		code, err := NewCode(tx)
		if err != nil {
			return err
		}
		user.Set(schema.UserReferralCode, code)
		return tx.Save(user)
	})
}
