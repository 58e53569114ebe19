package hooks

import (
	"context"
	"errors"
	"net/http"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/account"
	"linkbase/accountstore"
	"linkbase/mail"
)

// errTokenUsed is PocketBase's own field error for a token it refuses, so
// an SDK sees a used token as it sees an expired one.
var errTokenUsed = validation.NewError("validation_invalid_token", "Invalid or expired token.")

// consumeMailedToken runs the rest of one of PocketBase's token-consuming
// routes (confirm-password-reset, confirm-verification,
// confirm-email-change) in a transaction that first consumes the
// request's token (accountstore.ConsumeToken, shared with our routes):
// PocketBase checks the token's signature and key, but of concurrent
// requests with one token every one passed that check and acted. If the
// action fails (a password the policy refuses), the transaction rolls
// back and the token stays usable. PocketBase writes its 204 once the
// transaction commits.
func consumeMailedToken(e *core.RequestEvent, next func() error) error {
	info, err := e.RequestInfo()
	if err != nil {
		return e.BadRequestError("An error occurred while loading the submitted data.", err)
	}
	token, _ := info.Body["token"].(string)
	original := e.App
	err = original.RunInTransaction(func(tx core.App) error {
		if err := accountstore.ConsumeToken(tx, token); err != nil {
			return err
		}
		e.App = tx
		return next()
	})
	e.App = original
	if errors.Is(err, account.ErrTokenInvalid) {
		return e.BadRequestError("An error occurred while validating the submitted data.", validation.Errors{"token": errTokenUsed})
	}
	return err
}

// throttleMail holds PocketBase's own mail routes (request-password-reset,
// request-verification) to the rules of our routes: one mail of a kind per
// address per mail.ThrottleWindow, whichever route asks, and none to an
// account the kind is not for (a disabled one; a verified one for
// verification). Such a request gets the 204 PocketBase answers anyway,
// and no mail.
func throttleMail(e *core.RequestEvent, user *core.Record, k mail.Kind, mails *mail.Mailer, next func() error) error {
	if !k.Wants(user) || !mails.Claim(context.WithoutCancel(e.Request.Context()), user.Email(), k) {
		return e.NoContent(http.StatusNoContent)
	}
	return next()
}

// throttleEmailChange holds PocketBase's request-email-change, the one way
// to change an address, to the mail throttle by the address it mails (the
// new one): else a signed-in account could mail any mailbox, from the
// app's sender, as often as the /api/ rate limit lets through. A
// throttled request gets PocketBase's 204, and no mail.
func throttleEmailChange(e *core.RecordRequestEmailChangeRequestEvent, mails *mail.Mailer) error {
	if !mails.Claim(context.WithoutCancel(e.Request.Context()), e.NewEmail, mail.EmailChange) {
		return e.NoContent(http.StatusNoContent)
	}
	return e.Next()
}
