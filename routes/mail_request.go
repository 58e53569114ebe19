package routes

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/account"
	"linkbase/accountstore"
	"linkbase/mail"
)

// handleForgotPassword is POST /api/forgot-password: it mails a reset link
// to an account that exists and answers 204 either way.
func (srv *server) handleForgotPassword(e *core.RequestEvent) error {
	return srv.mailRequest(e, mail.PasswordReset, "Failed to request a password reset.")
}

// handleRequestVerification is POST /api/request-verification: it mails a
// verification link to an unverified account and answers 204 either way.
func (srv *server) handleRequestVerification(e *core.RequestEvent) error {
	return srv.mailRequest(e, mail.Verification, "Failed to request a verification mail.")
}

// mailRequest answers a request for an account mail of kind k. Known and
// unknown addresses take the same path: one indexed lookup of an id, then
// the rest off the request path, so neither the answer nor its timing
// tells whether an account exists.
func (srv *server) mailRequest(e *core.RequestEvent, k mail.Kind, failure string) error {
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
	srv.Mail.Send(email, userID, k)
	return e.NoContent(http.StatusNoContent)
}
