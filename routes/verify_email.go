package routes

import (
	"errors"
	"net/http"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/account"
	"linkbase/accountstore"
	"linkbase/apperr"
)

// handleVerifyEmail is POST /api/verify-email: a valid verification token
// sets verified. It saves the user through app.Save, so the model hooks on
// users see one update with verified going false -> true (the referral
// system turns a referral successful on it). The token works once.
func handleVerifyEmail(e *core.RequestEvent) error {
	var token string
	errs, err := readJSON(e, map[string]any{"token": &token})
	if err != nil {
		return err
	}
	var user *core.Record
	checkField(errs, "token", token, func() error {
		if user = findUserByMailToken(e.App, token, core.TokenTypeVerification); user == nil {
			return account.ErrTokenInvalid
		}
		return nil
	})
	if len(errs) > 0 {
		return e.BadRequestError("Failed to verify the email address.", errs)
	}

	err = accountstore.MarkVerified(e.App, user.Id, token)
	if errors.Is(err, account.ErrTokenInvalid) {
		return e.BadRequestError("Failed to verify the email address.", validation.Errors{"token": apperr.Field(err)})
	}
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.NoContent(http.StatusNoContent)
}
