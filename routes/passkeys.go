package routes

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/apperr"
	"linkbase/passkey"
	"linkbase/schema"
)

// passkeyBodyLimit fits an attestation with its certificates.
const passkeyBodyLimit = 64 << 10

// passkeyMethod names passkeys among PocketBase's MFA methods (password,
// otp, oauth2): a passkey completes a login begun with any of those.
const passkeyMethod = "passkey"

const defaultPasskeyName = "Passkey"

func (srv *server) handlePasskeyRegisterOptions(e *core.RequestEvent) error {
	options, err := srv.Passkeys.BeginRegistration(e.Auth)
	if err != nil {
		return passkeyServerError(e, err)
	}
	return e.JSON(http.StatusOK, options)
}

func (srv *server) handlePasskeyRegister(e *core.RequestEvent) error {
	var name string
	var credential json.RawMessage
	errs, err := readJSON(e, map[string]any{"name": &name, "credential": &credential})
	if err != nil {
		return err
	}
	name = strings.TrimSpace(name)
	if name == "" {
		name = defaultPasskeyName
	}
	if _, bad := errs["name"]; !bad && (utf8.RuneCountInString(name) > 64 || strings.ContainsFunc(name, isControl)) {
		errs["name"] = validation.NewError("name_invalid", "Must be at most 64 characters without control characters.")
	}
	if len(credential) == 0 || string(credential) == "null" {
		errs["credential"] = apperr.Required
	}
	if len(errs) > 0 {
		return e.BadRequestError("Failed to register the passkey.", errs)
	}
	row, err := srv.Passkeys.FinishRegistration(e.Auth, name, credential)
	switch {
	case errors.Is(err, passkey.ErrChallenge), errors.Is(err, passkey.ErrInvalid), errors.Is(err, passkey.ErrCredentialTaken):
		return e.BadRequestError("Failed to register the passkey.", validation.Errors{"credential": apperr.Field(err)})
	case err != nil:
		return passkeyServerError(e, err)
	}
	info := passkey.InfoOf(row)
	return e.JSON(http.StatusCreated, map[string]string{"id": info.ID, "name": info.Name, "created": info.Created})
}

func (srv *server) handlePasskeys(e *core.RequestEvent) error {
	items, err := srv.Passkeys.List(e.Auth.Id)
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"items": items})
}

func (srv *server) handlePasskeyDelete(e *core.RequestEvent) error {
	err := srv.Passkeys.Delete(e.Auth.Id, e.Request.PathValue("id"))
	if errors.Is(err, passkey.ErrNotFound) {
		return e.NotFoundError("No such passkey.", nil)
	}
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.NoContent(http.StatusNoContent)
}

func (srv *server) handlePasskeyLoginOptions(e *core.RequestEvent) error {
	options, err := srv.Passkeys.BeginLogin()
	if err != nil {
		return passkeyServerError(e, err)
	}
	return e.JSON(http.StatusOK, options)
}

// handlePasskeyLogin answers like POST /api/login: 200 {token, user} with the session
// cookies, or PocketBase's 401 {"mfaId"} when MFA wants another factor (a
// body mfaId from an earlier factor completes it). Every failure (unknown,
// foreign or cloned credential, bad signature, used or expired challenge,
// disabled account) gets the same 401.
func (srv *server) handlePasskeyLogin(e *core.RequestEvent) error {
	var credential json.RawMessage
	var mfaID string
	errs, err := readJSON(e, map[string]any{"credential": &credential, "mfaId": &mfaID})
	if err != nil {
		return err
	}
	if len(credential) == 0 || string(credential) == "null" {
		errs["credential"] = apperr.Required
	}
	if len(errs) > 0 {
		return e.BadRequestError("Failed to log in.", errs)
	}
	user, err := srv.Passkeys.FinishLogin(credential)
	if errors.Is(err, passkey.ErrNoRelyingParty) {
		return passkeyServerError(e, err)
	}
	if err != nil || user.GetBool(schema.UserDisabled) {
		if err != nil && !errors.Is(err, passkey.ErrInvalid) && !errors.Is(err, passkey.ErrChallenge) && !errors.Is(err, passkey.ErrCloned) {
			e.App.Logger().Error("passkey login", "error", err)
		}
		return e.UnauthorizedError("Passkey login failed.", nil)
	}
	return respondWithAuth(e, http.StatusOK, user, passkeyMethod)
}

// passkeyServerError: an app URL that cannot be a relying party is the
// operator's to fix (said in the message); anything else is a 500.
func passkeyServerError(e *core.RequestEvent, err error) error {
	if errors.Is(err, passkey.ErrNoRelyingParty) {
		return e.InternalServerError("Passkeys need the app URL to be a host name (not an IP address).", err)
	}
	return e.InternalServerError("", err)
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }
