package routes

import (
	"net/http"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/accountdata"
	"linkbase/accountstore"
)

// errPasswordWrong answers a delete whose re-authentication failed.
var errPasswordWrong = validation.NewError("password_wrong", "The password is not right.")

// handleExport answers everything stored about the user as one JSON
// document to download.
func (srv *server) handleExport(e *core.RequestEvent) error {
	now := srv.Clock()
	doc, err := accountdata.Export(e.App, e.Auth, now)
	if err != nil {
		return e.InternalServerError("", err)
	}
	doc["user"] = newMe(e.App, e.Auth)
	e.Response.Header().Set("Content-Disposition", `attachment; filename="linkbase-export-`+now.UTC().Format("2006-01-02")+`.json"`)
	e.Response.Header().Set("Cache-Control", "no-store")
	return e.JSON(http.StatusOK, doc)
}

// handleDeleteAccount deletes the user's account once they have typed
// their password again: the same deletion as an admin's (their links,
// rewards, referrals made, passkeys and analytics go with it; referral
// history of others stays). Wrong passwords count toward the login
// back-off (the device's or the account's budget), so a stolen session
// cannot guess it freely.
func (srv *server) handleDeleteAccount(e *core.RequestEvent) error {
	var password string
	errs, err := readJSON(e, map[string]any{"password": &password})
	if err != nil {
		return err
	}
	checkField(errs, "password", password, nil)
	if len(errs) > 0 {
		return e.BadRequestError("Failed to delete the account.", errs)
	}
	user := e.Auth
	hashing, err := srv.Passwords.Admit(user.Collection())
	if err != nil {
		return accountstore.Busy(e, err)
	}
	defer hashing.Cancel()
	guardKey, err := srv.Logins.Attempt(e, user, "")
	if err != nil {
		return err
	}
	ok, err := hashing.Check(user, password)
	if err != nil {
		return accountstore.Busy(e, err)
	}
	if !ok {
		return e.BadRequestError("Failed to delete the account.", validation.Errors{"password": errPasswordWrong})
	}
	srv.Logins.Succeeded(e, guardKey)
	if err := e.App.Delete(user); err != nil {
		return e.InternalServerError("", err)
	}
	clearSessionCookies(e)
	return e.NoContent(http.StatusNoContent)
}
