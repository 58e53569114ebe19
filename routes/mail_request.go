package routes

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/account"
	"linkbase/apperr"
	"linkbase/schema"
)

// handleForgotPassword is POST /api/forgot-password: it mails a reset link
// to an account that exists and answers 204 either way.
var handleForgotPassword = mailRequestHandler(resetMail, "Failed to request a password reset.",
	func(user *core.Record) bool { return !user.GetBool(schema.UserDisabled) })

// handleRequestVerification is POST /api/request-verification: it mails a
// verification link to an unverified account and answers 204 either way.
var handleRequestVerification = mailRequestHandler(verificationMail, "Failed to request a verification mail.",
	func(user *core.Record) bool { return !user.Verified() && !user.GetBool(schema.UserDisabled) })

// mailRequestHandler answers a request for an account mail. Known and
// unknown addresses take the same path up to one lookup, and the mail
// itself leaves off the request path, so neither the answer nor its timing
// tells whether an account exists.
func mailRequestHandler(m accountMail, failure string, wantsMail func(*core.Record) bool) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		var email string
		errs, err := readJSON(e, map[string]any{"email": &email})
		if err != nil {
			return err
		}
		email = account.NormalizeEmail(email)
		if _, bad := errs["email"]; !bad {
			if email == "" {
				errs["email"] = apperr.Required
			} else if err := account.ValidateEmail(email); err != nil {
				errs["email"] = apperr.Field(err)
			}
		}
		if len(errs) > 0 {
			return e.BadRequestError(failure, errs)
		}

		user, err := findUserByIdentity(e.App, email)
		if err != nil {
			return e.InternalServerError("", err)
		}
		if user != nil && wantsMail(user) {
			sendAccountMail(e.App, user, m)
		}
		return e.NoContent(http.StatusNoContent)
	}
}
