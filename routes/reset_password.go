package routes

import (
	"errors"
	"net/http"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"

	"linkbase/account"
	"linkbase/accountstore"
	"linkbase/apperr"
	"linkbase/schema"
)

// handleResetPassword is POST /api/reset-password: a valid reset token and
// a new password that obeys the registration policy set the password. The
// new password rotates the user's token key, which ends every earlier
// session; the token itself is consumed in the same transaction, so it
// works once. It does not log the user in.
func (srv *server) handleResetPassword(e *core.RequestEvent) error {
	var token, password string
	errs, err := readJSON(e, map[string]any{"token": &token, "password": &password})
	if err != nil {
		return err
	}
	var user *core.Record
	checkField(errs, "token", token, func() error {
		if user = findUserByMailToken(e.App, token, core.TokenTypePasswordReset); user == nil {
			return account.ErrTokenInvalid
		}
		return nil
	})
	checkField(errs, "password", password, func() error {
		username, email := "", ""
		if user != nil {
			username, email = user.GetString(schema.UserUsername), user.Email()
		}
		return account.CheckPassword(password, username, email)
	})
	if len(errs) > 0 {
		return e.BadRequestError("Failed to reset the password.", errs)
	}

	if err := srv.Passwords.Set(user, password); err != nil {
		return accountstore.Busy(e, err)
	}
	err = accountstore.ResetPassword(e.App, user, token)
	if errors.Is(err, account.ErrTokenInvalid) {
		return e.BadRequestError("Failed to reset the password.", validation.Errors{"token": apperr.Field(err)})
	}
	var fieldErrs validation.Errors
	if errors.As(err, &fieldErrs) {
		return e.BadRequestError("Failed to reset the password.", fieldErrs)
	}
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.NoContent(http.StatusNoContent)
}

// findUserByMailToken returns the user a mailed token of tokenType was
// issued to, or nil when the token is expired, tampered with, of another
// type, signed with a rotated token key, issued to an earlier email address
// or belongs to a deleted or disabled user.
func findUserByMailToken(app core.App, token, tokenType string) *core.Record {
	user, err := app.FindAuthRecordByToken(token, tokenType)
	if err != nil || user.Collection().Name != schema.Users || user.GetBool(schema.UserDisabled) {
		return nil
	}
	claims, err := security.ParseUnverifiedJWT(token)
	if err != nil {
		return nil
	}
	if email, _ := claims[core.TokenClaimEmail].(string); email == "" || email != user.Email() {
		return nil
	}
	return user
}
