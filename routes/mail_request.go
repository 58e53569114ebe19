package routes

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/account"
	"linkbase/accountstore"
)

// handleForgotPassword is POST /api/forgot-password: it mails a reset link
// to an account that exists and answers 204 either way.
var handleForgotPassword = mailRequestHandler(resetMail, "Failed to request a password reset.")

// handleRequestVerification is POST /api/request-verification: it mails a
// verification link to an unverified account and answers 204 either way.
var handleRequestVerification = mailRequestHandler(verificationMail, "Failed to request a verification mail.")

// mailRequestHandler answers a request for an account mail. Known and
// unknown addresses take the same path: one indexed lookup of an id, then
// the rest off the request path, so neither the answer nor its timing
// tells whether an account exists.
func mailRequestHandler(m accountMail, failure string) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		var email string
		errs, err := readJSON(e, map[string]any{"email": &email})
		if err != nil {
			return err
		}
		email = account.NormalizeEmail(email)
		checkField(errs, "email", email, func() error { return account.ValidateEmail(email) })
		if len(errs) > 0 {
			return e.BadRequestError(failure, errs)
		}

		userID, err := accountstore.FindUserIDByEmail(e.App, email)
		if err != nil {
			return e.InternalServerError("", err)
		}
		sendAccountMail(e.App, email, userID, m)
		return e.NoContent(http.StatusNoContent)
	}
}
