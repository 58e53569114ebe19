package routes

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/account"
	"linkbase/accountstore"
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

	user, err := accountstore.FindUserByIdentity(e.App, identity)
	if err != nil {
		return e.InternalServerError("", err)
	}
	users, err := e.App.FindCachedCollectionByNameOrId(schema.Users)
	if err != nil {
		return e.InternalServerError("", err)
	}
	hashing, err := srv.Passwords.Admit(users) // overload is answered, not queued
	if err != nil {
		return accountstore.Busy(e, err)
	}
	defer hashing.Cancel()
	guardKey, err := srv.Logins.Attempt(e, user, identity)
	if err != nil {
		return err
	}
	ok, err := hashing.Check(user, password)
	if err != nil {
		return accountstore.Busy(e, err)
	}
	if !ok || user.GetBool(schema.UserDisabled) {
		return e.UnauthorizedError("Invalid login credentials.", nil)
	}
	srv.Logins.Succeeded(e, guardKey)
	return respondWithAuth(e, http.StatusOK, user, core.MFAMethodPassword)
}
