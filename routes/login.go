package routes

import (
	"crypto/rand"
	"database/sql"
	"errors"
	"net/http"
	"strings"
	"sync"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"golang.org/x/crypto/bcrypt"

	"linkbase/account"
	"linkbase/loginguard"
	"linkbase/schema"
)

func (srv *server) handleLogin(e *core.RequestEvent) error {
	var identity, password string
	errs, err := readJSON(e, map[string]any{"identity": &identity, "password": &password})
	if err != nil {
		return err
	}
	identity = account.NormalizeEmail(identity) // trims and folds ASCII, as for usernames
	checkField(errs, "identity", identity, nil)
	checkField(errs, "password", password, nil)
	if len(errs) > 0 {
		return e.BadRequestError("Failed to log in.", errs)
	}

	user, err := findUserByIdentity(e.App, identity)
	if err != nil {
		return e.InternalServerError("", err)
	}
	guardKey := loginguard.Key(user, identity, e.RealIP())
	if err := loginguard.Check(e, guardKey); err != nil {
		return err
	}
	if !checkPassword(e.App, user, password) || user.GetBool(schema.UserDisabled) {
		loginguard.Failed(e.App, guardKey)
		return e.UnauthorizedError("Invalid login credentials.", nil)
	}
	srv.recordLoginIP(e, user)
	loginguard.Succeeded(e.App, guardKey)
	return respondWithSession(e, http.StatusOK, user)
}

// findUserByIdentity finds a user by email or username, case-insensitively
// (through the NOCASE indexes); nil when there is none.
func findUserByIdentity(app core.App, identity string) (*core.Record, error) {
	field := schema.UserUsername
	if strings.Contains(identity, "@") {
		field = core.FieldNameEmail
	}
	user := &core.Record{}
	err := app.RecordQuery(schema.Users).
		AndWhere(dbx.NewExp("[["+field+"]] = {:identity} COLLATE NOCASE", dbx.Params{"identity": identity})).
		Limit(1).One(user)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return user, nil
}

// checkPassword compares password with the user's hash, spending the same
// bcrypt work when there is no user or the password could never have been
// stored, so that neither is told apart by timing.
func checkPassword(app core.App, user *core.Record, password string) bool {
	hash := dummyHash(app) // outside the slot: the first call hashes
	ok := false
	withPasswordSlot(func() {
		if user == nil || !account.CouldBePassword(password) {
			_ = bcrypt.CompareHashAndPassword(hash, []byte("not the password"))
			return
		}
		ok = user.ValidatePassword(password)
	})
	return ok
}

var dummyHashes sync.Map // bcrypt cost -> hash of a random password

// dummyHash is a hash at the cost the users collection hashes with.
func dummyHash(app core.App) []byte {
	cost := bcrypt.DefaultCost
	if users, err := app.FindCachedCollectionByNameOrId(schema.Users); err == nil {
		if f, ok := users.Fields.GetByName(core.FieldNamePassword).(*core.PasswordField); ok && f.Cost > 0 {
			cost = f.Cost
		}
	}
	if hash, ok := dummyHashes.Load(cost); ok {
		return hash.([]byte)
	}
	hash, _ := bcrypt.GenerateFromPassword([]byte(rand.Text()), cost)
	dummyHashes.Store(cost, hash)
	return hash
}
