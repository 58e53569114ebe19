// Package accountstore is the accounts' side of the database: the
// case-insensitive user lookups, written once, and password hashing
// bounded to the CPUs. The rules themselves (emails, usernames, the
// password policy) live in package account.
//
// Queries are functions of the app they run on; what has state (the
// hashing slots, the dummy hashes) is Passwords, built once per app
// (package stores).
package accountstore

import (
	"crypto/rand"
	"database/sql"
	"errors"
	"math/big"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/account"
	"linkbase/schema"
)

// nocase matches a users field case-insensitively. COLLATE NOCASE lets
// SQLite use the unique NOCASE indexes of email and username (emails and
// usernames are stored normalised anyway), so every lookup is a search,
// never a scan.
func nocase(field, value string) dbx.Expression {
	return dbx.NewExp("[["+field+"]] = {:value} COLLATE NOCASE", dbx.Params{"value": value})
}

// identityField is the users field an identity names: the email when it
// has an @, else the username.
func identityField(identity string) string {
	if strings.Contains(identity, "@") {
		return core.FieldNameEmail
	}
	return schema.UserUsername
}

// FindUserByIdentity finds a user by email or username, case-insensitively;
// nil when there is none.
func FindUserByIdentity(app core.App, identity string) (*core.Record, error) {
	user := &core.Record{}
	err := app.RecordQuery(schema.Users).AndWhere(nocase(identityField(identity), identity)).Limit(1).One(user)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return user, nil
}

// FindUserIDByEmail returns the id of the user with a normalised address,
// case-insensitively, or "" when there is none. It reads the id alone, so
// a hit costs about what a miss does.
func FindUserIDByEmail(app core.App, email string) (string, error) {
	var id string
	err := app.DB().Select("id").From(schema.Users).Where(nocase(core.FieldNameEmail, email)).Limit(1).Row(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

// IsTaken reports whether a user already has this email or username
// (field), case-insensitively.
func IsTaken(app core.App, field, value string) (bool, error) {
	n, err := app.CountRecords(schema.Users, nocase(field, value))
	return n > 0, err
}

// UniqueUsername is base, or base with a number, that is neither reserved
// nor taken: first the small numbers a person would pick, then random ones.
func UniqueUsername(app core.App, base string) (string, error) {
	for i := range 16 {
		name := base
		switch {
		case i > 0 && i < 5:
			name = account.Suffixed(base, i+1)
		case i >= 5:
			n, err := rand.Int(rand.Reader, big.NewInt(900000))
			if err != nil {
				return "", err
			}
			name = account.Suffixed(base, 1000+int(n.Int64()))
		}
		if account.ValidateUsername(name) != nil {
			continue
		}
		taken, err := IsTaken(app, schema.UserUsername, name)
		if err != nil {
			return "", err
		}
		if !taken {
			return name, nil
		}
	}
	return "", errors.New("no free username after several attempts")
}

// ResetPassword stores the new password already set (hashed) on user,
// marks their address verified (the reset token was mailed to it, as in
// PocketBase's own reset confirmation) and consumes the reset token, in
// one transaction: of concurrent resets with one token, on this route or
// PocketBase's, in this process or another, exactly one commits and the
// others get account.ErrTokenInvalid. The new password rotates the token
// key, which ends every earlier session. The hash is computed before, by
// the caller (Passwords.Set), so the write lock is never held for bcrypt.
func ResetPassword(app core.App, user *core.Record, token string) error {
	return app.RunInTransaction(func(txApp core.App) error {
		if err := ConsumeToken(txApp, token); err != nil {
			return err
		}
		fresh, err := txApp.FindRecordById(schema.Users, user.Id)
		if err != nil || fresh.TokenKey() != user.TokenKey() {
			return account.ErrTokenInvalid
		}
		fresh.SetRaw(core.FieldNamePassword, user.GetRaw(core.FieldNamePassword))
		fresh.SetVerified(true)
		return txApp.Save(fresh)
	})
}

// MarkVerified consumes the verification token and sets the user's
// verified flag through app.Save, in one transaction, so the model hooks
// see one update with verified going false -> true (nothing is saved when
// already verified). The token works once, also against concurrent uses
// on this route or PocketBase's: the others get account.ErrTokenInvalid,
// as does a deleted user.
func MarkVerified(app core.App, userID, token string) error {
	return app.RunInTransaction(func(txApp core.App) error {
		if err := ConsumeToken(txApp, token); err != nil {
			return err
		}
		fresh, err := txApp.FindRecordById(schema.Users, userID)
		if err != nil {
			return account.ErrTokenInvalid
		}
		if fresh.Verified() {
			return nil
		}
		fresh.SetVerified(true)
		return txApp.Save(fresh)
	})
}
